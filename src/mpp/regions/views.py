from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from mpp.catalog.queries import get_digitalisation
from mpp.core.errors import NotFound
from mpp.regions import queries
from mpp.regions.models import MppSite
from mpp.regions.preferences import remember_region

DAY_NAMES = {
    "mon": _("Senin"),
    "tue": _("Selasa"),
    "wed": _("Rabu"),
    "thu": _("Kamis"),
    "fri": _("Jumat"),
    "sat": _("Sabtu"),
    "sun": _("Minggu"),
}


def _hours_by_day(site: MppSite) -> list[tuple[str, list[list[str]]]]:
    return [(str(label), site.opening_hours.get(day, [])) for day, label in DAY_NAMES.items()]


@require_GET
def region_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        region = queries.get_region(code=code)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    for site in region.public_sites:  # type: ignore[attr-defined]
        site.hours_by_day = _hours_by_day(site)
    digitalisation = get_digitalisation(region_code=region.code) if region.is_tenant else None
    response = render(
        request, "regions/detail.html", {"region": region, "digitalisation": digitalisation}
    )
    remember_region(response, request, region)
    return response
