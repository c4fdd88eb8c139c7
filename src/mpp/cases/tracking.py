"""Tracking numbers: a sequence per region and day.

Taken in the caller's transaction when there is one (a bundle: the region's row stays locked
until it commits, so the numbers have no gaps), else in its own single statement (a single
submission, cases/services.py: the row is locked for that statement only)."""

import datetime

from django.db import IntegrityError, connection, transaction

from mpp.cases.models import TrackingSequence
from mpp.core.identifiers import tracking_number


def _increment(region_code: str, day: datetime.date) -> int | None:
    alone = not connection.in_atomic_block
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        if alone and connection.vendor == "postgresql":
            # Alone, the increment need not wait for its own flush to disk: the application
            # that uses the number commits later, synchronously, and flushes this record with
            # its own. If the server dies before that, no application holds the number and the
            # next submission takes it again.
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        cursor.execute(
            "UPDATE cases_trackingsequence SET last = last + 1"
            " WHERE region_id = %s AND day = %s RETURNING last",
            [region_code, day],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def next_tracking(region_code: str, day: datetime.date) -> str:
    """The next number of the region and day (see the module docstring for the lock)."""
    last = _increment(region_code, day)
    if last is None:
        try:
            with transaction.atomic():
                TrackingSequence.objects.create(region_id=region_code, day=day, last=1)
            return tracking_number(region_code, day, 1)
        except IntegrityError:  # another submission created the day's row first
            last = _increment(region_code, day)
    if last is None:  # the row exists now (created above or by a twin): cannot happen
        raise RuntimeError(f"tracking sequence {region_code} {day} vanished")
    return tracking_number(region_code, day, last)
