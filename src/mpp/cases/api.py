"""Applications over HTTP: citizens file and follow theirs, officers work their queue.

Signed-in browsers use the session; mobile and partner apps send an OAuth2 access token from
the platform's provider with the `applications` scope.
"""

import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.security import django_auth

from mpp.accounts.bearer import AccessToken
from mpp.accounts.privacy import record_access
from mpp.accounts.profile import citizen_of
from mpp.cases import queries, services
from mpp.cases.models import Application
from mpp.core.errors import InvalidInput
from mpp.workflow.engine import actions_for, process_of
from mpp.workflow.models import Step, Transition

# Bearer first: django_auth refuses any unsafe request without a CSRF token (403) instead of
# passing it on, which would shut out mobile and partner apps.
AUTH = [AccessToken("applications"), django_auth]
router = Router(tags=["permohonan"], auth=AUTH)


class ApplicationIn(Schema):
    offering_id: int = Field(..., description="id layanan daerah dari /api/v1/services")
    data: dict[str, Any] = Field(default_factory=dict, description="Isian formulir")
    on_behalf_of: int | None = Field(
        None, description="Petugas loket: id warga yang dibantu (layanan terbantu)"
    )


class StepOut(Schema):
    key: str
    label: str
    agency: str
    status: str
    status_label: str
    due_at: datetime.datetime | None
    sla: str
    actions: list[str] = Field(default_factory=list, description="Aksi yang boleh Anda ambil")


class TimelineEventOut(Schema):
    action: str
    from_status: str
    to_status: str
    at: datetime.datetime
    by: str
    reason: str
    fields: list[str] = Field(description="isian yang diminta untuk diperbaiki (minta perbaikan)")
    changed: list[str] = Field(description="isian yang diubah pemohon (perbaikan dikirim)")
    notes: dict[str, str] = Field(description="alasan per isian (minta perbaikan), bila ada")


class ApplicationOut(Schema):
    tracking: str
    service: str
    region: str
    agency: str
    status: str
    status_label: str
    version: int
    channel: str
    submitted_at: datetime.datetime
    due_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    sla: str
    steps: list[StepOut]
    timeline: list[TimelineEventOut]
    data: dict[str, Any] | None = None


class ApplicationSummary(Schema):
    tracking: str
    service: str
    status: str
    status_label: str
    submitted_at: datetime.datetime
    due_at: datetime.datetime | None


class ResubmitIn(Schema):
    data: dict[str, Any] = Field(default_factory=dict, description="Isian yang diperbaiki")


class OfficerActionIn(Schema):
    step: str
    reason: str = ""
    fields: list[str] = Field(default_factory=list, description="Isian yang perlu diperbaiki")
    notes: dict[str, str] = Field(
        default_factory=dict,
        description="alasan per isian yang diminta diperbaiki (opsional; tanpa itu: reason)",
    )


class QueueItem(Schema):
    tracking: str
    service: str
    step: str
    step_label: str
    agency: str
    status: str
    due_at: datetime.datetime | None
    sla: str
    claimed_by: str | None
    version: int


def service_name(application: Application) -> str:
    return application.offering.template.name


def serialize(
    application: Application,
    *,
    user: Any,
    with_data: bool,
    steps: list[Step] | None = None,
    timeline: list[Transition] | None = None,
) -> dict[str, Any]:
    """The application as the API shows it; pass the `steps` and `timeline` when they are at
    hand (a submission just wrote them) to spare reading them back."""
    process = process_of(application)
    now = timezone.now()
    if steps is None:
        steps = queries.steps_of(application)
    if timeline is None:
        timeline = queries.timeline_of(application)
    return {
        "tracking": application.tracking,
        "service": service_name(application),
        "region": application.region.name,
        "agency": application.offering.agency.name,
        "status": application.status,
        "status_label": application.get_status_display(),
        "version": application.version,
        "channel": application.channel,
        "submitted_at": application.submitted_at,
        "due_at": application.due_at,
        "closed_at": application.closed_at,
        "sla": queries.sla_status(
            application.due_at,
            paused=application.status == Application.Status.NEEDS_CORRECTION,
            now=now,
            region_code=application.region_id,
        )
        if application.is_open
        else queries.Sla.NONE,
        "steps": [
            {
                "key": step.key,
                "label": queries.label(process.steps[step.key].label, step.key),
                "agency": step.agency.name,
                "status": step.status,
                "status_label": step.get_status_display(),
                "due_at": step.due_at if step.status == Step.Status.OPEN else None,
                "sla": queries.sla_status(
                    step.due_at, paused=False, now=now, region_code=step.region_id
                )
                if step.status == Step.Status.OPEN
                else queries.Sla.NONE,
                "actions": [a.name for a in actions_for(user, step, process)],
            }
            for step in steps
        ],
        "timeline": [
            {
                "action": event.action,
                "from_status": event.from_status,
                "to_status": event.to_status,
                "at": event.at,
                "by": event.actor_label,
                "reason": event.reason,
                "fields": event.data.get("fields", []),
                "changed": event.data.get("changed", []),
                "notes": event.data.get("notes", {}),
            }
            for event in timeline
        ],
        "data": application.data if with_data else None,
    }


def _version_header(request: HttpRequest) -> int | None:
    raw = request.headers.get("If-Match", "").strip().strip('"').removeprefix("W/").strip('"')
    if not raw:
        return None
    if not raw.isdecimal():
        raise InvalidInput(_("If-Match harus berisi versi permohonan (angka)."), field="If-Match")
    return int(raw)


