"""Indonesian working time: the clock every SLA counts with (ARCHITECTURE rule 4).

A working day is Monday to Friday, minus national holidays and cuti bersama (python-holidays),
with CalendarOverride rows on top (core.calendar_days). Working hours are MPP_WORKING_HOURS
("08:00-16:00") in the region's own time zone: WIB, WITA or WIT by province. No Indonesian zone
has daylight saving time, so local wall-clock arithmetic is exact.

See docs/working-time.md.
"""

import datetime
import re
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from mpp.core import calendar_days

UTC = datetime.UTC
WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")
WIT = ZoneInfo("Asia/Jayapura")
_MICROS = 1_000_000

# Province codes (Kepmendagri) by time zone; a test checks every province in the Region table.
_PROVINCES_BY_ZONE = {
    # Sumatra and its islands, Java, West and Central Kalimantan
    WIB: (*range(11, 20), 21, *range(31, 37), 61, 62),
    # Bali, NTB, NTT, South, East and North Kalimantan, Sulawesi
    WITA: (51, 52, 53, 63, 64, 65, *range(71, 77)),
    # Maluku, Maluku Utara and the Papua provinces (97 is kept for the next new one)
    WIT: (81, 82, *range(91, 98)),
}
_ZONE_OF_PROVINCE = {
    str(code): zone for zone, codes in _PROVINCES_BY_ZONE.items() for code in codes
}


class DurationUnit:
    """The unit names of mpp.catalog.models.DurationUnit (core does not import catalog)."""

    MINUTES = "minutes"
    HOURS = "hours"
    WORKING_DAYS = "working_days"
    DAYS = "days"


def provinces_by_zone() -> dict[ZoneInfo, list[str]]:
    """The province codes ("35") of each Indonesian time zone."""
    return {zone: [str(code) for code in codes] for zone, codes in _PROVINCES_BY_ZONE.items()}


def timezone_for(region_code: str | None) -> ZoneInfo:
    """The local time zone of a region ("35.10" or "35"); None is Jakarta (WIB)."""
    if region_code is None:
        return WIB
    zone = _ZONE_OF_PROVINCE.get(region_code.split(".", 1)[0])
    if zone is None:
        raise ValueError(f"unknown province in region code {region_code!r}")
    return zone


@dataclass(frozen=True)
class WorkingHours:
    opens: int  # microseconds after local midnight
    closes: int

    @property
    def length(self) -> int:
        return self.closes - self.opens


_HOURS = re.compile(r"^\s*([01]\d|2[0-3]):([0-5]\d)\s*-\s*([01]\d|2[0-4]):([0-5]\d)\s*$")


@lru_cache(maxsize=8)
def _parse_hours(text: str) -> WorkingHours:
    match = _HOURS.match(text)
    if match is None:
        raise ImproperlyConfigured(f"MPP_WORKING_HOURS must look like 08:00-16:00, not {text!r}")
    oh, om, ch, cm = (int(part) for part in match.groups())
    hours = WorkingHours(opens=(oh * 60 + om) * 60 * _MICROS, closes=(ch * 60 + cm) * 60 * _MICROS)
    if hours.length <= 0 or hours.closes > 24 * 3600 * _MICROS:
        raise ImproperlyConfigured(f"MPP_WORKING_HOURS must open before it closes: {text!r}")
    return hours


def working_hours() -> WorkingHours:
    return _parse_hours(settings.MPP_WORKING_HOURS)


def working_seconds_per_day() -> int:
    return working_hours().length // _MICROS


def is_working_day(day: datetime.date, *, region_code: str | None = None) -> bool:
    if isinstance(day, datetime.datetime):
        raise TypeError("is_working_day takes a date; use the region's local date of an instant")
    return calendar_days.working_days(region_code).is_working(day)


def _local(moment: datetime.datetime, zone: datetime.tzinfo) -> datetime.datetime:
    """The region's wall-clock time of an aware instant, as a naive datetime."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("working time needs an aware datetime, not a naive one")
    return moment.astimezone(zone).replace(tzinfo=None)


def _worked_today(
    local: datetime.datetime, hours: WorkingHours, days: calendar_days.WorkingDays
) -> int:
    """Working microseconds of local's own day that have passed by `local`."""
    if not days.is_working(local.date()):
        return 0
    since_midnight = (
        (local.hour * 60 + local.minute) * 60 + local.second
    ) * _MICROS + local.microsecond
    return min(max(since_midnight - hours.opens, 0), hours.length)


def working_seconds_between(
    start: datetime.datetime, end: datetime.datetime, *, region_code: str | None = None
) -> int:
    """Whole working seconds in [start, end); 0 when end <= start."""
    zone = timezone_for(region_code)
    first, last = _local(start, zone), _local(end, zone)
    if last <= first:
        return 0
    hours, days = working_hours(), calendar_days.working_days(region_code)
    micros = (
        days.count(first.date(), last.date()) * hours.length
        + _worked_today(last, hours, days)
        - _worked_today(first, hours, days)
    )
    return micros // _MICROS


def add_working_seconds(
    start: datetime.datetime, seconds: int, *, region_code: str | None = None
) -> datetime.datetime:
    """The first instant (in UTC) at which `seconds` of working time have passed since `start`.

    Outside working hours the count starts at the next opening. A span that ends exactly at a
    closing time ends then, not at the next opening. `seconds == 0` returns `start` itself.
    """
    if seconds < 0:
        raise ValueError("seconds must not be negative")
    zone = timezone_for(region_code)
    local = _local(start, zone)
    if seconds == 0:
        return start.astimezone(UTC)
    hours, days = working_hours(), calendar_days.working_days(region_code)
    # Count from the opening of start's day: the working time already behind us, plus ours.
    needed = _worked_today(local, hours, days) + seconds * _MICROS
    full_days, into_last_day = divmod(needed - 1, hours.length)
    day = days.nth(local.date(), full_days + 1)
    moment = datetime.datetime.combine(day, datetime.time()) + datetime.timedelta(
        microseconds=hours.opens + into_last_day + 1
    )
    return moment.replace(tzinfo=zone).astimezone(UTC)


def add_working_time(
    start: datetime.datetime, value: int, unit: str, *, region_code: str | None = None
) -> datetime.datetime:
    """`start` plus `value` `unit`s (a catalog DurationUnit), in UTC.

    minutes and hours are working time; a working day is a full day of working hours (Monday
    10:00 + 1 = Tuesday 10:00); days are calendar days.
    """
    if unit == DurationUnit.DAYS:
        if value < 0:
            raise ValueError("value must not be negative")
        _local(start, UTC)  # refuses a naive start
        return start.astimezone(UTC) + datetime.timedelta(days=value)
    per_unit = {
        DurationUnit.MINUTES: 60,
        DurationUnit.HOURS: 3600,
        DurationUnit.WORKING_DAYS: working_seconds_per_day(),
    }.get(unit)
    if per_unit is None:
        raise ValueError(f"unknown duration unit {unit!r}")
    if value < 0:
        raise ValueError("value must not be negative")
    return add_working_seconds(start, value * per_unit, region_code=region_code)
