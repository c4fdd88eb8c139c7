"""Read paths for applications: mine, one, the public status, an agency's work queue; and the
one rule of which applications a staff user may read (`staff_scope`)."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from mpp.accounts.models import Citizen
from mpp.cases import drafts
from mpp.cases.models import Application, ApplicationDocument, Bundle, Draft
from mpp.core import calendar
from mpp.core.errors import NotFound
from mpp.core.identifiers import normalise_tracking
from mpp.core.roles import AGENCY_ROLES, Role
from mpp.core.tenancy import held_grants
from mpp.workflow.models import Step, Transition

PAGE = 50
ENGINE_ACTIONS = {
    "submit": gettext_lazy("Diajukan"),
    "resubmit": gettext_lazy("Perbaikan dikirim"),
    "cancel": gettext_lazy("Dibatalkan"),
    "escalate": gettext_lazy("Diteruskan ke atasan (terlambat)"),
}


class Sla:
    ON_TIME = "on_time"
    DUE_TODAY = "due_today"
    OVERDUE = "overdue"
    PAUSED = "paused"
    NONE = "none"


def sla_status(
    due_at: datetime.datetime | None,
    *,
    paused: bool,
    now: datetime.datetime,
    region_code: str | None = None,
) -> str:
    """On time, due today (in the region's own time zone: WIB, WITA or WIT), overdue, paused
    while the citizen corrects, or none without a target."""
    if paused:
        return Sla.PAUSED
    if due_at is None:
        return Sla.NONE
    if due_at < now:
        return Sla.OVERDUE
    zone = calendar.timezone_for(region_code)
    if due_at.astimezone(zone).date() == now.astimezone(zone).date():
        return Sla.DUE_TODAY
    return Sla.ON_TIME


def label(spec: dict[str, str] | None, fallback: str) -> str:
    spec = spec or {}
    return spec.get(get_language() or "id") or spec.get("id") or fallback


def _base() -> QuerySet[Application]:
    return Application.objects.select_related(
        "offering__template",
        "offering__agency",
        "region",
        "process",
        "bundle",
        "applicant",
        "submitted_by",
    )


def my_applications(citizen: Citizen, *, page: int = 1) -> list[Application]:
    start = (max(page, 1) - 1) * PAGE
    return list(_base().filter(applicant=citizen).order_by("-submitted_at")[start : start + PAGE])


def my_drafts(citizen: Citizen, *, limit: int = PAGE, bundles: bool = True) -> list[Draft]:
    """Forms the citizen began and has not filed, the most recently touched first; with
    `bundles`, life-event bundle forms too."""
    forms = Q(offering__is_active=True)
    if bundles:
        forms |= Q(bundle__is_active=True)
    return list(
        drafts.live()
        .filter(forms, applicant=citizen)
        .select_related("offering__template", "offering__region", "bundle", "region")
        .order_by("-updated_at")[:limit]
    )


def my_application(citizen: Citizen, tracking: str) -> Application:
    application = _base().filter(applicant=citizen, tracking=normalise_tracking(tracking)).first()
    if application is None:
        raise NotFound(_("Permohonan tidak ditemukan."))
    return application


def staff_scope(user: Any) -> Q:
    """The applications a staff user may read, as one filter on Application. Every staff path
    (officer pages, the API, actions, comments, attaching and downloading documents, outputs)
    goes through it, so the rule lives here only:

    - agency admins and officers: applications with a step at their grant's agency (in any
      state: past steps too), in the grant's region;
    - regional managers: every application of their region (they supervise the MPP);
    - counter officers: the applications they filed for a walk-in citizen, in their region;
    - national admins and everybody else: none.

    Callers answer "not found" outside it, never "forbidden", so nobody learns that it exists.
    Callers look one application up (by tracking number, pk or attached document) and the step
    test is an EXISTS probing steps by application (the foreign-key index; `step_once_per_key`
    leads with it too): an application has a handful of steps, so no index on agency is needed.
    """
    scope = Q(pk__in=[])
    agencies: dict[str, set[int]] = {}
    for grant in held_grants(user):
        if grant.region is None:
            continue
        if grant.role == Role.REGIONAL_MANAGER:
            scope |= Q(region_id=grant.region)
        elif grant.role in AGENCY_ROLES and grant.agency is not None:
            agencies.setdefault(grant.region, set()).add(grant.agency)
        elif grant.role == Role.COUNTER_OFFICER:
            scope |= Q(region_id=grant.region, submitted_by_id=user.pk)
    for region, ids in sorted(agencies.items()):
        steps = Step.objects.filter(application_id=OuterRef("pk"), agency_id__in=sorted(ids))
        scope |= Q(Exists(steps), region_id=region)
    return scope


def queue_scope(user: Any) -> Q:
    """The steps a staff user's work queue lists, as one filter on Step: an agency role's are
    its agency's steps in the grant's region, a regional manager's every step of the region, a
    counter officer's the steps of applications they filed there. Each listed step's application
    is within `staff_scope`."""
    scope = Q(pk__in=[])
    for grant in held_grants(user):
        if grant.region is None:
            continue
        if grant.role == Role.REGIONAL_MANAGER:
            scope |= Q(region_id=grant.region)
        elif grant.role in AGENCY_ROLES and grant.agency is not None:
            scope |= Q(region_id=grant.region, agency_id=grant.agency)
        elif grant.role == Role.COUNTER_OFFICER:
            scope |= Q(region_id=grant.region, application__submitted_by_id=user.pk)
    return scope


def staff_application(user: Any, tracking: str) -> Application:
    """An application within the user's `staff_scope` (404 otherwise: no hint)."""
    application = _base().filter(staff_scope(user), tracking=normalise_tracking(tracking)).first()
    if application is None:
        raise NotFound(_("Permohonan tidak ditemukan."))
    return application


