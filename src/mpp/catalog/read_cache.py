"""Cached answers for public catalogue reads (house rule 10: reads are cheap).

An answer is kept per process under its parameters, the language and a fingerprint of the data it
depends on (one small query). The fingerprint is also the ETag, so a repeat visit is answered
304 before anything is built. The catalogue fingerprint covers every row a catalogue answer
shows: templates (and which version is in force), the offerings in scope (channels included:
they are only changed through save_offering), agency kinds, agencies, life events, priority
tags, document types, and the region and MPP sites in scope. Any save of one of them changes it.
A scope (SCOPES) says which offerings, agencies, MPP sites and regions are in it: a page that
shows none of a kind leaves that part out (NOTHING), so a change there leaves its answers be.
Read the fingerprint before anything the answer is built from: then a change committed in
between is in the answer (kept under the older fingerprint, soon replaced), never missing from
an answer kept under the newer one.
"""

import hashlib
from collections.abc import Callable
from typing import Any, Literal, TypeVar

from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import translation
from pydantic import BaseModel

CACHE_SECONDS = 600
CACHE_CONTROL = "public, max-age=300"
T = TypeVar("T")
VARY = "Accept-Language, Cookie"  # the language may come from the cookie

# Count, last change and id sums of every template and of the offerings in scope; count and last
# change of the national row kinds (agency kinds, life events, priority tags, document types) and
# of the agencies, MPP sites and region in scope. `{...}`: the WHERE clauses of the scope.
FINGERPRINT_SQL = (
    "SELECT * FROM"
    " (SELECT COUNT(*), MAX(updated_at), SUM(current_version_id) FROM catalog_servicetemplate) t,"
    " (SELECT COUNT(*), MAX(updated_at) FROM catalog_agencykind) k,"
    " (SELECT COUNT(*), MAX(updated_at) FROM catalog_lifeevent) e,"
    " (SELECT COUNT(*), MAX(updated_at) FROM catalog_prioritytag) p,"
    " (SELECT COUNT(*), MAX(updated_at) FROM catalog_documenttype) d,"
    " (SELECT COUNT(*), MAX(updated_at), SUM(id) FROM catalog_offering{offering}) o,"
    " (SELECT COUNT(*), MAX(updated_at) FROM catalog_agency{agency}) a,"
    " (SELECT COUNT(*), MAX(updated_at) FROM regions_mppsite{site}) s,"
    " (SELECT COUNT(*), MAX(updated_at) FROM regions_region{region}) r"
)
# The WHERE clauses of the scoped parts, each with one parameter: the region code or offering id.
REGION_SCOPE = {
    "offering": " WHERE region_id = %s",
    # its own offices and those serving it from elsewhere (list_agencies, open data)
    "agency": " WHERE region_id = %s OR id IN"
    " (SELECT agency_id FROM catalog_agency_service_area WHERE region_id = %s)",
    "site": " WHERE region_id = %s",
    "region": " WHERE code = %s",
}
OFFERING_REGION = "(SELECT region_id FROM catalog_offering WHERE id = %s)"
OFFERING_SCOPE = {
    "offering": " WHERE id = %s",
    "agency": " WHERE id = (SELECT agency_id FROM catalog_offering WHERE id = %s)",
    "site": f" WHERE region_id = {OFFERING_REGION}",
    "region": f" WHERE code = {OFFERING_REGION}",
}
NATIONAL_SCOPE = dict.fromkeys(REGION_SCOPE, "")
NOTHING = " WHERE 1 = 0"  # a part the answer does not show: (0, NULL), without a scan
TEMPLATE_ID = "(SELECT id FROM catalog_servicetemplate WHERE slug = %s)"
TEMPLATE_REGIONS = (
    "(SELECT region_id FROM catalog_offering"
    " WHERE template_id IN (SELECT id FROM catalog_servicetemplate WHERE slug = %s))"
)
# The national page of one template (by slug): its offerings and the regions that have one.
TEMPLATE_SCOPE = {
    "offering": f" WHERE template_id IN {TEMPLATE_ID}",
    "agency": NOTHING,
    "site": NOTHING,
    "region": f" WHERE code IN {TEMPLATE_REGIONS}",
}
# National search results without a region: templates and agency kinds only.
TEMPLATES_SCOPE = dict.fromkeys(REGION_SCOPE, NOTHING)
# One region in the regions API (by code): its offerings (digitalisation), its MPP sites, the
# region, its province and its kabupaten/kota.
REGION_DETAIL_SCOPE = {
    "offering": " WHERE region_id = %s",
    "agency": NOTHING,
    "site": " WHERE region_id = %s",
    "region": " WHERE code = %s OR province_id = %s"
    " OR code = (SELECT province_id FROM regions_region WHERE code = %s)",
}
Scope = Literal["national", "region", "offering", "template", "templates", "region-detail"]
SCOPES: dict[Scope, dict[str, str]] = {
    "national": NATIONAL_SCOPE,
    "region": REGION_SCOPE,
    "offering": OFFERING_SCOPE,
    "template": TEMPLATE_SCOPE,
    "templates": TEMPLATES_SCOPE,
    "region-detail": REGION_DETAIL_SCOPE,
}


