"""Deploy check (`manage.py check --deploy`): every adapter the settings choose says whether it
can work (its `check_config()`). Only the clamd scanner's ping touches the network."""

from collections.abc import Callable
from typing import Any

from django.core.checks import Tags, Warning, register

from mpp.core.registry import Plugin, PluginConfigError


def _adapters() -> list[tuple[str, str, Callable[[], Plugin]]]:
    from mpp.cases.scanning import scanner
    from mpp.integrations.complaints import complaint_forwarder
    from mpp.integrations.registry import population_registry
    from mpp.notifications.channels import channel_for

    return [
        ("mpp.W010", "e-mail", lambda: channel_for("email")),
        ("mpp.W011", "SMS gateway (MPP_SMS_GATEWAY)", lambda: channel_for("sms")),
        ("mpp.W012", "WhatsApp gateway (MPP_WHATSAPP_GATEWAY)", lambda: channel_for("whatsapp")),
        ("mpp.W013", "population registry (MPP_POPULATION_REGISTRY)", population_registry),
        ("mpp.W014", "complaint forwarder (MPP_COMPLAINT_FORWARDER)", complaint_forwarder),
        ("mpp.W015", "malware scanner (MPP_MALWARE_SCANNER)", scanner),
    ]


@register(Tags.compatibility, deploy=True)
def adapters_are_configured(app_configs: Any, **kwargs: Any) -> list[Warning]:
    warnings = []
    for check_id, what, configured in _adapters():
        try:
            configured().check_config()
        except PluginConfigError as exc:
            warnings.append(
                Warning(
                    f"The {what} cannot work as configured: {exc}",
                    hint="See docs/integrations.md, section Adapters.",
                    id=check_id,
                )
            )
    return warnings
