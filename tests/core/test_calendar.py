"""The working-time calendar: working days, hours, time zones, overrides, and SLA arithmetic."""

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mpp.catalog.models import DurationUnit
from mpp.core import calendar_days
from mpp.core.calendar import (
    add_working_seconds,
    add_working_time,
    is_working_day,
    timezone_for,
    working_seconds_between,
    working_seconds_per_day,
)
from mpp.core.calendar_services import delete_calendar_override, save_calendar_override
from mpp.core.errors import Conflict, Forbidden, InvalidInput
from mpp.core.models import CalendarOverride
from mpp.core.roles import Role
from mpp.regions.models import Region

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
WIT = ZoneInfo("Asia/Jayapura")
HOUR = 3600
DAY = 8 * HOUR  # the default 08:00-16:00


@pytest.fixture(autouse=True)
def _fresh_overrides():
    """Override rows vanish with each test's rollback; so must this process's copy of them."""
    calendar_days.forget_overrides()
    yield
    calendar_days.forget_overrides()


def wib(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=WIB)


def override(day: datetime.date, working: bool, region: str | None = None) -> CalendarOverride:
    return save_calendar_override(
        actor=None, day=day, region_code=region, is_working_day=working, reason="SKB uji"
    )


# --- Working days ---------------------------------------------------------------------------


def test_weekends_are_not_working_days():
    assert is_working_day(datetime.date(2026, 7, 6))  # Monday
    assert is_working_day(datetime.date(2026, 7, 10))  # Friday
    assert not is_working_day(datetime.date(2026, 7, 11))  # Saturday
    assert not is_working_day(datetime.date(2026, 7, 12))  # Sunday


@pytest.mark.parametrize(
    "day",
    [
        datetime.date(2026, 8, 17),  # Hari Kemerdekaan, a Monday
        datetime.date(2026, 3, 20),  # Cuti Bersama Idul Fitri
        datetime.date(2026, 12, 24),  # Cuti Bersama Natal
        datetime.date(2027, 1, 1),
    ],
)
def test_holidays_and_cuti_bersama_are_not_working_days(day):
    assert day.weekday() < 5
    assert not is_working_day(day)
    assert not is_working_day(day, region_code="35.10")


def test_a_datetime_is_not_a_day():
    with pytest.raises(TypeError):
        is_working_day(wib(2026, 7, 6, 10))  # type: ignore[arg-type]


# --- Working hours and SLA arithmetic -------------------------------------------------------


def test_a_working_day_is_eight_hours_by_default():
    assert working_seconds_per_day() == DAY


def test_a_working_day_later_is_the_same_time_next_working_day():
    monday = wib(2026, 7, 6, 10)
    assert add_working_time(monday, 1, "working_days") == wib(2026, 7, 7, 10)
    friday = wib(2026, 7, 10, 10)
    assert add_working_time(friday, 1, DurationUnit.WORKING_DAYS) == wib(2026, 7, 13, 10)
    assert add_working_time(friday, 2, "hours") == wib(2026, 7, 10, 12)
    assert add_working_time(friday, 7, "hours") == wib(2026, 7, 13, 9)
    assert add_working_time(friday, 90, "minutes") == wib(2026, 7, 10, 11, 30)


def test_results_are_in_utc():
    due = add_working_time(wib(2026, 7, 6, 10), 1, "hours")
    assert due.tzinfo == datetime.UTC
    assert due == datetime.datetime(2026, 7, 6, 4, tzinfo=datetime.UTC)


def test_crossing_the_idul_fitri_week_2026():
    # 18-20 and 23-24 March are holidays or cuti bersama, 21-22 the weekend.
    tuesday = wib(2026, 3, 17, 10)
    assert add_working_time(tuesday, 1, "working_days") == wib(2026, 3, 25, 10)
    assert working_seconds_between(tuesday, wib(2026, 3, 25, 10)) == DAY
    assert working_seconds_between(wib(2026, 3, 18, 9), wib(2026, 3, 24, 15)) == 0


