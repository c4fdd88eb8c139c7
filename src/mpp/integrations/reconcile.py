"""Reconciliation: webhooks get lost, so applications waiting on an agency system past their
step's SLA are asked about again. The agency system answers through the inbound API (moving the
application on, or noting why not); the outbox worker runs this every few minutes."""

import datetime

from django.db import transaction
from django.utils import timezone

from mpp.catalog.models import Channel
from mpp.integrations import events
from mpp.integrations.models import OutboxEvent
from mpp.workflow.models import Step

EVENT = "application.status_requested"
ASK_AGAIN_AFTER = datetime.timedelta(hours=4)
BATCH = 500


def run(*, now: datetime.datetime | None = None) -> int:
    """Queue a status request for every overdue step an agency system handles, at most once per
    ASK_AGAIN_AFTER per application. Returns how many events were queued."""
    now = now or timezone.now()
    overdue = (
        Step.objects.filter(
            status=Step.Status.OPEN,
            due_at__lt=now,
            agency__endpoints__is_active=True,
            application__offering__channels__kind=Channel.INTEGRATED,
        )
        .select_related("application__offering__template", "application__applicant")
        .order_by("due_at")
        .distinct()[:BATCH]
    )
    queued = 0
    for step in overdue:
        application = step.application
        asked = OutboxEvent.objects.filter(
            application=application, type=EVENT, created_at__gte=now - ASK_AGAIN_AFTER
        ).exists()
        if asked:
            continue
        with transaction.atomic():
            queued += events.emit(
                application,
                EVENT,
                extra={"overdue_step": {"key": step.key, "due_at": str(step.due_at)}},
                at=now,
            )
    return queued
