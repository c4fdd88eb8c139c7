"""Staff look-ups of citizens (assisted service at the counter); every read is logged."""

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.security import django_auth

from mpp.accounts import assurance, privacy

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
