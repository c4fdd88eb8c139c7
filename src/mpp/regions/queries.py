"""Read paths for regions and MPP sites. Public reads run a fixed number of queries."""

from typing import Any

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from mpp.core.errors import NotFound
from mpp.core.roles import Perm
from mpp.core.tenancy import for_actor
from mpp.core.text import search_terms
from mpp.regions.models import MppSite, Region


def list_regions(
    *, level: str | None = None, province: str | None = None, q: str | None = None
) -> QuerySet[Region]:
    regions = Region.objects.select_related("province")
    if level:
        regions = regions.filter(level=level)
    if province:
        regions = regions.filter(Q(province_id=province) | Q(code=province))
        if not level:
            regions = regions.filter(level=Region.Level.KABKOTA)
    for term in search_terms(q or ""):
        regions = regions.filter(search_text__contains=term)
    return regions.order_by("code")


def regions_fingerprint() -> tuple[Any, ...]:
    """What a list of regions depends on, in one query: every save of a region (MPP coverage
    included) changes its updated_at."""
    changed = Region.objects.aggregate(n=Count("pk"), changed=Max("updated_at"))
    return (changed["n"], changed["changed"])


def get_region(*, code: str) -> Region:
    """A region with its province and public MPP sites; 404 if the code is not official."""
    public_sites = Prefetch(
        "mpp_sites", queryset=MppSite.objects.filter(is_active=True), to_attr="public_sites"
    )
    kabkota = Prefetch("kabkota", queryset=Region.objects.order_by("code"), to_attr="kabkota_list")
    region = (
        Region.objects.select_related("province")
        .prefetch_related(public_sites, kabkota)
        .filter(code=code)
        .first()
    )
    if region is None:
        raise NotFound(_("Wilayah dengan kode %(code)s tidak ditemukan.") % {"code": code})
    return region


def list_provinces_with_kabkota() -> QuerySet[Region]:
    kabkota = Prefetch("kabkota", queryset=Region.objects.order_by("code"))
    return Region.objects.filter(level=Region.Level.PROVINCE).prefetch_related(kabkota)


def list_sites_for_staff(*, user: Any) -> QuerySet[MppSite]:
    """Every MPP site, drafts included, in the regions the user may see."""
    sites = MppSite.objects.select_related("region")
    return for_actor(sites, user, permission=Perm.VIEW_SITES)


def get_kabkota(*, code: str) -> Region:
    """One kabupaten/kota, in one query; 404 if the code is not an official kabupaten/kota."""
    region = Region.objects.filter(code=code, level=Region.Level.KABKOTA).first()
    if region is None:
        raise NotFound(_("Wilayah dengan kode %(code)s tidak ditemukan.") % {"code": code})
    return region
