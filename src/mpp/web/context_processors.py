from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    return {"MPP_DEMO": settings.MPP_DEMO}
