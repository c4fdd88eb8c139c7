"""Open data: the catalogue in CPSV-AP 3.2.0, as Turtle and JSON-LD.

`?region=35.10` gives that kabupaten/kota's active offerings; without it, the national templates.
Responses are public for an hour. The serialised graph is cached like the catalogue API
(catalog.read_cache): keyed by format, base URI and region under the catalogue fingerprint, which
is also the ETag, checked before anything is built. The graph is written in Bahasa Indonesia
whatever the visitor's language, so the body is one per format, base and region.
"""

import re

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotFound,
)
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from mpp.catalog import opendata, read_cache
from mpp.core.errors import NotFound

KABKOTA_CODE = re.compile(r"\d{2}\.\d{2}")
CONTENT_TYPES: dict[opendata.Format, str] = {
    "turtle": "text/turtle; charset=utf-8",
    "json-ld": "application/ld+json",
}
PLAIN_TEXT = "text/plain; charset=utf-8"
CACHE_CONTROL = "public, max-age=3600"


@require_safe
def catalog(request: HttpRequest, fmt: opendata.Format) -> HttpResponse:
    base = request.build_absolute_uri("/")
    code = request.GET.get("region")
    if code is None:
        fingerprint = read_cache.fingerprint()

        def build() -> bytes:
            return opendata.serialize(opendata.national_catalog(base=base), fmt)

    elif not KABKOTA_CODE.fullmatch(code):
        message = _("Parameter region harus berupa kode Kemendagri kabupaten/kota, mis. 35.10.")
        return HttpResponseBadRequest(message, content_type=PLAIN_TEXT)
    else:
        # The fingerprint first: what is built after it is at least as new as it says.
        fingerprint = read_cache.fingerprint(region_code=code)
        try:
            region = opendata.get_kabkota(code=code)
        except NotFound as exc:
            return HttpResponseNotFound(str(exc.message), content_type=PLAIN_TEXT)
        page = request.build_absolute_uri(reverse("regions:detail", args=[region.code]))

        def build() -> bytes:
            graph = opendata.regional_catalog(base=base, region=region, page=page)
            return opendata.serialize(graph, fmt)

    return read_cache.cached_body(
        request,
        key=f"open-data:{fmt}:{base}:{code}",
        fingerprint=fingerprint,
        content_type=CONTENT_TYPES[fmt],
        build=build,
        cache_control=CACHE_CONTROL,
        per_language=False,
    )