def steps_of(application: Application) -> list[Step]:
    return list(
        application.steps.select_related("agency", "claimed_by").order_by("opened_at", "id")
    )


def timeline_of(application: Application) -> list[Transition]:
    """The audit trail, each move with `label`: the action's name in the reader's language."""
    from mpp.workflow.engine import process_of

    process = process_of(application)
    events = list(application.transitions.select_related("step").order_by("at", "id"))
    for event in events:
        spec = process.steps.get(event.step.key) if event.step else None
        action = spec.actions.get(event.action) if spec else None
        if action is not None:
            event.label = label(action.label, event.action)  # type: ignore[attr-defined]
        else:
            event.label = str(ENGINE_ACTIONS.get(event.action, event.action))  # type: ignore[attr-defined]
    return events


@dataclass(frozen=True)
class QueueFilter:
    status: str | None = None  # a Step.Status value
    service: str | None = None  # a template slug
    sla: str | None = None  # Sla.DUE_TODAY | Sla.OVERDUE
    mine: bool = False


def _due_by_the_end_of_today(now: datetime.datetime) -> Q:
    """Due before midnight where the step's region is (a WIT day ends two hours before WIB's)."""
    due = Q(pk__in=[])
    for zone, provinces in calendar.provinces_by_zone().items():
        end_of_day = datetime.datetime.combine(now.astimezone(zone).date(), datetime.time.max, zone)
        due |= Q(region__province_id__in=provinces, due_at__lte=end_of_day)
    return due


def work_queue(user: Any, filters: QueueFilter, *, page: int = 1) -> list[Step]:
    """The steps of the user's `queue_scope` (their agency's; a manager's whole region; a counter
    officer's own filings), oldest due first."""
    rows = Step.objects.filter(queue_scope(user)).select_related(
        "application__offering__template", "application__process", "agency", "claimed_by"
    )
    if filters.status:
        rows = rows.filter(status=filters.status)
    else:
        rows = rows.filter(status__in=[Step.Status.OPEN, Step.Status.WITH_CITIZEN])
    if filters.service:
        rows = rows.filter(application__offering__template__slug=filters.service)
    now = timezone.now()
    if filters.sla == Sla.OVERDUE:
        rows = rows.filter(status=Step.Status.OPEN, due_at__lt=now)
    elif filters.sla == Sla.DUE_TODAY:
        rows = rows.filter(_due_by_the_end_of_today(now), status=Step.Status.OPEN, due_at__gte=now)
    if filters.mine:
        rows = rows.filter(claimed_by=user)
    start = (max(page, 1) - 1) * PAGE
    return list(rows.order_by("due_at", "id")[start : start + PAGE])


def _bundles() -> QuerySet[Bundle]:
    return Bundle.objects.select_related("definition", "region").prefetch_related(
        Prefetch(
            "applications",
            queryset=Application.objects.select_related(
                "offering__template", "offering__agency"
            ).order_by("id"),
        )
    )


def my_bundle(citizen: Citizen, tracking: str) -> Bundle:
    bundle = _bundles().filter(applicant=citizen, tracking=normalise_tracking(tracking)).first()
    if bundle is None:
        raise NotFound(_("Paket permohonan tidak ditemukan."))
    return bundle


def public_bundle_status(tracking: str, nik_last_four: str) -> Bundle | None:
    """The bundle with that number and NIK digits, or None (then try a single application)."""
    from mpp.cases.services import public_lookup_hash

    tracking = normalise_tracking(tracking)
    return (
        _bundles()
        .filter(tracking=tracking, lookup_hash=public_lookup_hash(tracking, nik_last_four))
        .first()
    )


def attachments_of(application: Application) -> list[ApplicationDocument]:
    """The application's documents with their type, by field then as attached (one query)."""
    return list(
        application.attachments.select_related("document__document_type").order_by(
            "field", "added_at", "id"
        )
    )
