from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.security import django_auth

from mpp.catalog import read_cache
from mpp.catalog.queries import get_digitalisation
from mpp.core.errors import NotFound
from mpp.regions import queries, services
from mpp.regions.models import MppSite, Region
from mpp.regions.reference import districts_of
from mpp.regions.schemas import (
    DistrictsOut,
    MppSiteIn,
    MppSiteOut,
    RegionDetail,
    RegionFilters,
    RegionPage,
)

router = Router(tags=["wilayah"])
sites_router = Router(tags=["lokasi MPP"], auth=django_auth)


@router.get("", response=RegionPage, summary="Daftar provinsi dan kabupaten/kota")
def list_regions(request: HttpRequest, filters: Query[RegionFilters]) -> HttpResponse:
    # Cached like the catalogue (catalog.read_cache): the ETag is checked before anything is
    # built. Today's date is in the key: a region's MPP status depends on it.
    return read_cache.cached_json(
        request,
        key=f"regions:{timezone.localdate()}:{filters.model_dump_json()}",
        fingerprint=queries.regions_fingerprint(),
        schema=RegionPage,
        build=lambda: _region_page(filters),
    )


def _region_page(filters: RegionFilters) -> dict[str, object]:
    regions = queries.list_regions(level=filters.level, province=filters.province, q=filters.q)
    start = (filters.page - 1) * filters.page_size
    return {
        "count": regions.count(),
        "page": filters.page,
        "page_size": filters.page_size,
        "items": list(regions[start : start + filters.page_size]),
    }


@router.get("/{code}", response=RegionDetail, summary="Satu wilayah dengan lokasi MPP-nya")
def get_region(request: HttpRequest, code: str) -> HttpResponse:
    # Cached like the list, over the region, its province and kabupaten/kota, its MPP sites and
    # its offerings (digitalisation). Today's date is in the key: the MPP status depends on it.
    return read_cache.cached_json(
        request,
        key=f"region:{timezone.localdate()}:{code}",
        fingerprint=read_cache.fingerprint_of("region-detail", code),
        schema=RegionDetail,
        build=lambda: _region_detail(code),
    )


def _region_detail(code: str) -> Region:
    region = queries.get_region(code=code)
    region.digitalisation = (  # type: ignore[attr-defined]
        get_digitalisation(region_code=code) if region.is_tenant else None
    )
    return region


@router.get("/{code}/districts", response=DistrictsOut, summary="Kecamatan satu kabupaten/kota")
def list_districts(request: HttpRequest, response: HttpResponse, code: str) -> dict[str, Any]:
    """For address fields: the names their kecamatan must be one of (reference data)."""
    names = districts_of(code)
    if not names:
        raise NotFound(_("Wilayah dengan kode %(code)s tidak ditemukan.") % {"code": code})
    response["Cache-Control"] = "public, max-age=86400"
    return {"region": code, "districts": list(names)}


@sites_router.get("", response=list[MppSiteOut], summary="Lokasi MPP di wilayah kewenangan Anda")
def list_sites(request: HttpRequest) -> list[MppSite]:
    return list(queries.list_sites_for_staff(user=request.user))


@sites_router.post("", response={201: MppSiteOut}, summary="Tambah lokasi MPP")
def create_site(request: HttpRequest, payload: MppSiteIn) -> Status[MppSite]:
    site = services.save_mpp_site(
        actor=request.user, region_code=payload.region, **_fields(payload)
    )
    return Status(201, site)


@sites_router.put("/{site_id}", response=MppSiteOut, summary="Ubah lokasi MPP")
def update_site(request: HttpRequest, site_id: int, payload: MppSiteIn) -> MppSite:
    return services.save_mpp_site(
        actor=request.user, region_code=payload.region, site_id=site_id, **_fields(payload)
    )


def _fields(payload: MppSiteIn) -> dict[str, Any]:
    return payload.dict(exclude={"region"})
