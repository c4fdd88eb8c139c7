import json
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from mpp.catalog import queries, read_cache
from mpp.catalog.models import Channel, Offering
from mpp.core.errors import NotFound
from mpp.core.text import fold
from mpp.regions import queries as region_queries
from mpp.regions.models import Region
from mpp.regions.preferences import remember_region, remembered_region_code

PAGE_SIZE = 30


def _region(code: str) -> Region:
    """A kabupaten/kota (a tenant) in one query, or 404."""
    try:
        return region_queries.get_kabkota(code=code)
    except NotFound as exc:
        raise Http404(exc.message) from exc


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
    """A region's catalogue, filtered and paged.

    The catalogue part (heading, filters, list, pager) is rendered once per region, query string,
    language and catalogue fingerprint and kept (catalog.read_cache), so a visit when nothing
    changed costs the fingerprint and the region, whatever the page size. The page around it is
    rendered for each visitor: the header carries the login state, the notification badge and,
    for a signed-in visitor, a logout form with a CSRF token, so no whole response is cached and
    no ETag is promised before rendering; ConditionalGetMiddleware still answers 304 when the
    rendered page is the same as the one the visitor has. Life-event packages (cases) are read
    on each visit, and only when the list is filtered by a life event.
    """
    # The fingerprint first: what is built after it is at least as new as it says.
    fingerprint = read_cache.fingerprint(region_code=code)
    region = _region(code)
    filters = queries.CatalogFilters(
        q=request.GET.get("q", "").strip()[:100],
        agency=request.GET.get("instansi", "")[:50],
        life_event=request.GET.get("peristiwa", "")[:50],
        channel=request.GET.get("kanal", "") if request.GET.get("kanal") in Channel.values else "",
        tag=request.GET.get("prioritas", "")[:50],
    )
    query = request.GET.copy()
    page_number = query.pop("hal", [None])[-1]
    key = f"region-catalog:{region.code}:{query.urlencode()}"

    def head() -> str:
        context = {
            "region": region,
            "filters": filters,
            "digitalisation": queries.get_digitalisation(region_code=region.code),
            "agencies": queries.list_agencies(region_code=region.code),
            "life_events": queries.list_life_events(),
            "tags": queries.list_priority_tags(),
            "channels": Channel.choices,
        }
        return render_to_string("catalog/parts/region_catalog_head.html", context)

    def listing() -> str:
        offerings = queries.list_offerings(region_code=region.code, filters=filters)
        page = Paginator(offerings, PAGE_SIZE).get_page(page_number)
        context = {"region": region, "page": page, "query": query.urlencode()}
        return render_to_string("catalog/parts/region_catalog_list.html", context)

    response = render(
        request,
        "catalog/region_catalog.html",
        {
            "region": region,
            "catalogue_head": mark_safe(  # noqa: S308 - rendered by a template, escaped there
                read_cache.cached(key=f"{key}:head", fingerprint=fingerprint, build=head)
            ),
            "catalogue_list": mark_safe(  # noqa: S308 - rendered by a template, escaped there
                read_cache.cached(
                    key=f"{key}:{page_number}", fingerprint=fingerprint, build=listing
                )
            ),
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


@dataclass(frozen=True)
class RenderedService:
    service_name: str
    region_name: str
    content: str


@require_GET
def service_detail(request: HttpRequest, code: str, slug: str) -> HttpResponse:
    """One service in one region.

    Its content is rendered once per host (the JSON-LD carries absolute URLs), region, service,
    language and catalogue fingerprint of the region and kept (catalog.read_cache), so a visit when nothing changed
    costs the fingerprint alone. As on the catalogue page, the page around it is rendered for
    each visitor (login state, CSRF token), so no whole response is cached and no ETag is promised
    before rendering; ConditionalGetMiddleware answers 304 for an unchanged rendered page.
    """

    def build() -> RenderedService:
        offering = _offering(code, slug)
        context = {
            "offering": offering,
            "region": offering.region,
            "version": offering.standard,
            "jsonld": government_service_jsonld(request, offering),
        }
        content = render_to_string("catalog/parts/service_detail.html", context)
        return RenderedService(offering.template.name, offering.region.name, content)

    rendered = read_cache.cached(
        key=f"service-page:{request.scheme}://{request.get_host()}:{code}:{slug}",
        fingerprint=read_cache.fingerprint(region_code=code),
        build=build,
    )
    return render(
        request,
        "catalog/service_detail.html",
        {
            "service_name": rendered.service_name,
            "region_name": rendered.region_name,
            "content": mark_safe(rendered.content),  # noqa: S308 - rendered by a template
        },
    )


@require_GET
def requirements_checklist(request: HttpRequest, code: str, slug: str) -> HttpResponse:
    """The printable checklist of one service in one region.

    The page has no header and nothing of the visitor, so all of it is kept, once per address
    (it prints its own URL), language and catalogue fingerprint of the region: a visit when
    nothing changed costs the fingerprint alone.
    """

    def build() -> str:
        offering = _offering(code, slug)
        context = {
            "offering": offering, "region": offering.region, "version": offering.standard,
            "page_url": page_url,
        }  # fmt: skip
        return render_to_string("catalog/checklist.html", context, request=request)

    page_url = request.build_absolute_uri(request.path)  # a query string is not the page's
    return HttpResponse(
        read_cache.cached(
            key=f"checklist:{page_url}",
            fingerprint=read_cache.fingerprint(region_code=code),
            build=build,
        )
    )


@require_GET
def search_services(request: HttpRequest) -> HttpResponse:
    """One box for every service in the country, ranked for the visitor's own region.

    The results are rendered once per folded query (the ranking sees nothing else of it), region,
    language and fingerprint (templates and agency kinds; with a region, its catalogue too) and
    kept (catalog.read_cache): a repeat search costs the fingerprint and the region. The key is
    hashed into the cache key, so its size is bounded whatever the query (cut at 100 characters
    here). The box and the region above them are rendered for each visit.
    """
    q = request.GET.get("q", "").strip()[:100]
    code = request.GET.get("wilayah") or remembered_region_code(request)
    # The fingerprint first: what is built after it is at least as new as it says. An unknown
    # code scopes it to nothing, which leaves templates and agency kinds, as without a region.
    fingerprint = None
    if q:
        fingerprint = (
            read_cache.fingerprint(region_code=code)
            if code
            else read_cache.fingerprint_of("templates")
        )
    region = None
    if code:
        try:
            region = region_queries.get_kabkota(code=code)
        except NotFound:
            region = None
    results = ""
    if fingerprint is not None:

        def build() -> str:
            found = queries.search_catalog(q=q, region_code=region.code if region else None)
            context = {"region": region, "results": found}
            return render_to_string("catalog/parts/search_results.html", context)

        results = read_cache.cached(
            key=f"search:{region.code if region else '-'}:{fold(q)}",
            fingerprint=fingerprint,
            build=build,
        )
    response = render(
        request,
        "catalog/search.html",
        {
            "q": q,
            "region": region,
            "results": mark_safe(results),  # noqa: S308 - rendered by a template, escaped there
        },
    )
    if region is not None:
        remember_region(response, request, region)
    return response


@dataclass(frozen=True)
class RenderedTemplate:
    name: str
    content: str


@require_GET
def template_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The national Standar Pelayanan of a service and the regions that offer it.

    Its content is rendered once per service, language and fingerprint of the template (the
    template and its version in force, agency kinds, its offerings and the regions that have one)
    and kept (catalog.read_cache), so a visit when nothing changed costs the fingerprint alone.
    The page around it is rendered for each visitor, as on the service page.
    """

    def build() -> RenderedTemplate:
        try:
            template = queries.get_template(slug=slug)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        context = {
            "template": template,
            "version": template.current_version,
            "regions": queries.list_regions_offering(template=template),
        }
        content = render_to_string("catalog/parts/template_detail.html", context)
        return RenderedTemplate(template.name, content)

    rendered = read_cache.cached(
        key=f"template-page:{slug}",
        fingerprint=read_cache.fingerprint_of("template", slug),
        build=build,
    )
    return render(
        request,
        "catalog/template_detail.html",
        {
            "template_name": rendered.name,
            "content": mark_safe(rendered.content),  # noqa: S308 - rendered by a template
        },
    )
