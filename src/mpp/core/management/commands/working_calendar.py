from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import formats

from mpp.core.calendar import timezone_for, working_seconds_per_day
from mpp.core.calendar_days import working_days
from mpp.regions.models import Region


class Command(BaseCommand):
    help = (
        "Print the weekdays off (holidays, cuti bersama, overrides) and any weekend working days "
        "of a year, to check that a decree was loaded: working_calendar 2026 [--region 35.10]."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("year", type=int)
        parser.add_argument("--region", default=None, help="Kemendagri code, e.g. 35.10")

    def handle(self, *args: Any, year: int, region: str | None, **options: Any) -> None:
        if region is not None and not Region.objects.filter(code=region).exists():
            raise CommandError(f"Unknown region {region!r}.")
        if not 1900 <= year <= 2200:
            raise CommandError("Year out of range.")
        zone = timezone_for(region)
        hours = working_seconds_per_day() / 3600
        self.stdout.write(f"{year} {region or 'nasional'} ({zone.key}, {hours:g} jam/hari)")
        for day in working_days(region).exceptional_days(year):
            mark = "masuk" if day.is_working_day else "libur"
            weekday = formats.date_format(day.date, "D")
            self.stdout.write(f"{day.date:%Y-%m-%d} {weekday:<6} {mark}  {day.name}")
