"""The public status look-up (`GET /api/v1/status`): tracking number + last four NIK digits,
for an application or a life-event bundle; no personal data; rate-limited per address."""

import datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from mpp.cases import public_status as lookup
from mpp.cases import queries
from mpp.cases.api import service_name
from mpp.core import throttle

public_router = Router(tags=["status publik"])
STATUS_LOOKUPS_PER_10_MINUTES = 30


class PublicStepOut(Schema):
    label: str
    agency: str
    status: str
    status_label: str


class PublicServiceOut(Schema):
    tracking: str
    service: str
    agency: str
    status: str
    status_label: str


class PublicStatusOut(Schema):
    kind: str = Field("application", description="application, or bundle (a life-event package)")
    tracking: str
    service: str
    region: str
    status: str
    status_label: str
    submitted_at: datetime.datetime
    due_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    steps: list[PublicStepOut]
    services: list[PublicServiceOut] = Field(
        default_factory=list, description="A bundle: the status of each of its services"
    )


def throttle_status_lookups(request: HttpRequest) -> None:
    # A setting only so that benchmarks can lift it (tests/bench/bench_settings.py).
    throttle.limit(
        request, kind="status-lookup",
        per_10_minutes=getattr(
            settings, "MPP_STATUS_LOOKUPS_PER_10_MINUTES", STATUS_LOOKUPS_PER_10_MINUTES
        ),
        message=_("Terlalu banyak pencarian. Coba lagi dalam 10 menit."),
    )  # fmt: skip


@public_router.get(
    "/status",
    response=PublicStatusOut,
    summary="Status permohonan: nomor lacak + 4 angka terakhir NIK (tanpa data pribadi)",
)
def public_status(
    request: HttpRequest,
    tracking: str = Query(..., max_length=30),
    nik4: str = Query(..., pattern=r"^\d{4}$"),
) -> dict[str, Any]:
    return _look_up(request, tracking, nik4)


class LookupIn(Schema):
    tracking: str = Field(..., max_length=30)
    nik4: str = Field(..., pattern=r"^\d{4}$", description="4 angka terakhir NIK pemohon")


@public_router.post(
    "/status",
    response=PublicStatusOut,
    summary="Status permohonan, dikirim dalam badan permintaan (NIK tidak masuk alamat dan log)",
)
def public_status_posted(request: HttpRequest, payload: LookupIn) -> dict[str, Any]:
    """The same look-up as GET, with the NIK digits in the body: they stay out of proxy and
    server access logs, which keep addresses. Prefer it."""
    return _look_up(request, payload.tracking, payload.nik4)


def _look_up(request: HttpRequest, tracking: str, nik4: str) -> dict[str, Any]:
    throttle_status_lookups(request)
    found = lookup.public_status(tracking, nik4)
    if found is None:
        bundle = queries.public_bundle_status(tracking, nik4)
        if bundle is None:
            raise lookup.not_found()
        return _public_bundle(bundle)
    return {
        "tracking": found.tracking,
        "service": found.service,
        "region": found.region,
        "status": found.status,
        "status_label": found.status_label,
        "submitted_at": found.submitted_at,
        "due_at": found.due_at,
        "closed_at": found.closed_at,
        "steps": [
            {
                "label": step.label,
                "agency": step.agency,
                "status": step.status,
                "status_label": step.status_label,
            }
            for step in found.steps
        ],
    }


def _public_bundle(bundle: Any) -> dict[str, Any]:
    members = list(bundle.applications.all())
    still_open = any(a.is_open for a in members)
    return {
        "kind": "bundle",
        "tracking": bundle.tracking,
        "service": bundle.definition.display_name if bundle.definition else _("Paket layanan"),
        "region": bundle.region.name,
        "status": "open" if still_open else "closed",
        "status_label": _("Sedang diproses") if still_open else _("Selesai"),
        "submitted_at": bundle.submitted_at,
        "due_at": max((a.due_at for a in members if a.is_open and a.due_at), default=None),
        "closed_at": None
        if still_open
        else max((a.closed_at for a in members if a.closed_at), default=None),
        "steps": [],
        "services": [
            {
                "tracking": a.tracking,
                "service": service_name(a),
                "agency": a.offering.agency.name,
                "status": a.status,
                "status_label": a.get_status_display(),
            }
            for a in members
        ],
    }
