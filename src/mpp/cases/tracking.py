"""Tracking numbers: a sequence per region and day, handed out inside the caller's transaction."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F

from mpp.cases.models import TrackingSequence
from mpp.core.identifiers import tracking_number


def next_tracking(region_code: str, day: datetime.date) -> str:
    """The row stays locked until the caller commits, so call this as late as possible."""
    rows = TrackingSequence.objects.filter(region_id=region_code, day=day)
    if not rows.update(last=F("last") + 1):
        try:
            with transaction.atomic():
                TrackingSequence.objects.create(region_id=region_code, day=day, last=1)
            return tracking_number(region_code, day, 1)
        except IntegrityError:  # another submission created the day's row first
            rows.update(last=F("last") + 1)
    last = rows.values_list("last", flat=True).get()
    return tracking_number(region_code, day, last)
