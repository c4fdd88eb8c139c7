from typing import Any

from django.core.management.base import BaseCommand

from mpp.regions import services
from mpp.regions.reference import SOURCE


class Command(BaseCommand):
    help = "Bring provinces and kabupaten/kota in line with the official list (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = services.sync_official_regions()
        self.stdout.write(f"{SOURCE}: {result.created} created, {result.updated} updated")