def test_before_opening_counts_from_opening_and_after_closing_from_the_next_opening():
    monday = datetime.date(2026, 7, 6)
    assert add_working_seconds(wib(2026, 7, 6, 7), HOUR) == wib(2026, 7, 6, 9)
    assert add_working_time(wib(2026, 7, 6, 7), 1, "working_days") == wib(2026, 7, 6, 16)
    assert add_working_seconds(wib(2026, 7, 6, 17), HOUR) == wib(2026, 7, 7, 9)
    assert add_working_seconds(wib(2026, 7, 11, 12), HOUR) == wib(2026, 7, 13, 9)  # Saturday
    assert working_seconds_between(wib(2026, 7, 6, 6), wib(2026, 7, 6, 7, 59)) == 0
    assert working_seconds_between(wib(2026, 7, 6, 7), wib(2026, 7, 6, 18)) == DAY
    assert working_seconds_between(wib(2026, 7, 6, 15, 30), wib(2026, 7, 7, 8, 30)) == HOUR
    assert is_working_day(monday)


def test_a_span_ending_at_closing_time_ends_then():
    assert add_working_seconds(wib(2026, 7, 6, 15), HOUR) == wib(2026, 7, 6, 16)
    assert add_working_time(wib(2026, 7, 6, 8), 1, "working_days") == wib(2026, 7, 6, 16)


def test_zero_returns_the_start_itself():
    start = wib(2026, 7, 11, 12)  # a Saturday: not moved to Monday
    assert add_working_seconds(start, 0) == start
    assert add_working_time(start, 0, "hours") == start


def test_between_is_zero_when_end_is_not_after_start():
    assert working_seconds_between(wib(2026, 7, 6, 12), wib(2026, 7, 6, 12)) == 0
    assert working_seconds_between(wib(2026, 7, 6, 12), wib(2026, 7, 6, 10)) == 0


def test_spans_across_the_new_year():
    # 31 Dec 2026 is a Thursday at work; 1 Jan 2027 a holiday, then the weekend.
    start, end = wib(2026, 12, 31, 8), wib(2027, 1, 4, 12)
    assert working_seconds_between(start, end) == DAY + 4 * HOUR
    assert add_working_seconds(start, DAY + 4 * HOUR) == end


def test_sixty_working_days_skip_every_holiday():
    start = wib(2026, 5, 4, 9)  # Monday
    due = add_working_time(start, 60, "working_days")
    assert working_seconds_between(start, due) == 60 * DAY
    off = [datetime.date(2026, 5, d) for d in (14, 15, 27, 28)] + [
        datetime.date(2026, 6, 1),
        datetime.date(2026, 6, 16),
    ]
    working = sum(
        1
        for n in range((due.date() - start.date()).days)
        if (day := start.date() + datetime.timedelta(n)).weekday() < 5 and day not in off
    )
    assert working == 60


def test_calendar_days_are_plain_days():
    start = wib(2026, 8, 14, 10)  # Friday before Hari Kemerdekaan
    assert add_working_time(start, 3, "days") == wib(2026, 8, 17, 10)


def test_time_zones_follow_the_region():
    # 07:30 UTC is 14:30 in WIB (open) and 16:30 in WIT (closed).
    instant = datetime.datetime(2026, 7, 6, 7, 30, tzinfo=datetime.UTC)
    assert add_working_seconds(instant, 60, region_code="35.10") == instant.replace(minute=31)
    assert add_working_seconds(instant, 60, region_code="94.01") == datetime.datetime(
        2026, 7, 7, 8, 1, tzinfo=WIT
    )
    evening = instant.replace(hour=9)  # 16:00 WIB, 18:00 WIT
    assert working_seconds_between(instant, evening, region_code="35.10") == 90 * 60
    assert working_seconds_between(instant, evening, region_code="94.01") == 0
    assert working_seconds_between(instant, evening, region_code="51.71") == 30 * 60  # WITA


def test_every_province_has_a_time_zone():
    provinces = Region.objects.filter(level=Region.Level.PROVINCE)
    assert provinces.count() == 38
    zones = {p.code: timezone_for(p.code).key for p in provinces}
    assert zones["11"] == zones["31"] == zones["61"] == zones["62"] == "Asia/Jakarta"
    assert zones["51"] == zones["64"] == zones["76"] == "Asia/Makassar"
    assert zones["81"] == zones["96"] == "Asia/Jayapura"
    for region in Region.objects.filter(level=Region.Level.KABKOTA):
        assert timezone_for(region.code) == timezone_for(region.province_id)
    assert timezone_for(None).key == "Asia/Jakarta"
    with pytest.raises(ValueError, match="unknown province"):
        timezone_for("99.01")


