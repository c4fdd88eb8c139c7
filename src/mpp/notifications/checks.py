"""Deploy checks (`manage.py check --deploy`): what citizens receive must be reachable."""

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register

DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"


@register(Tags.security, deploy=True)
def public_url_is_set(app_configs: Any, **kwargs: Any) -> list[Warning]:
    """Links in messages and the QR codes printed on issued documents use MPP_PUBLIC_URL; a
    document printed with the default can never be verified."""
    if settings.MPP_PUBLIC_URL == DEFAULT_PUBLIC_URL and not settings.MPP_DEMO:
        return [
            Warning(
                "MPP_PUBLIC_URL is not set: issued documents and messages would point to "
                f"{DEFAULT_PUBLIC_URL}.",
                hint="Set MPP_PUBLIC_URL to the site's public https origin.",
                id="mpp.W001",
            )
        ]
    return []
