"""Cached answers for the public catalogue API (house rule 10: reads are cheap).

An answer is kept per process under its parameters, the language and a fingerprint of the data it
depends on (one or two small aggregate queries). The fingerprint is also the ETag, so a repeat
visit is answered 304 before anything is built. Any save of an offering (channels included: they
are only changed through save_offering) or of a template changes the fingerprint.
"""

import hashlib
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, Sum
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import translation
from pydantic import BaseModel

from mpp.catalog.models import Offering, ServiceTemplate

CACHE_SECONDS = 600
CACHE_CONTROL = "public, max-age=300"


def templates_fingerprint() -> tuple[Any, ...]:
    row = ServiceTemplate.objects.aggregate(
        n=Count("id"), changed=Max("updated_at"), versions=Sum("current_version_id")
    )
    return (row["n"], row["changed"], row["versions"])


def offerings_fingerprint(**filters: Any) -> tuple[Any, ...]:
    row = Offering.objects.filter(**filters).aggregate(
        n=Count("id"), changed=Max("updated_at"), ids=Sum("id")
    )
    return (row["n"], row["changed"], row["ids"])


def cached_json(
    request: HttpRequest,
    *,
    key: str,
    fingerprint: tuple[Any, ...],
    schema: type[BaseModel],
    build: Callable[[], dict[str, Any]],
) -> HttpResponse:
    """The JSON of `schema` for `build()`, from cache when the fingerprint is unchanged."""
    language = translation.get_language() or "id"
    digest = hashlib.sha256(repr((key, language, fingerprint)).encode()).hexdigest()[:32]
    etag = f'"{digest}"'
    headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL, "Vary": "Accept-Language, Cookie"}
    if etag in request.headers.get("If-None-Match", ""):
        return HttpResponseNotModified(headers=headers)
    body = cache.get(f"catalog-api:{digest}")
    if body is None:
        body = schema.model_validate(build()).model_dump_json(by_alias=False)
        cache.set(f"catalog-api:{digest}", body, CACHE_SECONDS)
    return HttpResponse(body, content_type="application/json; charset=utf-8", headers=headers)
