"""Drafts over HTTP: an app keeps what the citizen typed so far and resumes it on another device.

The data is the form's answers as the application will carry them (`POST /applications`'s
`data`), kept unchecked up to 200 kB; one draft per citizen and offering, the last save wins.
"""

import datetime
from typing import Any, cast

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.security import django_auth

from mpp.accounts.bearer import AccessToken
from mpp.accounts.profile import citizen_of
from mpp.cases import queries, services
from mpp.cases.models import Draft
from mpp.catalog.models import Offering
from mpp.core.errors import NotFound

router = Router(tags=["draf"], auth=[AccessToken("applications"), django_auth])


class DraftIn(Schema):
    data: dict[str, Any] = Field(..., description="isian formulir sejauh ini (belum diperiksa)")


class DraftOut(Schema):
    offering_id: int
    service: str
    region: str
    data: dict[str, Any]
    updated_at: datetime.datetime


def _out(draft: Draft) -> dict[str, Any]:
    offering = cast(Offering, draft.offering)  # this API keeps one service's drafts, no bundle's
    return {
        "offering_id": offering.pk,
        "service": offering.template.name,
        "region": offering.region.name,
        "data": draft.data,
        "updated_at": draft.updated_at,
    }


@router.get("/drafts", response=list[DraftOut], summary="Draf saya (terbaru dulu)")
def my_drafts(request: HttpRequest) -> list[dict[str, Any]]:
    return [_out(draft) for draft in queries.my_drafts(citizen_of(request.user), bundles=False)]


@router.get("/drafts/{offering_id}", response=DraftOut, summary="Draf saya untuk satu layanan")
def one(request: HttpRequest, offering_id: int) -> dict[str, Any]:
    draft = services.draft_record(request.user, offering_id)
    if draft is None:
        raise NotFound(_no_draft())
    return _out(draft)


@router.put("/drafts/{offering_id}", response=DraftOut, summary="Simpan draf (menimpa yang lama)")
def save(request: HttpRequest, offering_id: int, payload: DraftIn) -> dict[str, Any]:
    draft = services.save_draft(user=request.user, offering_id=offering_id, data=payload.data)
    return _out(draft)


@router.delete("/drafts/{offering_id}", response={204: None}, summary="Buang draf")
def discard(request: HttpRequest, offering_id: int) -> Any:
    if not services.discard_draft(user=request.user, offering_id=offering_id):
        raise NotFound(_no_draft())
    return Status(204, None)


def _no_draft() -> str:
    return _("Tidak ada draf untuk layanan ini.")
