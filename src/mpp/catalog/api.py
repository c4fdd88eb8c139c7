from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from mpp.catalog import queries, read_cache
from mpp.catalog.models import Offering, ServiceTemplate, StandardVersion
from mpp.catalog.schemas import (
    AgencyOut,
    CatalogQuery,
    LifeEventOut,
    ServiceDetail,
    ServicePage,
    channel_label,
    duration_label,
)
from mpp.regions import queries as region_queries

router = Router(tags=["katalog layanan"])
PUBLIC_CACHE = "public, max-age=300"


def _summary(
    *, template: ServiceTemplate, version: StandardVersion, offering: Offering | None
) -> dict[str, Any]:
    value = offering.duration_value if offering else version.duration_value
    unit = offering.duration_unit if offering else version.duration_unit
    channels = [c.kind for c in offering.channels.all()] if offering else template.default_channels
    return {
        "id": offering.pk if offering else None,
        "slug": template.slug,
        "name": template.name,
        "name_en": template.name_en,
        "agency": {"slug": template.agency_kind.slug, "name": str(template.agency_kind)},
        "region": offering.region_id if offering else None,
        "channels": channels,
        "is_digital": offering.is_digital if offering else False,
        "duration": {"value": value, "unit": unit, "label": duration_label(value, unit)},
        "is_free": offering.is_free if offering else version.is_free,
        "life_events": [e.slug for e in template.life_events.all()],
    }


def offering_detail(offering: Offering) -> dict[str, Any]:
    version = offering.standard
    template = offering.template
    overrides = {
        key: value
        for key, value in {
            "tariffs": offering.tariffs_override,
            "duration_value": offering.duration_value_override,
            "duration_unit": offering.duration_unit_override or None,
        }.items()
        if value is not None
    }
    return {
        **_summary(template=template, version=version, offering=offering),
        "version": version.number,
        "effective_from": version.effective_from,
        "requirements": [
            {
                "document_type": r.document_type.name if r.document_type else None,
                "description": r.description,
            }
            for r in version.requirements.all()
        ],
        "procedure": version.procedure,
        "tariffs": offering.tariffs,
        "output": version.output,
        "complaints": version.complaints,
        "channel_details": [
            {
                "kind": c.kind,
                "label": channel_label(c.kind),
                "url": c.url,
                "site": c.site.name if c.site else None,
            }
            for c in offering.channels.all()
        ],
        "priority_tags": [t.slug for t in template.priority_tags.all()],
        "overrides": overrides,
        "notes": offering.notes,
        "demo_fields": version.demo_fields,
        "min_assurance_level": template.min_assurance_level,
        "sources": version.sources,
    }


@router.get("/services", response=ServicePage, summary="Katalog layanan (nasional atau per daerah)")
def list_services(request: HttpRequest, params: Query[CatalogQuery]) -> HttpResponse:
    filters = queries.CatalogFilters(
        q=params.q or "",
        agency=params.agency or "",
        life_event=params.life_event or "",
        channel=params.channel or "",
        tag=params.tag or "",
    )
    return read_cache.cached_json(
        request,
        key=f"services:{params.model_dump_json()}",
        fingerprint=read_cache.fingerprint(region_code=params.region or None),
        schema=ServicePage,
        build=lambda: _service_page(params, filters),
    )


def _service_page(params: CatalogQuery, filters: queries.CatalogFilters) -> dict[str, Any]:
    start = (params.page - 1) * params.page_size
    items: list[dict[str, Any]]
    if params.region:
        region_queries.get_kabkota(code=params.region)  # 404 for an unknown region
        offerings = queries.list_offerings(region_code=params.region, filters=filters)
        count = offerings.count()
        page = offerings.prefetch_related("template__life_events")[start : start + params.page_size]
        items = [_summary(template=o.template, version=o.standard, offering=o) for o in page]
    else:
        templates = queries.list_templates(filters=filters)
        count = templates.count()
        page_t = templates.prefetch_related("life_events")[start : start + params.page_size]
        items = [
            _summary(template=t, version=t.current_version, offering=None)  # type: ignore[arg-type]
            for t in page_t
        ]
    return {"count": count, "page": params.page, "page_size": params.page_size, "items": items}


@router.get("/services/{offering_id}", response=ServiceDetail, summary="Satu layanan daerah")
def get_service(request: HttpRequest, offering_id: int) -> HttpResponse:
    return read_cache.cached_json(
        request,
        key=f"service:{offering_id}",
        fingerprint=read_cache.fingerprint(offering_id=offering_id),
        schema=ServiceDetail,
        build=lambda: offering_detail(queries.get_offering_by_id(offering_id=offering_id)),
    )


@router.get("/agencies", response=list[AgencyOut], summary="Instansi")
def list_agencies(
    request: HttpRequest, region: str | None = None, kind: str | None = None
) -> list[Any]:
    return list(queries.list_agencies(region_code=region, kind=kind))


@router.get("/life-events", response=list[LifeEventOut], summary="Peristiwa hidup")
def list_life_events(request: HttpRequest, response: HttpResponse) -> list[Any]:
    response["Cache-Control"] = PUBLIC_CACHE
    return list(queries.list_life_events())
