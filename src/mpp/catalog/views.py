import json
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from mpp.catalog import queries
from mpp.catalog.models import Channel, Offering
from mpp.core.errors import NotFound
from mpp.regions import queries as region_queries
from mpp.regions.models import Region
from mpp.regions.preferences import remember_region, remembered_region_code

PAGE_SIZE = 30


def _region(code: str) -> Region:
    try:
        region = region_queries.get_region(code=code)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if not region.is_tenant:
        raise Http404
    return region


def _offering(code: str, slug: str) -> Offering:
    try:
        return queries.get_offering(region_code=code, slug=slug)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _bundles_for(life_event: str) -> list[Any]:
    """Life-event packages ("Ajukan sekaligus") when the list is filtered by that event."""
    if not life_event:
        return []
    from mpp.cases.models import BundleDefinition  # cases builds on catalog, not the reverse

    return list(BundleDefinition.objects.filter(life_event__slug=life_event, is_active=True))


@require_GET
def region_catalog(request: HttpRequest, code: str) -> HttpResponse:
    region = _region(code)
    filters = queries.CatalogFilters(
        q=request.GET.get("q", "").strip()[:100],
        agency=request.GET.get("instansi", "")[:50],
        life_event=request.GET.get("peristiwa", "")[:50],
        channel=request.GET.get("kanal", "") if request.GET.get("kanal") in Channel.values else "",
        tag=request.GET.get("prioritas", "")[:50],
    )
    offerings = queries.list_offerings(region_code=region.code, filters=filters)
    page = Paginator(offerings, PAGE_SIZE).get_page(request.GET.get("hal"))
    query = request.GET.copy()
    query.pop("hal", None)
    response = render(
        request,
        "catalog/region_catalog.html",
        {
            "region": region,
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
            "digitalisation": queries.get_digitalisation(region_code=region.code),
            "agencies": queries.list_agencies(region_code=region.code),
            "life_events": queries.list_life_events(),
            "tags": queries.list_priority_tags(),
            "channels": Channel.choices,
            "bundles": _bundles_for(filters.life_event),
        },
    )
    remember_region(response, request, region)
    return response


def government_service_jsonld(request: HttpRequest, offering: Offering) -> str:
    """schema.org GovernmentService, so search engines can show what the service needs."""
    version = offering.standard
    url = request.build_absolute_uri(
        reverse("catalog:service", args=[offering.region_id, offering.template.slug])
    )
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "GovernmentService",
        "name": offering.template.name,
        "alternateName": offering.template.common_names,
        "url": url,
        "serviceType": offering.template.name,
        "provider": {"@type": "GovernmentOrganization", "name": offering.agency.name},
        "areaServed": {"@type": "AdministrativeArea", "name": offering.region.name},
        "serviceOutput": version.output,
        "availableChannel": [
            {
                "@type": "ServiceChannel",
                "name": str(Channel(c.kind).label),
                **({"serviceUrl": c.url} if c.url else {}),
                **({"serviceLocation": {"@type": "Place", "name": c.site.name}} if c.site else {}),
            }
            for c in offering.channels.all()
        ],
        "termsOfService": version.legal_basis or None,
    }
    text = json.dumps({k: v for k, v in data.items() if v}, ensure_ascii=False)
    return mark_safe(text.replace("<", "\\u003c"))  # noqa: S308 - escaped for a script element


@require_GET
def service_detail(request: HttpRequest, code: str, slug: str) -> HttpResponse:
    offering = _offering(code, slug)
    return render(
        request,
        "catalog/service_detail.html",
        {
            "offering": offering,
            "region": offering.region,
            "version": offering.standard,
            "jsonld": government_service_jsonld(request, offering),
        },
    )


@require_GET
def requirements_checklist(request: HttpRequest, code: str, slug: str) -> HttpResponse:
    offering = _offering(code, slug)
    return render(
        request,
        "catalog/checklist.html",
        {"offering": offering, "region": offering.region, "version": offering.standard},
    )


@require_GET
def search_services(request: HttpRequest) -> HttpResponse:
    """One box for every service in the country, ranked for the visitor's own region."""
    q = request.GET.get("q", "").strip()[:100]
    code = request.GET.get("wilayah") or remembered_region_code(request)
    region = None
    if code:
        try:
            region = region_queries.get_kabkota(code=code)
        except NotFound:
            region = None
    results = queries.search_catalog(q=q, region_code=region.code if region else None) if q else []
    response = render(
        request,
        "catalog/search.html",
        {"q": q, "region": region, "results": results},
    )
    if region is not None:
        remember_region(response, request, region)
    return response


@require_GET
def template_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The national Standar Pelayanan of a service and the regions that offer it."""
    try:
        template = queries.get_template(slug=slug)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return render(
        request,
        "catalog/template_detail.html",
        {
            "template": template,
            "version": template.current_version,
            "regions": queries.list_regions_offering(template=template),
        },
    )
