"""The signed-in citizen's own data: /api/v1/me/…"""

import datetime
from typing import Any, Literal

from django.contrib.auth import logout
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.security import django_auth

from mpp.accounts import consent as consent_service
from mpp.accounts import family, privacy, profile

router = Router(tags=["akun saya"], auth=django_auth)


class ProfileEntryOut(Schema):
    key: str
    label: str
    value: str
    source: str = Field(
        ..., description="self, registry, officer, document; kosong bila belum diisi"
    )
    verified: bool
    pending_value: str | None = Field(..., description="Koreksi yang menunggu pemeriksaan petugas")


class ProfileOut(Schema):
    nik: str = Field(..., description="NIK yang disamarkan")
    full_name: str
    attributes: list[ProfileEntryOut]


class ProfilePatch(Schema):
    changes: dict[str, str] = Field(
        ..., examples=[{"occupation": "Petani", "kk_number": "3510..."}]
    )


class ProfilePatchOut(Schema):
    applied: list[str]
    requested: list[str] = Field(..., description="Data terverifikasi: menjadi permintaan koreksi")


def _profile(request: HttpRequest) -> dict[str, Any]:
    citizen = profile.citizen_of(request.user)
    return {
        "nik": citizen.masked_nik,
        "full_name": citizen.full_name,
        "attributes": [entry.__dict__ for entry in profile.get_profile(citizen=citizen)],
    }


@router.get("/profile", response=ProfileOut, summary="Profil saya (data sekali isi)")
def get_profile(request: HttpRequest) -> dict[str, Any]:
    return _profile(request)


@router.patch("/profile", response=ProfilePatchOut, summary="Ubah profil saya")
def patch_profile(request: HttpRequest, payload: ProfilePatch) -> dict[str, Any]:
    citizen = profile.citizen_of(request.user)
    result = profile.update_profile(citizen=citizen, changes=payload.changes, actor=request.user)
    return {"applied": result.applied, "requested": result.requested}


class DataAccessOut(Schema):
    by: str
    purpose: str
    fields: list[str]
    region: str | None
    at: str


class DeleteIn(Schema):
    password: str = Field(..., min_length=1, max_length=128)


@router.get("/data-access-log", response=list[DataAccessOut], summary="Siapa memakai data saya")
def data_access_log(request: HttpRequest) -> list[dict[str, Any]]:
    citizen = profile.citizen_of(request.user)
    return privacy.export_my_data(citizen=citizen)["data_access_log"]


@router.get("/export", summary="Unduh semua data saya (JSON)")
def export(request: HttpRequest) -> dict[str, Any]:
    return privacy.export_my_data(citizen=profile.citizen_of(request.user))


@router.post("/delete", response={204: None}, summary="Hapus akun saya")
def delete(request: HttpRequest, payload: DeleteIn) -> Status[None]:
    privacy.delete_my_account(user=request.user, password=payload.password)  # type: ignore[arg-type]
    logout(request)
    return Status(204, None)


class ConsentOut(Schema):
    id: int
    recipient: str
    fields: list[str]
    purpose: str
    receipt: str
    given_at: str
    withdrawn_at: str | None
    is_active: bool


def _consent(c: Any) -> dict[str, Any]:
    return {
        "id": c.pk, "recipient": c.recipient, "fields": c.fields, "purpose": c.purpose,
        "receipt": c.receipt, "given_at": c.given_at.isoformat(),
        "withdrawn_at": c.withdrawn_at.isoformat() if c.withdrawn_at else None,
        "is_active": c.is_active,
    }  # fmt: skip


@router.get("/consents", response=list[ConsentOut], summary="Persetujuan pemakaian data saya")
def consents(request: HttpRequest) -> list[dict[str, Any]]:
    citizen = profile.citizen_of(request.user)
    return [_consent(c) for c in citizen.consents.all()]


@router.post("/consents/{consent_id}/withdraw", response=ConsentOut, summary="Tarik persetujuan")
def withdraw(request: HttpRequest, consent_id: int) -> dict[str, Any]:
    citizen = profile.citizen_of(request.user)
    return _consent(consent_service.withdraw_consent(citizen=citizen, consent_id=consent_id))


class FamilyMemberOut(Schema):
    id: int
    nik: str = Field(..., description="NIK yang disamarkan")
    full_name: str
    birth_date: datetime.date
    sex: str
    relationship: str = Field(..., description="Hubungan dalam KK, mis. anak, istri, orang_tua")
    may_act_for: bool = Field(..., description="Saya boleh mengajukan layanan atas namanya")
    source: str = Field(..., description="registry (data kependudukan) atau self (diisi sendiri)")


class FamilyMemberIn(Schema):
    nik: str = Field(..., max_length=20)
    full_name: str = Field(..., min_length=1, max_length=150)
    birth_date: datetime.date
    sex: Literal["M", "F"]
    relationship: str = Field(..., max_length=20, examples=["anak"])


def _member(m: Any) -> dict[str, Any]:
    return {
        "id": m.pk, "nik": m.masked_nik, "full_name": m.full_name, "birth_date": m.birth_date,
        "sex": m.sex, "relationship": m.relationship, "may_act_for": m.may_act_for,
        "source": m.source,
    }  # fmt: skip


@router.get("/family", response=list[FamilyMemberOut], summary="Anggota keluarga saya (KK)")
def list_family(request: HttpRequest) -> list[dict[str, Any]]:
    citizen = profile.citizen_of(request.user)
    return [_member(m) for m in family.list_family(citizen=citizen)]


@router.post(
    "/family", response={201: FamilyMemberOut}, summary="Tambah anggota keluarga (diisi sendiri)"
)
def add_family_member(request: HttpRequest, payload: FamilyMemberIn) -> Status[dict[str, Any]]:
    citizen = profile.citizen_of(request.user)
    return Status(201, _member(family.add_family_member(citizen=citizen, **payload.dict())))
