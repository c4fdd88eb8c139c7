"""The workflow engine: opens an application's steps, moves them by the definition's rules,
keeps the SLA clocks in working time and writes every move to the audit trail.

Every function here runs inside the caller's transaction and locks the application row first,
so two officers acting at once cannot both win: the second sees the first one's result and is
refused with 409 (or with the version it expected, when it sent one).
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mpp.catalog.models import Agency, Offering
from mpp.core import calendar
from mpp.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from mpp.core.roles import AGENCY_ROLES
from mpp.workflow.definition import OFFERING_AGENCY, Action, Duration, Process, StepSpec, parse
from mpp.workflow.models import ProcessDefinition, Step, Transition

# Imported lazily by type only: cases imports the engine, not the other way round.
Application = Any

SYSTEM = _("Sistem")


@dataclass(frozen=True)
class Actor:
    """Who acts: an officer (user), an agency system (label only) or the platform's timers."""

    user: Any | None
    label: str
    is_system: bool = False
    agency_id: int | None = None  # an agency's own system, acting through the inbound API

    @classmethod
    def system(cls) -> "Actor":
        return cls(user=None, label=str(SYSTEM), is_system=True)

    @classmethod
    def agency_system(cls, *, agency_id: int, label: str) -> "Actor":
        return cls(user=None, label=label, agency_id=agency_id)

    @classmethod
    def of(cls, user: Any) -> "Actor":
        return cls(user=user, label=user.get_full_name() or user.get_username())


# Parsed definitions by id. A saved definition is never edited (a change is a new version with a
# new id, workflow/services.py), so an id names one definition for good; `forget_processes` runs
# on save and delete so that tests, whose rolled-back ids come back, never read a stale one.
_parsed: dict[int, Process] = {}


def parsed_process(process_id: int, definition: dict | None = None) -> Process:
    """The process definition `process_id`, read and parsed once per server process (pass its
    `definition` when it is at hand)."""
    found = _parsed.get(process_id)
    if found is None:
        if definition is None:
            definition = ProcessDefinition.objects.values_list("definition", flat=True).get(
                pk=process_id
            )
        found = parse(definition)
        if len(_parsed) > 1000:  # a few hundred versions at most; never grow without bound
            _parsed.clear()
        _parsed[process_id] = found
    return found


def forget_processes(**kwargs: Any) -> None:
    _parsed.clear()


def process_of(application: "Application") -> Process:
    return parsed_process(application.process_id)


def process_for(offering: Offering) -> ProcessDefinition:
    """The process an offering's applications run: its template's newest active one, else the
    national default (`slug="standar"`)."""
    process = (
        ProcessDefinition.objects.filter(is_active=True)
        .filter(Q(template_id=offering.template_id) | Q(template__isnull=True, slug="standar"))
        .order_by(F("template_id").asc(nulls_last=True), "-number")
        .first()
    )
    if process is None:
        raise Conflict(_("Layanan ini belum memiliki alur kerja; belum dapat diajukan daring."))
    return process


def resolve_agencies(offering: Offering, process: Process) -> dict[str, Agency]:
    """The agency of each step in the offering's region; refuses if one is missing."""
    kinds = {s.agency for s in process.steps.values() if s.agency != OFFERING_AGENCY}
    found: dict[str, Agency] = {}
    if kinds:
        candidates = (
            Agency.objects.filter(kind__slug__in=kinds, is_active=True)
            .filter(Q(region_id=offering.region_id) | Q(service_area=offering.region_id))
            .select_related("kind")
            .order_by("id")
            .distinct()
        )
        for agency in candidates:
            # An agency seated in the region wins over one that only serves it.
            if agency.kind.slug not in found or agency.region_id == offering.region_id:
                found[agency.kind.slug] = agency
    result: dict[str, Agency] = {}
    for step in process.steps.values():
        if step.agency == OFFERING_AGENCY:
            result[step.key] = offering.agency
        elif step.agency in found:
            result[step.key] = found[step.agency]
        else:
            raise Conflict(
                _("Instansi untuk langkah %(step)s belum terdaftar di wilayah ini.")
                % {"step": step.label.get("id", step.key)}
            )
    return result


def _due(start: datetime.datetime, sla: Duration | None, region: str) -> datetime.datetime | None:
    if sla is None or sla.value == 0:
        return None
    return calendar.add_working_time(start, sla.value, sla.unit, region_code=region)


def _open(step: Step, spec: StepSpec, process: Process, at: datetime.datetime) -> None:
    step.status = Step.Status.OPEN
    step.opened_at = at
    step.due_at = _due(at, spec.sla, step.region_id)
    auto = process.auto_for(spec.key)
    step.auto_at = _due(at, auto.after, step.region_id) if auto else None


