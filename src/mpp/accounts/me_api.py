"""The signed-in citizen's own data: /api/v1/me/…"""

from typing import Any

from django.contrib.auth import logout
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.security import django_auth

from mpp.accounts import consent as consent_service
from mpp.accounts import privacy, profile

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
