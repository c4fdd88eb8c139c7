"""Send outbox events to agency endpoints: at least once, in order per application.

A worker (`manage.py outbox_worker`) claims a batch of due events, leases them, sends each
signed (integrations/signing.py) outside any transaction, and records the attempt. An event is
only claimed when no earlier event of the same application for the same endpoint is still
pending, so an agency never sees `resubmitted` before `submitted`. A failure backs off
exponentially with jitter; after `MPP_OUTBOX_RETRY_HOURS` the event is dead-lettered and waits
for an agency admin to replay it. An endpoint that keeps failing trips its circuit breaker and
rests, so a dead agency system does not hold up the others. A worker killed mid-send leaves a
lease that expires: the event is sent again, and receivers deduplicate on its id.

On PostgreSQL several workers share the outbox (FOR UPDATE SKIP LOCKED); on SQLite run one.
"""

import datetime
import logging
import random
import time
from dataclasses import dataclass

import requests
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from mpp.core.crypto import decrypt
from mpp.integrations.events import CONTENT_TYPE, cloud_event
from mpp.integrations.models import DeliveryAttempt, Endpoint, OutboxEvent
from mpp.integrations.signing import signed_headers

logger = logging.getLogger(__name__)
CONNECT_TIMEOUT = 3.0
EXCERPT_BYTES = 2000  # of the receiver's answer, for the log
CIRCUIT_REST = datetime.timedelta(seconds=30)  # doubles with every further failure, up to:
CIRCUIT_REST_MAX = datetime.timedelta(minutes=10)


@dataclass(frozen=True)
class Outcome:
    ok: bool
    latency_ms: int
    status_code: int | None = None
    excerpt: str = ""
    error: str = ""


def lease_length() -> datetime.timedelta:
    return datetime.timedelta(seconds=CONNECT_TIMEOUT + settings.MPP_OUTBOX_TIMEOUT + 20)


def claim(*, limit: int, now: datetime.datetime) -> list[OutboxEvent]:
    """Lease up to `limit` due events that head their application's line."""
    earlier_pending = OutboxEvent.objects.filter(
        status=OutboxEvent.Status.PENDING,
        endpoint_id=OuterRef("endpoint_id"),
        application_id=OuterRef("application_id"),
        id__lt=OuterRef("id"),
    )
    due = (
        OutboxEvent.objects.filter(
            status=OutboxEvent.Status.PENDING, next_attempt_at__lte=now, endpoint__is_active=True
        )
        .filter(Q(leased_until__isnull=True) | Q(leased_until__lt=now))
        .filter(
            Q(endpoint__circuit_open_until__isnull=True) | Q(endpoint__circuit_open_until__lte=now)
        )
        .exclude(Exists(earlier_pending))
        .order_by("id")
    )
    with transaction.atomic():
        ids = list(
            due.select_for_update(skip_locked=True, of=("self",)).values_list("id", flat=True)[
                :limit
            ]
        )
        OutboxEvent.objects.filter(id__in=ids).update(leased_until=now + lease_length())
    return list(OutboxEvent.objects.filter(id__in=ids).select_related("endpoint").order_by("id"))


def send(session: requests.Session, event: OutboxEvent) -> Outcome:
    body = cloud_event(event)
    headers = signed_headers(
        secret=decrypt(event.endpoint.secret_cipher),
        message_id=str(event.event_id),
        body=body.decode(),
        at=timezone.now(),
    )
    headers["content-type"] = CONTENT_TYPE
    started = time.monotonic()
    try:
        response = session.post(
            event.endpoint.url,
            data=body,
            headers=headers,
            timeout=(CONNECT_TIMEOUT, settings.MPP_OUTBOX_TIMEOUT),
            allow_redirects=False,
            stream=True,  # read only the start of the answer, whatever its size
        )
        with response:
            head = response.raw.read(EXCERPT_BYTES, decode_content=True) or b""
    except requests.RequestException as exc:
        return Outcome(ok=False, latency_ms=_ms_since(started), error=_describe(exc))
    return Outcome(
        ok=200 <= response.status_code < 300,
        latency_ms=_ms_since(started),
        status_code=response.status_code,
        excerpt=head.decode("utf-8", errors="replace")[:500],
    )


