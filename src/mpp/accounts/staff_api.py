"""Staff endpoints: look-ups of citizens (assisted service at the counter; every read is
logged), and officers and admins managed by admins within their scope."""

from typing import Any

from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice
from ninja import Field, Query, Router, Schema, Status
from ninja.security import django_auth

from mpp.accounts import assurance, privacy, staff
from mpp.accounts.models import RoleGrant

router = Router(tags=["petugas"], auth=django_auth)


class CitizenLookup(Schema):
    nik: str = Field(..., min_length=16, max_length=20)
    purpose: str = Field(
        ..., min_length=3, max_length=200, examples=["Permohonan akta kelahiran di loket 3"]
    )


class CitizenCard(Schema):
    nik: str = Field(..., description="NIK yang disamarkan")
    full_name: str
    birth_date: str
    sex: str
    assurance_level: int


@router.get(
    "/citizens", response=CitizenCard, summary="Cari warga dengan NIK (tercatat di log warga)"
)
def look_up(request: HttpRequest, query: Query[CitizenLookup]) -> dict[str, Any]:
    citizen = privacy.look_up_citizen_for_service(
        officer=request.user, nik=query.nik, purpose=query.purpose
    )
    return {
        "nik": citizen.masked_nik, "full_name": citizen.full_name,
        "birth_date": citizen.birth_date.isoformat(), "sex": citizen.sex,
        "assurance_level": citizen.assurance_level,
    }  # fmt: skip


class InPersonCheck(Schema):
    nik: str = Field(..., min_length=16, max_length=20)
    document: str = Field(..., max_length=40, examples=["ktp-el"])


@router.post(
    "/citizens/verify",
    response=CitizenCard,
    summary="Verifikasi identitas warga di loket (tingkat 2)",
)
def verify_in_person(request: HttpRequest, payload: InPersonCheck) -> dict[str, Any]:
    citizen = assurance.verify_in_person(
        officer=request.user, nik=payload.nik, document=payload.document
    )
    return {
        "nik": citizen.masked_nik, "full_name": citizen.full_name,
        "birth_date": citizen.birth_date.isoformat(), "sex": citizen.sex,
        "assurance_level": citizen.assurance_level,
    }  # fmt: skip


class StaffGrantOut(Schema):
    grant_id: int
    username: str
    full_name: str
    email: str
    role: str
    region: str | None
    agency_id: int | None
    agency: str | None
    is_active: bool
    second_factor: bool = Field(..., description="Sudah memasang aplikasi autentikator")


class StaffIn(Schema):
    username: str = Field(..., min_length=1, max_length=150, examples=["petugas.capil.bwi2"])
    full_name: str = Field(..., min_length=1, max_length=150)
    email: str = Field(..., max_length=254)
    role: str = Field(..., max_length=20, examples=["agency_officer"])
    region: str | None = Field(None, max_length=5, examples=["35.10"])
    agency_id: int | None = None


def _grant(grant: RoleGrant, confirmed: set[int]) -> dict[str, Any]:
    user = grant.user
    return {
        "grant_id": grant.pk, "username": user.username, "full_name": user.get_full_name(),
        "email": user.email, "role": grant.role, "region": grant.region_id,
        "agency_id": grant.agency_id, "agency": grant.agency.name if grant.agency else None,
        "is_active": user.is_active, "second_factor": user.pk in confirmed,
    }  # fmt: skip


def _confirmed(user_ids: list[int]) -> set[int]:
    return set(
        TOTPDevice.objects.filter(user_id__in=user_ids, confirmed=True).values_list(
            "user_id", flat=True
        )
    )


@router.get("/accounts", response=list[StaffGrantOut], summary="Petugas dan admin yang saya kelola")
def list_staff(request: HttpRequest, region: str | None = None) -> list[dict[str, Any]]:
    grants = list(staff.list_staff(actor=request.user, region_code=region)[:1000])
    confirmed = _confirmed([g.user_id for g in grants])
    return [_grant(grant, confirmed) for grant in grants]


@router.post(
    "/accounts",
    response={201: StaffGrantOut},
    summary="Buat akun petugas (tautan kata sandi dikirim lewat e-mail)",
)
def create_staff(request: HttpRequest, payload: StaffIn) -> Status[dict[str, Any]]:
    user = staff.create_staff(
        actor=request.user, username=payload.username, full_name=payload.full_name,
        email=payload.email, role=payload.role, region_code=payload.region,
        agency_id=payload.agency_id, site_url=request.build_absolute_uri("/"),
    )  # fmt: skip
    grant = user.role_grants.select_related("agency").get()
    return Status(201, _grant(grant, set()))


@router.delete("/grants/{grant_id}", response={204: None}, summary="Cabut peran petugas")
def revoke_grant(request: HttpRequest, grant_id: int) -> Status[None]:
    staff.revoke_grant(actor=request.user, grant_id=grant_id)
    return Status(204, None)