@router.post(
    "/applications",
    response={200: ApplicationOut, 201: ApplicationOut},
    summary="Ajukan permohonan (wajib header Idempotency-Key)",
)
def submit(request: HttpRequest, payload: ApplicationIn, response: HttpResponse) -> Any:
    result = services.submit_application(
        user=request.user,
        offering_id=payload.offering_id,
        data=payload.data,
        idempotency_key=request.headers.get("Idempotency-Key", ""),
        on_behalf_of=payload.on_behalf_of,
    )
    response["Location"] = f"/api/v1/applications/{result.application.tracking}"
    if result.replayed:
        response["Idempotent-Replayed"] = "true"
    body = serialize(
        result.application,
        user=request.user,
        with_data=True,
        steps=result.steps,
        timeline=result.timeline,
    )
    return Status(200 if result.replayed else 201, body)


@router.get("/applications", response=list[ApplicationSummary], summary="Permohonan saya")
def mine(request: HttpRequest, page: int = Query(1, ge=1, le=1000)) -> list[dict[str, Any]]:
    citizen = citizen_of(request.user)
    return [
        {
            "tracking": a.tracking,
            "service": service_name(a),
            "status": a.status,
            "status_label": a.get_status_display(),
            "submitted_at": a.submitted_at,
            "due_at": a.due_at,
        }
        for a in queries.my_applications(citizen, page=page)
    ]


@router.get("/applications/{tracking}", response=ApplicationOut, summary="Satu permohonan")
def detail(request: HttpRequest, tracking: str) -> dict[str, Any]:
    citizen = getattr(request.user, "citizen", None)
    if citizen is not None:
        application = (
            queries.my_application(citizen, tracking) if _owns(citizen, tracking) else None
        )
        if application is not None:
            return serialize(application, user=request.user, with_data=True)
    application = queries.staff_application(request.user, tracking)
    record_access(
        citizen=application.applicant,
        accessor=request.user,
        purpose=f"Memproses permohonan {application.tracking}",
        fields=sorted(application.data),
        region_code=application.region_id,
    )
    return serialize(application, user=request.user, with_data=True)


def _owns(citizen: Any, tracking: str) -> bool:
    return Application.objects.filter(applicant=citizen, tracking=tracking).exists()


@router.post(
    "/applications/{tracking}/resubmit",
    response=ApplicationOut,
    summary="Kirim perbaikan (jam layanan berjalan lagi)",
)
def resubmit(request: HttpRequest, tracking: str, payload: ResubmitIn) -> dict[str, Any]:
    application = services.resubmit_application(
        user=request.user,
        tracking=tracking,
        data=payload.data,
        expected_version=_version_header(request),
    )
    return serialize(application, user=request.user, with_data=True)


@router.post(
    "/applications/{tracking}/actions/{action}",
    response=ApplicationOut,
    summary="Petugas: ambil aksi pada satu langkah (If-Match: versi)",
)
def act(
    request: HttpRequest, tracking: str, action: str, payload: OfficerActionIn
) -> dict[str, Any]:
    application = services.act_on_application(
        user=request.user,
        tracking=tracking,
        step_key=payload.step,
        action=action,
        reason=payload.reason,
        fields=payload.fields,
        notes=payload.notes,
        expected_version=_version_header(request),
    )
    return serialize(application, user=request.user, with_data=False)


class QueueQuery(Schema):
    status: str | None = Field(None, pattern="^(waiting|open|with_citizen|done|cancelled)$")
    service: str | None = Field(None, max_length=80)
    sla: str | None = Field(None, pattern="^(due_today|overdue)$")
    mine: bool = False
    page: int = Field(1, ge=1, le=1000)


@router.get("/work-queue", response=list[QueueItem], summary="Petugas: daftar pekerjaan")
def work_queue(request: HttpRequest, filters: Query[QueueQuery]) -> list[dict[str, Any]]:
    now = timezone.now()
    steps = queries.work_queue(
        request.user,
        queries.QueueFilter(
            status=filters.status, service=filters.service, sla=filters.sla, mine=filters.mine
        ),
        page=filters.page,
    )
    labels: dict[int, Any] = {}
    items = []
    for step in steps:
        application = step.application
        if application.process_id not in labels:
            labels[application.process_id] = process_of(application)
        spec = labels[application.process_id].steps.get(step.key)
        items.append(
            {
                "tracking": application.tracking,
                "service": service_name(application),
                "step": step.key,
                "step_label": queries.label(spec.label if spec else None, step.key),
                "agency": step.agency.name,
                "status": step.status,
                "due_at": step.due_at,
                "sla": queries.sla_status(
                    step.due_at,
                    paused=step.status == Step.Status.WITH_CITIZEN,
                    now=now,
                    region_code=step.region_id,
                ),
                "claimed_by": step.claimed_by.get_username() if step.claimed_by else None,
                "version": application.version,
            }
        )
    return items


class ClaimIn(Schema):
    step: str
    release: bool = False


@router.post(
    "/applications/{tracking}/claim",
    response=ApplicationOut,
    summary="Petugas: ambil (atau lepaskan) satu langkah",
)
def claim(request: HttpRequest, tracking: str, payload: ClaimIn) -> dict[str, Any]:
    services.claim_step(
        user=request.user, tracking=tracking, step_key=payload.step, release=payload.release
    )
    return serialize(
        queries.staff_application(request.user, tracking), user=request.user, with_data=False
    )
