from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "mpp.integrations"
    label = "integrations"
    verbose_name = _("Integrasi")

    def ready(self) -> None:
        # Adapters register themselves on import; the settings choose among them by name.
        from mpp.integrations import checks  # noqa: F401 - the deploy check of the adapters
        from mpp.integrations.contrib.demo_lapor import plugin as _demo_lapor  # noqa: F401
        from mpp.integrations.contrib.demo_registry import plugin as _demo_registry  # noqa: F401
        from mpp.integrations.contrib.http_sms import plugin as _http_sms  # noqa: F401
        from mpp.integrations.contrib.lapor_http import plugin as _lapor_http  # noqa: F401
        from mpp.integrations.contrib.registry_http import plugin as _registry_http  # noqa: F401
