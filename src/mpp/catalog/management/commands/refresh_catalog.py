from typing import Any

from django.core.management.base import BaseCommand

from mpp.catalog import services
from mpp.catalog.models import ServiceTemplate


class Command(BaseCommand):
    help = "Make versions whose effective date has come the current ones (run daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        changed = 0
        for template in ServiceTemplate.objects.all():
            before = template.current_version_id
            services.refresh_current_version(template=template)
            changed += template.current_version_id != before
        self.stdout.write(f"{changed} templates moved to a newly effective version")