def fingerprint(
    *, region_code: str | None = None, offering_id: int | None = None
) -> tuple[Any, ...]:
    """What the answers of one region, one offering or the national list depend on, in one query."""
    if region_code is not None:
        return fingerprint_of("region", region_code)
    if offering_id is not None:
        return fingerprint_of("offering", offering_id)
    return fingerprint_of("national")


def fingerprint_of(scope_name: Scope, value: str | int | None = None) -> tuple[Any, ...]:
    """The fingerprint over one of SCOPES, whose clauses all take `value`, in one query.
    Raw SQL: Django takes longer to build the aggregates than the database takes to run them."""
    scope = SCOPES[scope_name]
    params = [value] * sum(clause.count("%s") for clause in scope.values())
    with connection.cursor() as cursor:
        cursor.execute(FINGERPRINT_SQL.format(**scope), params)
        return tuple(cursor.fetchone())


def digest_for(key: str, fingerprint: tuple[Any, ...], *, per_language: bool = True) -> str:
    """The cache key and ETag of `key` over `fingerprint`, in the active language if it matters."""
    language = (translation.get_language() or "id") if per_language else "-"
    return hashlib.sha256(repr((key, language, fingerprint)).encode()).hexdigest()[:32]


def cached(
    *, key: str, fingerprint: tuple[Any, ...], build: Callable[[], T], per_language: bool = True
) -> T:
    """`build()`, from cache when the fingerprint is unchanged: an API body, or the rendered
    catalogue part of a page. The value must not depend on the visitor."""
    cache_key = f"catalog-read:{digest_for(key, fingerprint, per_language=per_language)}"
    value = caches["reads"].get(cache_key)
    if value is None:
        value = build()
        caches["reads"].set(cache_key, value, CACHE_SECONDS)
    return value


def cached_body(
    request: HttpRequest,
    *,
    key: str,
    fingerprint: tuple[Any, ...],
    content_type: str,
    build: Callable[[], str | bytes],
    cache_control: str = CACHE_CONTROL,
    per_language: bool = True,
) -> HttpResponse:
    """A public answer of `content_type` whose ETag is checked before anything is built, and
    whose body comes from cache when the fingerprint is unchanged. `per_language=False` for a
    body that is the same in every language (no Vary then, so shared caches keep one copy)."""
    etag = f'"{digest_for(key, fingerprint, per_language=per_language)}"'
    headers = {"ETag": etag, "Cache-Control": cache_control}
    if per_language:
        headers["Vary"] = VARY
    if etag in request.headers.get("If-None-Match", ""):
        return HttpResponseNotModified(headers=headers)
    body = cached(key=key, fingerprint=fingerprint, build=build, per_language=per_language)
    return HttpResponse(body, content_type=content_type, headers=headers)


def cached_json(
    request: HttpRequest,
    *,
    key: str,
    fingerprint: tuple[Any, ...],
    schema: type[BaseModel],
    build: Callable[[], Any],
    cache_control: str = CACHE_CONTROL,
) -> HttpResponse:
    """The JSON of `schema` for `build()`, from cache when the fingerprint is unchanged."""
    return cached_body(
        request,
        key=key,
        fingerprint=fingerprint,
        content_type="application/json; charset=utf-8",
        build=lambda: schema.model_validate(build()).model_dump_json(by_alias=False),
        cache_control=cache_control,
    )
