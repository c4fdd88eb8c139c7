"""Counter endpoints for assisted service: find a walk-in citizen by NIK (logged for the
citizen) or record a new one. Counter officers only; filing is `POST /applications` with
`on_behalf_of` set to the id returned here."""

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.security import django_auth

from mpp.accounts.models import Citizen
from mpp.accounts.walk_in import register_walk_in
from mpp.cases import counter

router = Router(tags=["loket"], auth=django_auth)


def _region_code() -> Any:
    return Field(
        "",
        max_length=5,
        description="Kode wilayah loket tempat petugas melayani; wajib bila petugas memegang "
        "loket di lebih dari satu wilayah",
        examples=["35.10"],
    )


class NikQuery(Schema):
    nik: str = Field(..., min_length=1, max_length=32, examples=["3510015708900001"])
    region_code: str = _region_code()


class CounterCitizen(Schema):
    id: int = Field(..., description="Untuk `on_behalf_of` di POST /applications")
    name: str = Field(..., description="Nama yang disamarkan")
    nik: str = Field(..., description="NIK yang disamarkan")
    assurance_level: int


class WalkInIn(Schema):
    nik: str = Field(..., max_length=32)
    full_name: str = Field(..., max_length=150)
    phone: str = Field("", max_length=32)
    email: str = Field("", max_length=254)
    region_code: str = _region_code()


def _card(citizen: Citizen) -> dict[str, Any]:
    return {
        "id": citizen.pk,
        "name": counter.masked_name(citizen.full_name),
        "nik": citizen.masked_nik,
        "assurance_level": citizen.assurance_level,
    }


@router.post(
    "/citizens/search",
    response=CounterCitizen,
    summary="Cari warga dengan NIK di loket (tercatat di riwayat akses data warga)",
)
def find_citizen(request: HttpRequest, payload: NikQuery) -> dict[str, Any]:
    """A POST: the NIK travels in the body, never in an address that logs keep."""
    citizen = counter.find_citizen(
        officer=request.user, nik=payload.nik, region_code=payload.region_code
    )
    return _card(citizen)


@router.post(
    "/citizens",
    response={201: CounterCitizen},
    summary="Daftarkan warga yang datang ke loket (KTP-el diperiksa petugas)",
)
def register_citizen(request: HttpRequest, payload: WalkInIn) -> Status[dict[str, Any]]:
    citizen = register_walk_in(
        officer=request.user, nik=payload.nik, full_name=payload.full_name,
        phone=payload.phone, email=payload.email, region_code=payload.region_code,
    )  # fmt: skip
    return Status(201, _card(citizen))
