"""Reads for agency admins: their endpoints, what was sent and how each try went."""

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from mpp.core.errors import NotFound
from mpp.integrations.models import DeliveryAttempt, Endpoint, OutboxEvent
from mpp.integrations.services import managed_agencies

LOG_SIZE = 50


def endpoints_for(user: Any) -> QuerySet[Endpoint]:
    """The endpoints `user` manages, each with its pending and dead event counts."""
    return (
        Endpoint.objects.filter(agency__in=managed_agencies(user))
        .select_related("agency")
        .annotate(
            pending=Count("events", filter=Q(events__status=OutboxEvent.Status.PENDING)),
            dead=Count("events", filter=Q(events__status=OutboxEvent.Status.DEAD)),
        )
        .order_by("agency__region_id", "agency__name", "name")
    )


def endpoint_for(user: Any, endpoint_id: int) -> Endpoint:
    endpoint = endpoints_for(user).filter(pk=endpoint_id).first()
    if endpoint is None:
        raise NotFound(_("Titik integrasi tidak ditemukan."))
    return endpoint


def recent_events(endpoint: Endpoint, *, status: str = "") -> list[OutboxEvent]:
    """The latest events of an endpoint, newest first, each with its last attempt (2 queries)."""
    events = endpoint.events.order_by("-id")
    if status in OutboxEvent.Status.values:
        events = events.filter(status=status)
    rows = list(events[:LOG_SIZE])
    last: dict[int, DeliveryAttempt] = {}
    for attempt in DeliveryAttempt.objects.filter(event__in=rows).order_by(
        "event_id", "-attempted_at"
    ):
        last.setdefault(attempt.event_id, attempt)
    for event in rows:
        event.last_attempt = last.get(event.pk)  # type: ignore[attr-defined]
    return rows