# --- Bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda naive: working_seconds_between(naive, wib(2026, 7, 7, 9)),
        lambda naive: working_seconds_between(wib(2026, 7, 5, 9), naive),
        lambda naive: add_working_seconds(naive, 60),
        lambda naive: add_working_seconds(naive, 0),
        lambda naive: add_working_time(naive, 1, "hours"),
        lambda naive: add_working_time(naive, 1, "days"),
    ],
)
def test_naive_datetimes_are_refused(call):
    with pytest.raises(ValueError, match="aware"):
        call(datetime.datetime(2026, 7, 6, 10))


def test_unknown_units_and_negative_amounts_are_refused():
    start = wib(2026, 7, 6, 10)
    with pytest.raises(ValueError, match="unknown duration unit"):
        add_working_time(start, 1, "weeks")
    with pytest.raises(ValueError):
        add_working_time(start, -1, "hours")
    with pytest.raises(ValueError):
        add_working_time(start, -1, "days")
    with pytest.raises(ValueError):
        add_working_seconds(start, -1)


def test_working_hours_come_from_the_setting(settings):
    settings.MPP_WORKING_HOURS = "07:30-15:00"
    assert working_seconds_per_day() == 7 * HOUR + 30 * 60
    assert add_working_time(wib(2026, 7, 6, 7), 1, "hours") == wib(2026, 7, 6, 8, 30)
    settings.MPP_WORKING_HOURS = "16:00-08:00"
    with pytest.raises(ImproperlyConfigured):
        working_seconds_per_day()
    settings.MPP_WORKING_HOURS = "8-16"
    with pytest.raises(ImproperlyConfigured):
        working_seconds_per_day()


# --- Overrides ------------------------------------------------------------------------------


def test_a_national_override_makes_a_working_day_a_holiday():
    wednesday = datetime.date(2026, 7, 8)
    assert is_working_day(wednesday)
    override(wednesday, False)
    assert not is_working_day(wednesday)
    assert not is_working_day(wednesday, region_code="94.01")
    assert add_working_time(wib(2026, 7, 7, 10), 1, "working_days") == wib(2026, 7, 9, 10)


def test_a_national_override_makes_a_holiday_a_working_day():
    override(datetime.date(2026, 3, 20), True)
    assert is_working_day(datetime.date(2026, 3, 20))
    assert add_working_time(wib(2026, 3, 17, 10), 1, "working_days") == wib(2026, 3, 20, 10)


def test_a_regional_override_applies_only_to_its_region():
    wednesday = datetime.date(2026, 7, 8)
    override(wednesday, False, region="35.10")
    assert not is_working_day(wednesday, region_code="35.10")
    assert is_working_day(wednesday, region_code="35.09")
    assert is_working_day(wednesday, region_code="33.14")
    assert is_working_day(wednesday)
    start = wib(2026, 7, 7, 10)
    assert add_working_time(start, 1, "working_days", region_code="35.10") == wib(2026, 7, 9, 10)
    assert add_working_time(start, 1, "working_days", region_code="33.14") == wib(2026, 7, 8, 10)


def test_a_province_override_covers_its_regions_and_the_most_specific_wins():
    thursday = datetime.date(2026, 7, 9)
    override(thursday, False, region="35")
    override(thursday, True, region="35.10")
    assert not is_working_day(thursday, region_code="35")
    assert not is_working_day(thursday, region_code="35.09")
    assert is_working_day(thursday, region_code="35.10")
    assert is_working_day(thursday, region_code="33.14")


def test_overrides_take_effect_without_a_restart():
    day = datetime.date(2026, 7, 8)
    assert is_working_day(day)  # the calendar is warm
    saved = override(day, False)
    assert not is_working_day(day)
    save_calendar_override(
        actor=None,
        override_id=saved.pk,
        day=day,
        region_code=None,
        is_working_day=True,
        reason="SKB dicabut sebagian",
    )
    assert is_working_day(day)
    delete_calendar_override(actor=None, override_id=saved.pk)
    assert is_working_day(datetime.date(2026, 7, 9))
    assert CalendarOverride.objects.count() == 0


def test_another_workers_change_shows_once_the_version_key_expires():
    day = datetime.date(2026, 7, 8)
    assert is_working_day(day)
    # bulk_create sends no signal: as if another worker, with its own cache, had saved it.
    CalendarOverride.objects.bulk_create([CalendarOverride(date=day, reason="SKB lain")])
    assert is_working_day(day)
    cache.delete("mpp:calendar:overrides-version")  # what REFRESH_SECONDS of expiry does
    assert not is_working_day(day)


