"""The workflow engine: opens an application's steps, moves them by the definition's rules,
keeps the SLA clocks in working time and writes every move to the audit trail.

Every function here runs inside the caller's transaction and locks the application row first,
so two officers acting at once cannot both win: the second sees the first one's result and is
refused with 409 (or with the version it expected, when it sent one).
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mpp.catalog.models import Agency
from mpp.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from mpp.core.roles import AGENCY_ROLES
from mpp.workflow.clocks import due as due  # services reach it as engine.due
from mpp.workflow.clocks import due_again, time_left
from mpp.workflow.definition import Action, Process, StepSpec
from mpp.workflow.models import Step, Transition
from mpp.workflow.processes import process_of

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


def _open(step: Step, spec: StepSpec, process: Process, at: datetime.datetime) -> None:
    step.status = Step.Status.OPEN
    step.opened_at = at
    step.due_at = due(at, spec.sla, step.region_id)
    auto = process.auto_for(spec.key)
    step.auto_at = due(at, auto.after, step.region_id) if auto else None


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
    notes: Mapping[str, str] | None = None,
    at: datetime.datetime | None = None,
) -> "Application":
    """Take one action on one step of a locked application (see `lock`). A send-back names the
    `fields` to correct; `notes` may give some of them their own reason (else `reason` holds)."""
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
    notes = _notes(notes, fields)

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
        at=at, reason=reason,
        data=({"fields": fields} | ({"notes": notes} if notes else {})) if fields else None,
    )  # fmt: skip
    return application


NOTE_MAX = 300


def _notes(notes: Mapping[str, str] | None, fields: list[str]) -> dict[str, str]:
    """Per-field reasons of a send-back: each for a field it names, trimmed, empty ones dropped."""
    if not notes:
        return {}
    if not isinstance(notes, Mapping) or not all(
        isinstance(key, str) and isinstance(text, str) for key, text in notes.items()
    ):
        raise InvalidInput(_("Catatan per isian harus berupa teks."), field="notes")
    kept = {key: " ".join(text.split()) for key, text in notes.items() if text.strip()}
    if set(kept) - set(fields):
        raise InvalidInput(_("Catatan hanya untuk isian yang diminta diperbaiki."), field="notes")
    if any(len(text) > NOTE_MAX for text in kept.values()):
        raise InvalidInput(
            _("Catatan per isian paling panjang %(n)s karakter.") % {"n": NOTE_MAX}, field="notes"
        )
    return dict(sorted(kept.items()))


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


def _send_back(application: "Application", at: datetime.datetime) -> None:
    region = application.region_id
    application.status = application.Status.NEEDS_CORRECTION
    application.paused_at = at
    application.remaining_seconds = time_left(application.due_at, at, region)
    for step in Step.objects.filter(application=application, status=Step.Status.OPEN):
        step.status = Step.Status.WITH_CITIZEN
        step.remaining_seconds = time_left(step.due_at, at, region)
        # An automatic decision waits for the correction: nobody would have checked it.
        step.auto_remaining_seconds = time_left(step.auto_at, at, region)
        step.auto_at = None
        step.save(
            update_fields=["status", "remaining_seconds", "auto_remaining_seconds", "auto_at"]
        )


def resume(
    application: "Application",
    *,
    actor: Actor,
    changed: Iterable[str] = (),
    at: datetime.datetime | None = None,
) -> None:
    """The citizen resubmitted: the clocks run again with the working time they had left.
    `changed`: the answers the correction changed, kept in the record for the officers."""
    at = at or timezone.now()
    if application.status != application.Status.NEEDS_CORRECTION:
        raise Conflict(_("Permohonan ini tidak sedang menunggu perbaikan."))
    region = application.region_id
    before = application.status
    application.status = application.Status.IN_PROGRESS
    application.due_at = due_again(application.remaining_seconds, at, region)
    application.paused_at = None
    application.remaining_seconds = None
    process = process_of(application)
    for step in Step.objects.filter(application=application, status=Step.Status.WITH_CITIZEN):
        step.status = Step.Status.OPEN
        step.due_at = due_again(step.remaining_seconds, at, region)
        step.remaining_seconds = None
        auto = process.auto_for(step.key)
        if auto and step.auto_remaining_seconds is not None:
            step.auto_at = due_again(step.auto_remaining_seconds, at, region)
        elif auto and step.auto_at is not None:  # paused before the automatic clock was kept
            step.auto_at = max(step.auto_at, at)
        else:
            step.auto_at = None
        step.auto_remaining_seconds = None
        step.save(
            update_fields=[
                "status",
                "due_at",
                "remaining_seconds",
                "auto_at",
                "auto_remaining_seconds",
            ]
        )
    application.version += 1
    application.save()
    changed = sorted(changed)
    _record(
        application, None, "resubmit", before, application.status, actor,
        at=at, data={"changed": changed} if changed else None,
    )  # fmt: skip


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
