"""The working-time arithmetic of the engine's clocks: when an SLA from a moment ends, and how a
clock stopped while the citizen corrects keeps the working time it had left."""

import datetime

from mpp.core import calendar
from mpp.workflow.definition import Duration


def due(at: datetime.datetime, sla: Duration | None, region: str) -> datetime.datetime | None:
    """When `sla` of working time from `at` ends in `region` (None without an SLA)."""
    if sla is None or sla.value == 0:
        return None
    return calendar.add_working_time(at, sla.value, sla.unit, region_code=region)


def time_left(due_at: datetime.datetime | None, at: datetime.datetime, region: str) -> int | None:
    """The working seconds from `at` to `due_at`; negative (wall-clock seconds) when late."""
    if due_at is None:
        return None
    if due_at >= at:
        return calendar.working_seconds_between(at, due_at, region_code=region)
    return -int((at - due_at).total_seconds())  # already late: stays late by as much


def due_again(left: int | None, at: datetime.datetime, region: str) -> datetime.datetime | None:
    """The new end of a clock restarted at `at` with `left` (from `time_left`)."""
    if left is None:
        return None
    if left < 0:
        return at + datetime.timedelta(seconds=left)
    return calendar.add_working_seconds(at, left, region_code=region)
