import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from mpp.catalog import services
from mpp.core.errors import DomainError


class Command(BaseCommand):
    help = "Offer every published national service template in a kabupaten/kota (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("codes", nargs="+", help="Kemendagri codes, e.g. 35.10")

    def handle(self, *args: Any, codes: list[str], **options: Any) -> None:
        for code in codes:
            started = time.perf_counter()
            try:
                result = services.onboard_region(actor=None, region_code=code)
            except DomainError as exc:
                raise CommandError(str(exc.message)) from exc
            self.stdout.write(
                f"{code}: {result.created} offerings added, {result.existing} already there "
                f"({time.perf_counter() - started:.1f} s)"
            )
