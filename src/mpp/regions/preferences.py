"""The visitor's own kabupaten/kota, remembered in a cookie so search can favour it."""

from django.http import HttpRequest, HttpResponse

from mpp.regions.models import Region

REGION_COOKIE = "mpp_wilayah"


def remembered_region_code(request: HttpRequest) -> str:
    return request.COOKIES.get(REGION_COOKIE, "")


def remember_region(response: HttpResponse, request: HttpRequest, region: Region) -> None:
    if region.is_tenant and remembered_region_code(request) != region.code:
        response.set_cookie(REGION_COOKIE, region.code, max_age=365 * 24 * 3600, samesite="Lax")
