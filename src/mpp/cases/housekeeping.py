"""Records the platform keeps for a while only, removed by `manage.py workflow_timers`."""

import datetime

from django.conf import settings
from django.utils import timezone

from mpp.cases import drafts
from mpp.cases.models import Draft, IdempotencyRecord

BATCH = 5000  # rows per DELETE: short transactions that do not hold up submissions


def forget_idempotency_keys(now: datetime.datetime | None = None) -> int:
    """Remove the `Idempotency-Key` records older than `MPP_IDEMPOTENCY_KEY_HOURS`; returns how
    many. A retry after that is a new submission. The applications themselves stay."""
    cutoff = (now or timezone.now()) - datetime.timedelta(hours=settings.MPP_IDEMPOTENCY_KEY_HOURS)
    removed = 0
    while True:
        batch = list(
            IdempotencyRecord.objects.filter(created_at__lt=cutoff).values_list("pk", flat=True)[
                :BATCH
            ]
        )
        if not batch:
            return removed
        removed += IdempotencyRecord.objects.filter(pk__in=batch).delete()[0]


def forget_drafts(now: datetime.datetime | None = None) -> int:
    """Remove the drafts of pages already filed and those untouched for `MPP_DRAFT_DAYS`
    (they hold what the citizen typed, prefilled NIK and address included); returns how many.
    Run before the keys are forgotten: a dead draft is known by its page's key."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.MPP_DRAFT_DAYS)
    dead = Draft.objects.exclude(pk__in=drafts.live().values("pk"))
    removed = dead.delete()[0]
    return removed + Draft.objects.filter(updated_at__lt=cutoff).delete()[0]
