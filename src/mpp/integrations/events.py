"""Events for agency systems: written to the outbox inside the transaction of the change, turned
into CloudEvents 1.0 (structured JSON) when sent.

What an event carries (decided for issue 6): the tracking number, the service, the status, the
form data exactly as the citizen submitted it (they filled or approved every field for this
service), the applicant's name, and the documents' names, types, sizes and hashes. Not the NIK
or contact data of the profile: an agency system that needs more asks through the inbound API,
which is scoped to its own applications.
"""

import datetime
from typing import TYPE_CHECKING, Any

from cloudevents.core.formats.json import JSONFormat
from cloudevents.core.v1.event import CloudEvent
from django.utils import timezone

from mpp.catalog.models import Channel
from mpp.integrations.models import Endpoint, OutboxEvent

if TYPE_CHECKING:
    from mpp.cases.models import Application

SOURCE = "/mpp-digital"  # + "/<region code>": the platform speaking for that region


def is_integrated(application: "Application") -> bool:
    """The offering routes its applications to the agency's own system."""
    return any(c.kind == Channel.INTEGRATED for c in application.offering.channels.all())


def emit(
    application: "Application",
    event_type: str,
    *,
    extra: dict | None = None,
    at: datetime.datetime | None = None,
    skip_agency: int | None = None,
) -> int:
    """Queue `event_type` for every active endpoint of the offering's agency that wants it.
    Call it inside the transaction of the change: the event exists if and only if the change
    does. Returns how many events were written."""
    if not is_integrated(application) or application.offering.agency_id == skip_agency:
        return 0
    endpoints = [
        endpoint
        for endpoint in Endpoint.objects.filter(
            agency_id=application.offering.agency_id, is_active=True
        )
        if event_type in endpoint.event_types
    ]
    if not endpoints:
        return 0
    now = at or timezone.now()
    data = {**application_data(application, full=event_type in FULL_EVENTS), **(extra or {})}
    OutboxEvent.objects.bulk_create(
        OutboxEvent(
            endpoint=endpoint,
            application=application,
            type=event_type,
            subject=application.tracking,
            data=data,
            created_at=now,
            retry_from=now,
            next_attempt_at=now,
        )
        for endpoint in endpoints
    )
    return len(endpoints)


# Events that carry the form and the documents: the agency takes the case in. Later events carry
# the state and the move only, so copies of personal data do not pile up in the outbox.
FULL_EVENTS = {"application.submitted", "application.resubmitted", "application.status_requested"}


def application_data(application: "Application", *, full: bool = True) -> dict[str, Any]:
    offering = application.offering
    state = {
        "tracking": application.tracking,
        "status": application.status,
        "version": application.version,
        "region": application.region_id,
        "service": {"slug": offering.template.slug, "name": offering.template.name},
        "agency_id": offering.agency_id,
    }
    if not full:
        return state
    documents = [
        {
            "id": link.document_id,
            "field": link.field,
            "name": link.document.original_name,
            "content_type": link.document.content_type,
            "size": link.document.size,
            "sha256": link.document.sha256,
        }
        for link in application.attachments.select_related("document")
    ]
    return {
        **state,
        "applicant": {"name": application.applicant.full_name},
        "channel": application.channel,
        "submitted_at": _iso(application.submitted_at),
        "due_at": _iso(application.due_at),
        "form": application.data,
        "documents": documents,
    }


def _iso(value: datetime.datetime | None) -> str | None:
    return value.isoformat() if value else None


def cloud_event(event: OutboxEvent) -> bytes:
    """The event as sent. `sequence` (CloudEvents extension) rises with every event, so a
    receiver can tell order even if it stores events out of band."""
    region = event.data.get("region", "")
    attributes = {
        "id": str(event.event_id),
        "source": f"{SOURCE}/{region}" if region else SOURCE,
        "type": event.type,
        "subject": event.subject or None,
        "time": event.created_at,
        "datacontenttype": "application/json",
        "sequence": str(event.pk),
    }
    return JSONFormat().write(
        CloudEvent({k: v for k, v in attributes.items() if v is not None}, event.data)
    )


CONTENT_TYPE = JSONFormat.CONTENT_TYPE