def _ms_since(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:300]


def backoff(attempts: int) -> datetime.timedelta:
    """Exponential, capped, with jitter: between half and all of base·2^(attempts-1)."""
    ceiling = min(
        settings.MPP_OUTBOX_BACKOFF_MAX, settings.MPP_OUTBOX_BACKOFF * 2 ** (attempts - 1)
    )
    return datetime.timedelta(seconds=random.uniform(ceiling / 2, ceiling))  # noqa: S311


@transaction.atomic
def record(event: OutboxEvent, outcome: Outcome, *, now: datetime.datetime) -> None:
    """Log the try and move the event on, but only while this worker still holds its lease: a
    send that outlived the lease may have been redone by another worker, whose answer wins."""
    DeliveryAttempt.objects.create(
        event=event,
        attempted_at=now,
        status_code=outcome.status_code,
        latency_ms=outcome.latency_ms,
        ok=outcome.ok,
        response_excerpt=outcome.excerpt,
        error=outcome.error,
    )
    attempts = event.attempts + 1
    changes: dict = {"attempts": attempts, "leased_until": None}
    if outcome.ok:
        changes.update(status=OutboxEvent.Status.DELIVERED, delivered_at=now)
    else:
        retry_at = now + backoff(attempts)
        deadline = event.retry_from + datetime.timedelta(hours=settings.MPP_OUTBOX_RETRY_HOURS)
        changes["next_attempt_at"] = retry_at
        if retry_at > deadline:
            changes["status"] = OutboxEvent.Status.DEAD
            logger.warning("outbox event %s dead after %s attempts", event.event_id, attempts)
    held = OutboxEvent.objects.filter(
        pk=event.pk, status=OutboxEvent.Status.PENDING, leased_until=event.leased_until
    ).update(**changes)
    if held:
        for name, value in changes.items():
            setattr(event, name, value)
    _update_circuit(event.endpoint, ok=outcome.ok, now=now)


def _update_circuit(endpoint: Endpoint, *, ok: bool, now: datetime.datetime) -> None:
    if ok:
        if endpoint.consecutive_failures or endpoint.circuit_open_until:
            Endpoint.objects.filter(pk=endpoint.pk).update(
                consecutive_failures=0, circuit_open_until=None
            )
        return
    Endpoint.objects.filter(pk=endpoint.pk).update(
        consecutive_failures=F("consecutive_failures") + 1
    )
    failures = Endpoint.objects.values_list("consecutive_failures", flat=True).get(pk=endpoint.pk)
    beyond = failures - settings.MPP_OUTBOX_CIRCUIT_FAILURES
    if beyond >= 0:
        rest = min(CIRCUIT_REST * 2 ** min(beyond, 10), CIRCUIT_REST_MAX)
        Endpoint.objects.filter(pk=endpoint.pk).update(circuit_open_until=now + rest)


def release(events: list[OutboxEvent]) -> None:
    OutboxEvent.objects.filter(id__in=[e.pk for e in events]).update(leased_until=None)


def deliver_batch(session: requests.Session, *, limit: int = 50) -> int:
    """One round: claim, send, record. Returns the number of attempts made."""
    events = claim(limit=limit, now=timezone.now())
    failed_endpoints: set[int] = set()
    skipped: list[OutboxEvent] = []
    for event in events:
        if event.endpoint_id in failed_endpoints:
            skipped.append(event)  # the endpoint just failed: spare it the rest of the batch
            continue
        outcome = send(session, event)
        record(event, outcome, now=timezone.now())
        if not outcome.ok:
            failed_endpoints.add(event.endpoint_id)
    release(skipped)
    return len(events) - len(skipped)