def due(at: datetime.datetime, sla: Duration | None, region: str) -> datetime.datetime | None:
    """When `sla` of working time from `at` ends in `region` (None without an SLA)."""
    return _due(at, sla, region)


def start(
    application: "Application",
    *,
    agencies: dict[str, Agency],
    actor: Actor,
    at: datetime.datetime,
) -> tuple[list[Step], Transition]:
    """Open the first steps of a freshly created application (same transaction); its total due
    time was set when it was created (`due`)."""
    process = process_of(application)
    steps = []
    for spec in process.steps.values():
        step = Step(
            application=application,
            region_id=application.region_id,
            agency=agencies[spec.key],
            key=spec.key,
            status=Step.Status.WAITING,
            opened_at=at,
        )
        if not spec.after:
            _open(step, spec, process, at)
        steps.append(step)
    Step.objects.bulk_create(steps)
    submitted = _record(application, None, "submit", "", application.status, actor, at=at)
    return steps, submitted


def _record(
    application: "Application",
    step: Step | None,
    action: str,
    from_status: str,
    to_status: str,
    actor: Actor,
    *,
    at: datetime.datetime,
    reason: str = "",
    data: dict | None = None,
) -> Transition:
    from mpp.cases.transitions import recorded  # cases imports the engine, not the reverse

    transition = Transition.objects.create(
        application=application,
        step=step,
        action=action,
        from_status=from_status,
        to_status=to_status,
        actor=actor.user,
        actor_label=actor.label,
        reason=reason,
        data=data or {},
        at=at,
    )
    # Every move is recorded here, so the citizen and the agency's system hear of every move from
    # here, in this transaction (cases/transitions.py).
    recorded(application, transition, actor)
    return transition


