"""Life-event bundles over HTTP: the definitions, file one, follow one (see docs/bundles.md)."""

import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status

from mpp.accounts.profile import citizen_of
from mpp.cases import bundles, queries
from mpp.cases.api import AUTH
from mpp.cases.models import Bundle, BundleDefinition

router = Router(tags=["paket layanan"], auth=AUTH)
public_router = Router(tags=["paket layanan"])


class BundleIn(Schema):
    region: str = Field(..., max_length=5, description="kode Kemendagri kabupaten/kota, mis. 35.10")
    bundle: str = Field(..., max_length=50, description="slug dari /api/v1/bundle-definitions")
    data: dict[str, Any] = Field(default_factory=dict, description="Isian gabungan formulir")
    on_behalf_of: int | None = Field(
        None, description="Petugas loket: id warga yang dibantu (layanan terbantu)"
    )


class MemberOut(Schema):
    tracking: str
    service: str
    agency: str
    status: str
    status_label: str
    due_at: datetime.datetime | None


class BundleOut(Schema):
    tracking: str
    bundle: str
    name: str
    region: str
    submitted_at: datetime.datetime
    applications: list[MemberOut]


class DefinitionOut(Schema):
    slug: str
    name: str
    life_event: str | None
    services: list[str]
    provided_later: list[str]


def _name(definition: BundleDefinition | None) -> str:
    return definition.display_name if definition is not None else ""


def serialize(bundle: Bundle) -> dict[str, Any]:
    return {
        "tracking": bundle.tracking,
        "bundle": bundle.definition.slug if bundle.definition else "",
        "name": _name(bundle.definition),
        "region": bundle.region.name,
        "submitted_at": bundle.submitted_at,
        "applications": [
            {
                "tracking": a.tracking,
                "service": a.offering.template.name,
                "agency": a.offering.agency.name,
                "status": a.status,
                "status_label": a.get_status_display(),
                "due_at": a.due_at,
            }
            for a in bundle.applications.all()
        ],
    }


@router.post(
    "/bundles",
    response={200: BundleOut, 201: BundleOut},
    summary="Ajukan paket layanan peristiwa hidup (wajib header Idempotency-Key)",
)
def submit(request: HttpRequest, payload: BundleIn, response: HttpResponse) -> Any:
    result = bundles.submit_bundle(
        user=request.user,
        region_code=payload.region,
        bundle_slug=payload.bundle,
        data=payload.data,
        idempotency_key=request.headers.get("Idempotency-Key", ""),
        on_behalf_of=payload.on_behalf_of,
    )
    response["Location"] = f"/api/v1/bundles/{result.bundle.tracking}"
    if result.replayed:
        response["Idempotent-Replayed"] = "true"
    bundle = queries.my_bundle(result.bundle.applicant, result.bundle.tracking)
    return Status(200 if result.replayed else 201, serialize(bundle))


@router.get("/bundles/{tracking}", response=BundleOut, summary="Satu paket (pemohon)")
def detail(request: HttpRequest, tracking: str) -> dict[str, Any]:
    return serialize(queries.my_bundle(citizen_of(request.user), tracking))


@public_router.get(
    "/bundle-definitions", response=list[DefinitionOut], summary="Paket layanan peristiwa hidup"
)
def definitions(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "slug": d.slug,
            "name": _name(d),
            "life_event": d.life_event.slug if d.life_event else None,
            "services": d.services,
            "provided_later": d.provided_later,
        }
        for d in BundleDefinition.objects.filter(is_active=True).select_related("life_event")
    ]