def test_only_national_admins_change_overrides(make_user):
    day = datetime.date(2026, 7, 8)
    with pytest.raises(Forbidden):
        save_calendar_override(
            actor=make_user(Role.REGIONAL_MANAGER, "35.10"),
            day=day,
            region_code="35.10",
            is_working_day=False,
            reason="Banjir",
        )
    assert not CalendarOverride.objects.exists()
    saved = save_calendar_override(
        actor=make_user(Role.NATIONAL_ADMIN),
        day=day,
        region_code="35.10",
        is_working_day=False,
        reason=" Banjir ",
    )
    assert (saved.region_id, saved.reason) == ("35.10", "Banjir")


def test_override_input_is_checked():
    day = datetime.date(2026, 7, 8)
    with pytest.raises(InvalidInput) as blank:
        save_calendar_override(
            actor=None, day=day, region_code=None, is_working_day=False, reason="  "
        )
    assert blank.value.field == "reason"
    with pytest.raises(InvalidInput) as unknown:
        save_calendar_override(
            actor=None, day=day, region_code="99.99", is_working_day=False, reason="x"
        )
    assert unknown.value.field == "region"
    assert not CalendarOverride.objects.exists()
    override(day, False)
    with pytest.raises(Conflict):
        override(day, True)
    assert list(CalendarOverride.objects.values_list("is_working_day", flat=True)) == [False]
    override(day, True, region="35.10")  # a region's own override of the same date is fine


def test_national_admins_add_overrides_in_the_admin(client, make_user):
    client.force_login(make_user(Role.REGIONAL_MANAGER, "35.10"))
    assert client.get("/admin/core/calendaroverride/").status_code == 403
    client.force_login(make_user(Role.NATIONAL_ADMIN))
    form = {"date": "2026-07-08", "region": "", "is_working_day": "", "reason": "SKB No. 9"}
    response = client.post("/admin/core/calendaroverride/add/", form)
    assert response.status_code == 302
    assert not is_working_day(datetime.date(2026, 7, 8))
    again = client.post("/admin/core/calendaroverride/add/", form)
    assert "sudah mempunyai pengecualian nasional" in again.content.decode()
    assert CalendarOverride.objects.count() == 1


def test_the_command_lists_the_days_off_of_a_year():
    override(datetime.date(2026, 7, 8), False, region="35.10")
    override(datetime.date(2026, 7, 11), True)  # a Saturday at work
    out = StringIO()
    call_command("working_calendar", "2026", "--region", "35.10", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "2026 35.10 (Asia/Jakarta, 8 jam/hari)"
    assert any(
        line.startswith("2026-08-17") and "Hari Kemerdekaan Republik Indonesia" in line
        for line in lines
    )
    assert any(line.startswith("2026-07-08") and "SKB uji" in line for line in lines)
    assert any(line.startswith("2026-07-11") and "masuk" in line for line in lines)
    assert not any(line.startswith("2026-03-21") for line in lines)  # Saturday holiday
    national = StringIO()
    call_command("working_calendar", "2026", stdout=national)
    assert "2026-07-08" not in national.getvalue()


# --- Properties -----------------------------------------------------------------------------

_days = st.dates(datetime.date(2026, 1, 1), datetime.date(2027, 12, 31))
_regions = st.sampled_from([None, "35.10", "51.71", "94.01"])


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    day=_days,
    minute=st.integers(0, 8 * 60 - 1),
    seconds=st.integers(0, 70 * DAY),
    region=_regions,
)
def test_adding_then_measuring_gives_back_the_same_seconds(day, minute, seconds, region):
    zone = timezone_for(region)
    start = datetime.datetime.combine(day, datetime.time(8), tzinfo=zone) + datetime.timedelta(
        minutes=minute
    )
    end = add_working_seconds(start, seconds, region_code=region)
    assert end >= start
    assert working_seconds_between(start, end, region_code=region) == seconds


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    start=st.datetimes(datetime.datetime(2026, 1, 1), datetime.datetime(2027, 12, 31)),
    seconds=st.integers(1, 20 * DAY),
    region=_regions,
)
def test_from_any_instant_the_deadline_is_the_earliest_one(start, seconds, region):
    start = start.replace(tzinfo=datetime.UTC)
    end = add_working_seconds(start, seconds, region_code=region)
    assert working_seconds_between(start, end, region_code=region) == seconds
    earlier = end - datetime.timedelta(microseconds=1)
    assert working_seconds_between(start, earlier, region_code=region) == seconds - 1
