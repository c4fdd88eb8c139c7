from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Load demo data (idempotent: running it twice adds nothing). Needs MPP_DEMO=true. "
        "Every app with a `demo` module contributes, in INSTALLED_APPS order."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.MPP_DEMO:
            raise CommandError("Demo data is only loaded with MPP_DEMO=true.")
        for config in apps.get_app_configs():
            module_name = f"{config.name}.demo"
            if config.name.startswith("mpp.") and find_spec(module_name):
                summary = import_module(module_name).load()
                self.stdout.write(summary)
