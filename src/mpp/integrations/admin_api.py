"""Agency admins' integration API (`/api/v1/integrations/…`): the same as their pages."""

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.security import django_auth

from mpp.integrations import queries, services

router = Router(tags=["integrasi instansi"], auth=django_auth)


class EndpointOut(Schema):
    id: int
    agency_id: int
    agency: str = Field(..., alias="agency.name")
    name: str
    url: str
    event_types: list[str]
    is_active: bool
    pending: int = 0
    dead: int = 0
    circuit_open_until: datetime.datetime | None


class EndpointIn(Schema):
    agency_id: int
    name: str = Field(..., max_length=100)
    url: str = Field(..., max_length=500)
    event_types: list[str]


class EndpointChange(Schema):
    url: str = Field(..., max_length=500)
    event_types: list[str]
    is_active: bool = True


class SecretOut(Schema):
    endpoint: EndpointOut
    secret: str = Field(..., description="Ditampilkan sekali; simpan di sistem instansi")


class AttemptOut(Schema):
    attempted_at: datetime.datetime
    status_code: int | None
    latency_ms: int
    ok: bool
    response_excerpt: str
    error: str


class OutboxEventOut(Schema):
    id: int
    event_id: str
    type: str
    subject: str
    status: str
    attempts: int
    created_at: datetime.datetime
    next_attempt_at: datetime.datetime
    delivered_at: datetime.datetime | None
    last_attempt: AttemptOut | None = None


class EventFilter(Schema):
    status: str = Field("", description="pending, delivered atau dead")


def _secret(registered: services.Registered) -> dict[str, Any]:
    endpoint = registered.endpoint
    endpoint.pending = endpoint.dead = 0  # type: ignore[attr-defined]  # new or unchanged log
    return {"endpoint": endpoint, "secret": registered.secret}


@router.get("/endpoints", response=list[EndpointOut])
def list_endpoints(request: HttpRequest) -> Any:
    return list(queries.endpoints_for(request.user))


@router.post("/endpoints", response={201: SecretOut})
def register_endpoint(request: HttpRequest, body: EndpointIn) -> Any:
    registered = services.register_endpoint(
        user=request.user, agency_id=body.agency_id, name=body.name, url=body.url,
        event_types=body.event_types,
    )  # fmt: skip
    return Status(201, _secret(registered))


@router.put("/endpoints/{endpoint_id}", response=EndpointOut)
def change_endpoint(request: HttpRequest, endpoint_id: int, body: EndpointChange) -> Any:
    services.update_endpoint(
        user=request.user, endpoint_id=endpoint_id, url=body.url,
        event_types=body.event_types, is_active=body.is_active,
    )  # fmt: skip
    return queries.endpoint_for(request.user, endpoint_id)


@router.post("/endpoints/{endpoint_id}/rotate-secret", response=SecretOut)
def rotate_secret(request: HttpRequest, endpoint_id: int) -> Any:
    return _secret(services.rotate_secret(user=request.user, endpoint_id=endpoint_id))


@router.get("/endpoints/{endpoint_id}/events", response=list[OutboxEventOut])
def endpoint_events(request: HttpRequest, endpoint_id: int, filters: Query[EventFilter]) -> Any:
    endpoint = queries.endpoint_for(request.user, endpoint_id)
    return [
        {**_event(event), "last_attempt": getattr(event, "last_attempt", None)}
        for event in queries.recent_events(endpoint, status=filters.status)
    ]


def _event(event: Any) -> dict[str, Any]:
    fields = ("id", "type", "subject", "status", "attempts", "created_at", "next_attempt_at",
              "delivered_at")  # fmt: skip
    return {**{name: getattr(event, name) for name in fields}, "event_id": str(event.event_id)}


@router.post("/events/{event_id}/replay", response=OutboxEventOut)
def replay_event(request: HttpRequest, event_id: int) -> Any:
    return _event(services.replay_event(user=request.user, event_id=event_id))