def lock(application_id: int, *, expected_version: int | None = None) -> "Application":
    """Lock the application row for this transaction and check the version the caller saw."""
    from mpp.cases.models import Application

    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("workflow changes must run inside transaction.atomic()")
    application = (
        Application.objects.select_for_update()
        .select_related("process", "region")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        raise NotFound(_("Permohonan tidak ditemukan."))
    if expected_version is not None and application.version != expected_version:
        raise Conflict(
            _("Permohonan sudah diubah orang lain (versi %(now)s, bukan %(seen)s). Muat ulang.")
            % {"now": application.version, "seen": expected_version}
        )
    return application


def may_take(user: Any, step: Step, action: Action) -> bool:
    """A grant with one of the action's roles, in the step's region, for the step's agency.
    The user's grants are read once per request (tenancy keeps them on the user object)."""
    from mpp.core.tenancy import held_grants

    if user is None or not user.is_active:
        return False
    return any(
        grant.role in action.roles
        and grant.region == step.region_id
        and (grant.role not in AGENCY_ROLES or grant.agency == step.agency_id)
        for grant in held_grants(user)
    )


def system_may_take(agency_id: int, step: Step, action: Action) -> bool:
    """An agency's system takes what its officers may take, on its own agency's steps."""
    return step.agency_id == agency_id and bool(set(action.roles) & AGENCY_ROLES)


def actions_for(user: Any, step: Step, process: Process) -> list[Action]:
    if step.status != Step.Status.OPEN:
        return []
    spec = process.steps[step.key]
    return [action for action in spec.actions.values() if may_take(user, step, action)]


def act(
    application: "Application",
    *,
    step_key: str,
    action_name: str,
    actor: Actor,
    reason: str = "",
    fields: Iterable[str] = (),
    at: datetime.datetime | None = None,
) -> "Application":
    """Take one action on one step of a locked application (see `lock`)."""
    at = at or timezone.now()
    process = process_of(application)
    spec = process.steps.get(step_key)
    if spec is None:
        raise NotFound(_("Langkah tidak ditemukan."))
    action = spec.actions.get(action_name)
    if action is None:
        raise InvalidInput(
            _("Aksi %(action)s tidak ada pada langkah ini. Pilihan: %(choices)s.")
            % {"action": action_name, "choices": ", ".join(spec.actions)},
            field="action",
        )
    step = Step.objects.get(application=application, key=step_key)
    if actor.agency_id is not None:
        allowed = system_may_take(actor.agency_id, step, action)
    else:
        allowed = actor.is_system or may_take(actor.user, step, action)
    if not allowed:
        raise Forbidden(_("Peran Anda tidak boleh mengambil aksi ini pada langkah ini."))
    if not application.is_open or step.status != Step.Status.OPEN:
        raise Conflict(
            _("Aksi tidak dapat dilakukan: permohonan %(status)s, langkah %(step)s.")
            % {
                "status": application.get_status_display().lower(),
                "step": step.get_status_display().lower(),
            }
        )
    reason = (reason or "").strip()
    if action.needs_reason and not reason:
        raise InvalidInput(_("Tuliskan alasannya."), field="reason")
    fields = sorted(set(fields))
    if action.kind == "send_back" and not fields:
        raise InvalidInput(_("Sebutkan isian yang perlu diperbaiki."), field="fields")

    before = application.status
    if action.kind == "complete":
        _complete(application, step, action, process, actor, at)
    elif action.kind == "send_back":
        _send_back(application, at)
    else:
        _reject(application, at)
    application.version += 1
    application.save()
    _record(
        application, step, action.name, before, application.status, actor,
        at=at, reason=reason, data={"fields": fields} if fields else None,
    )  # fmt: skip
    return application


def _complete(
    application: "Application",
    step: Step,
    action: Action,
    process: Process,
    actor: Actor,
    at: datetime.datetime,
) -> None:
    step.status = Step.Status.DONE
    step.outcome = action.name
    step.completed_at = at
    step.auto_at = None
    step.save()
    steps = {s.key: s for s in Step.objects.filter(application=application)}
    for successor in process.successors(step.key):
        row = steps[successor.key]
        if row.status == Step.Status.WAITING and all(
            steps[key].status == Step.Status.DONE for key in successor.after
        ):
            _open(row, successor, process, at)
            row.save()
    if all(s.status in (Step.Status.DONE, Step.Status.CANCELLED) for s in steps.values()):
        application.status = application.Status.APPROVED
        application.closed_at = at
        from mpp.cases.outputs import issue_output  # lazy: cases imports the engine

        # Same transaction: the output exists by the time anyone learns of the approval.
        issue_output(application, actor_user=actor.user, at=at)
    else:
        application.status = application.Status.IN_PROGRESS


def _remaining(due: datetime.datetime | None, at: datetime.datetime, region: str) -> int | None:
    if due is None:
        return None
    if due >= at:
        return calendar.working_seconds_between(at, due, region_code=region)
    return -int((at - due).total_seconds())  # already late: stays late by as much


def _resume_due(
    remaining: int | None, at: datetime.datetime, region: str
) -> datetime.datetime | None:
    if remaining is None:
        return None
    if remaining < 0:
        return at + datetime.timedelta(seconds=remaining)
    return calendar.add_working_seconds(at, remaining, region_code=region)


def _send_back(application: "Application", at: datetime.datetime) -> None:
    region = application.region_id
    application.status = application.Status.NEEDS_CORRECTION
    application.paused_at = at
    application.remaining_seconds = _remaining(application.due_at, at, region)
    for step in Step.objects.filter(application=application, status=Step.Status.OPEN):
        step.status = Step.Status.WITH_CITIZEN
        step.remaining_seconds = _remaining(step.due_at, at, region)
        step.save(update_fields=["status", "remaining_seconds"])


def resume(
    application: "Application", *, actor: Actor, at: datetime.datetime | None = None
) -> None:
    """The citizen resubmitted: the clocks run again with the working time they had left."""
    at = at or timezone.now()
    if application.status != application.Status.NEEDS_CORRECTION:
        raise Conflict(_("Permohonan ini tidak sedang menunggu perbaikan."))
    region = application.region_id
    before = application.status
    application.status = application.Status.IN_PROGRESS
    application.due_at = _resume_due(application.remaining_seconds, at, region)
    application.paused_at = None
    application.remaining_seconds = None
    process = process_of(application)
    for step in Step.objects.filter(application=application, status=Step.Status.WITH_CITIZEN):
        step.status = Step.Status.OPEN
        step.due_at = _resume_due(step.remaining_seconds, at, region)
        step.remaining_seconds = None
        auto = process.auto_for(step.key)
        if auto and step.auto_at is not None:
            step.auto_at = max(step.auto_at, at)
        step.save(update_fields=["status", "due_at", "remaining_seconds", "auto_at"])
    application.version += 1
    application.save()
    _record(application, None, "resubmit", before, application.status, actor, at=at)


def _close_steps(application: "Application") -> None:
    Step.objects.filter(
        application=application,
        status__in=[Step.Status.WAITING, Step.Status.OPEN, Step.Status.WITH_CITIZEN],
    ).update(status=Step.Status.CANCELLED, auto_at=None)


def _reject(application: "Application", at: datetime.datetime) -> None:
    application.status = application.Status.REJECTED
    application.closed_at = at
    _close_steps(application)


def cancel(
    application: "Application", *, actor: Actor, reason: str, at: datetime.datetime | None = None
) -> None:
    at = at or timezone.now()
    if not application.is_open:
        raise Conflict(_("Permohonan ini sudah selesai dan tidak dapat dibatalkan."))
    before = application.status
    application.status = application.Status.CANCELLED
    application.closed_at = at
    _close_steps(application)
    application.version += 1
    application.save()
    _record(application, None, "cancel", before, application.status, actor, at=at, reason=reason)
