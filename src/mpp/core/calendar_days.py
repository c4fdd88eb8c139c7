"""Which dates are working days: Monday to Friday, minus national holidays and cuti bersama
(python-holidays), with the CalendarOverride table on top.

Per process, each (year, override scope) becomes a table of 365/366 bytes, 1 for a working day,
so counting working days is `bytes.count` and finding the n-th one is `bytes.index`: C loops,
no Python loop over days.

Overrides are read from the database once and kept until a version key in Django's cache
changes. Saving or deleting an override deletes that key (signal in core.models), and the key
expires after REFRESH_SECONDS anyway, so a worker whose cache is its own (the default local
memory cache) sees another worker's change within that time; with a shared cache, at once.
The cache is only a copy: the table is the truth.
"""

import datetime
import uuid
from dataclasses import dataclass, field
from functools import lru_cache

import holidays
from django.core.cache import cache
from django.db import transaction

from mpp.core.models import CalendarOverride

REFRESH_SECONDS = 30
SEARCH_YEARS = 50  # no calendar has a year without a working day; beyond this is a bug
_VERSION_KEY = "mpp:calendar:overrides-version"

Layer = dict[datetime.date, tuple[bool, str]]  # date -> (is working day, reason)
ScopeKey = tuple[str | None, ...]  # the override scopes that apply: None (national), codes


@lru_cache(maxsize=128)
def national_holidays(year: int) -> dict[datetime.date, str]:
    """Public holidays and cuti bersama of `year`, with their Indonesian names."""
    calendar = holidays.country_holidays(
        "ID", categories=("public", "government"), years=year, language="id"
    )
    return dict(calendar.items())


@dataclass
class _Snapshot:
    version: str | None
    layers: dict[str | None, Layer]  # None: national; else a region code
    tables: dict[tuple[int, ScopeKey], bytes] = field(default_factory=dict)


_snapshot: _Snapshot | None = None


def overrides_changed() -> None:
    """Forget the overrides everywhere: now for this transaction, again once it commits."""
    cache.delete(_VERSION_KEY)
    transaction.on_commit(lambda: cache.delete(_VERSION_KEY))


def forget_overrides() -> None:
    """Drop this process's copy (tests whose override rows vanished with a rollback)."""
    global _snapshot
    _snapshot = None
    cache.delete(_VERSION_KEY)


def _load_layers() -> dict[str | None, Layer]:
    layers: dict[str | None, Layer] = {}
    rows = CalendarOverride.objects.values_list("region_id", "date", "is_working_day", "reason")
    for region_code, day, working, reason in rows:
        layers.setdefault(region_code, {})[day] = (working, reason)
    return layers


def _current() -> _Snapshot:
    global _snapshot
    version = cache.get(_VERSION_KEY)
    snapshot = _snapshot
    if version is not None and snapshot is not None and snapshot.version == version:
        return snapshot
    if version is None:
        cache.add(_VERSION_KEY, uuid.uuid4().hex, timeout=REFRESH_SECONDS)
        version = cache.get(_VERSION_KEY)  # whoever added it first wins
    layers = _load_layers()
    if snapshot is not None and snapshot.layers == layers:
        snapshot.version = version  # unchanged: keep the tables already built
    else:
        snapshot = _Snapshot(version=version, layers=layers)
    _snapshot = snapshot
    return snapshot


def scope_chain(region_code: str | None) -> tuple[str | None, ...]:
    """Least to most specific: national, the province, the kabupaten/kota."""
    if region_code is None:
        return (None,)
    province = region_code.split(".", 1)[0]
    return (None, province) if province == region_code else (None, province, region_code)


def _scope_key(snapshot: _Snapshot, region_code: str | None) -> ScopeKey:
    return tuple(code for code in scope_chain(region_code) if code in snapshot.layers)


def _table(snapshot: _Snapshot, year: int, key: ScopeKey) -> bytes:
    table = snapshot.tables.get((year, key))
    if table is None:
        table = _build_table(year, [snapshot.layers[code] for code in key])
        snapshot.tables[(year, key)] = table
    return table


def _build_table(year: int, layers: list[Layer]) -> bytes:
    first = datetime.date(year, 1, 1)
    size = datetime.date(year + 1, 1, 1).toordinal() - first.toordinal()
    off = national_holidays(year)
    flags = bytearray(size)
    for index in range(size):
        day = first + datetime.timedelta(days=index)
        flags[index] = day.weekday() < 5 and day not in off
    for layer in layers:  # national first, so the most specific override is written last
        for day, (working, _reason) in layer.items():
            if day.year == year:
                flags[day.toordinal() - first.toordinal()] = working
    return bytes(flags)


def _year_start(year: int) -> int:
    return datetime.date(year, 1, 1).toordinal()


@dataclass(frozen=True)
class DayOff:
    """A date that is not what its weekday suggests: a weekday off, or a weekend day at work."""

    date: datetime.date
    is_working_day: bool
    name: str


@dataclass(frozen=True)
class WorkingDays:
    """The working days of one region, as of one snapshot of the overrides."""

    snapshot: _Snapshot
    key: ScopeKey

    def _table(self, year: int) -> bytes:
        return _table(self.snapshot, year, self.key)

    def is_working(self, day: datetime.date) -> bool:
        return self._table(day.year)[day.toordinal() - _year_start(day.year)] == 1

    def count(self, first: datetime.date, stop: datetime.date) -> int:
        """Working days in [first, stop)."""
        total = 0
        for year in range(first.year, stop.year + 1):
            table = self._table(year)
            begin = first.toordinal() - _year_start(year) if year == first.year else 0
            end = stop.toordinal() - _year_start(year) if year == stop.year else len(table)
            total += table.count(1, begin, max(begin, end))
        return total

    def nth(self, first: datetime.date, n: int) -> datetime.date:
        """The n-th working day (n >= 1) counting from `first` itself."""
        if n < 1:
            raise ValueError("n must be at least 1")
        remaining, year, begin = n, first.year, first.toordinal() - _year_start(first.year)
        while year <= first.year + SEARCH_YEARS:
            table = self._table(year)
            available = table.count(1, begin)
            if available >= remaining:
                position = begin - 1
                for _ in range(remaining):
                    position = table.index(1, position + 1)
                return datetime.date.fromordinal(_year_start(year) + position)
            remaining -= available
            year, begin = year + 1, 0
        raise ValueError(f"no working day within {SEARCH_YEARS} years of {first}")

    def exceptional_days(self, year: int) -> list[DayOff]:
        """Weekdays off and weekend days at work in `year`, named by holiday or override."""
        names: dict[datetime.date, str] = dict(national_holidays(year))
        for code in self.key:
            names.update({day: reason for day, (_w, reason) in self.snapshot.layers[code].items()})
        start = _year_start(year)
        days = []
        for index, working in enumerate(self._table(year)):
            day = datetime.date.fromordinal(start + index)
            if bool(working) != (day.weekday() < 5):
                days.append(DayOff(day, bool(working), names.get(day, "")))
        return days


def working_days(region_code: str | None) -> WorkingDays:
    """The calendar of a region (None: national), with the overrides as they are now."""
    snapshot = _current()
    return WorkingDays(snapshot, _scope_key(snapshot, region_code))
