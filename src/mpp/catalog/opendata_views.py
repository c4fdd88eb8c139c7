"""Open data: the catalogue in CPSV-AP 3.2.0, as Turtle and JSON-LD.

`?region=35.10` gives that kabupaten/kota's active offerings; without it, the national templates.
Responses are public for an hour; ConditionalGetMiddleware adds the ETag and answers 304.
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

from mpp.catalog import opendata
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
        graph = opendata.national_catalog(base=base)
    elif not KABKOTA_CODE.fullmatch(code):
        message = _("Parameter region harus berupa kode Kemendagri kabupaten/kota, mis. 35.10.")
        return HttpResponseBadRequest(message, content_type=PLAIN_TEXT)
    else:
        try:
            region = opendata.get_kabkota(code=code)
        except NotFound as exc:
            return HttpResponseNotFound(str(exc.message), content_type=PLAIN_TEXT)
        page = request.build_absolute_uri(reverse("regions:detail", args=[region.code]))
        graph = opendata.regional_catalog(base=base, region=region, page=page)
    response = HttpResponse(opendata.serialize(graph, fmt), content_type=CONTENT_TYPES[fmt])
    response["Cache-Control"] = CACHE_CONTROL
    return response
