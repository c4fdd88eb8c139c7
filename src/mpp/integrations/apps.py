from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "mpp.integrations"
    label = "integrations"
    verbose_name = _("Integrasi")

    def ready(self) -> None:
        from mpp.integrations.contrib.demo_registry import plugin  # noqa: F401 - registers it
