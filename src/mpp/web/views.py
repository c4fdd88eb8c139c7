from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from mpp.regions import queries as region_queries
from mpp.regions.models import Region

SEARCH_LIMIT = 30


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Find one's kabupaten/kota by name, or browse by province."""
    q = request.GET.get("q", "").strip()[:100]
    results: list[Region] = []
    total = 0
    if q:
        matches = region_queries.list_regions(level=Region.Level.KABKOTA, q=q)
        results = list(matches[:SEARCH_LIMIT])
        total = len(results) if len(results) < SEARCH_LIMIT else matches.count()
    provinces = list(region_queries.list_regions(level=Region.Level.PROVINCE))
    return render(
        request,
        "web/home.html",
        {"q": q, "results": results, "total": total, "provinces": provinces},
    )


@require_GET
def switch_language(request: HttpRequest, language: str) -> HttpResponse:
    """Remember the chosen language in a cookie and go back. A plain link, so pages stay cacheable."""
    if language not in dict(settings.LANGUAGES):
        raise Http404
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response
