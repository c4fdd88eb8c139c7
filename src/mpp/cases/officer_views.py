"""Officer pages for one application (the work queue and the overdue view: officer_queue.py).

Every change goes through `cases.services` (or `cases.comments`); a refusal (DomainError) is
shown on the page with its status, never as a 500. Reading an application's form data is
written to the citizen's "who used my data" log, as the API detail does.
"""

import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from mpp.accounts.privacy import record_access
from mpp.cases import comments, queries, services
from mpp.cases.download import shown_attachments
from mpp.cases.formdefs import display
from mpp.cases.models import Application, Output
from mpp.cases.output_access import may_revoke, outputs_of
from mpp.core.errors import DomainError, Forbidden, InvalidInput
from mpp.core.roles import STAFF_ROLES, Role
from mpp.core.tenancy import roles_of
from mpp.workflow.engine import actions_for, process_of
from mpp.workflow.models import Step

SUPERVISOR_ROLES = frozenset({Role.REGIONAL_MANAGER, Role.AGENCY_ADMIN})


def sla_label(sla: str) -> str:
    return {
        queries.Sla.ON_TIME: _("Tepat waktu"),
        queries.Sla.DUE_TODAY: _("Batas hari ini"),
        queries.Sla.OVERDUE: _("Terlambat"),
        queries.Sla.PAUSED: _("Jeda: menunggu pemohon"),
        queries.Sla.NONE: _("Tanpa batas waktu"),
    }[sla]


def _refuse(request: HttpRequest, error: DomainError) -> HttpResponse:
    context = {"heading": _("Permohonan"), "message": error.message}
    return render(request, "cases/officer/message.html", context, status=error.status)


def _require_staff(user: Any, roles: frozenset[Role] = STAFF_ROLES) -> None:
    if not roles_of(user) & roles:
        raise Forbidden(_("Halaman ini hanya untuk petugas."))


def _timeline(
    application: Application, process: Any, field_labels: dict[str, str]
) -> list[dict[str, Any]]:
    statuses = dict(Application.Status.choices)
    actions = {
        "submit": _("Diajukan"),
        "resubmit": _("Perbaikan dikirim"),
        "cancel": _("Dibatalkan"),
    }
    for spec in process.steps.values():
        for action in spec.actions.values():
            actions.setdefault(action.name, queries.label(action.label, action.name))
    return [
        {
            "at": event.at,
            "by": event.actor_label,
            "action": actions.get(event.action, event.action),
            "from": statuses.get(event.from_status, event.from_status),
            "to": statuses.get(event.to_status, event.to_status),
            "reason": event.reason,
            "fields": [field_labels.get(f, f) for f in event.data.get("fields", [])],
            "changed": [field_labels.get(f, f) for f in event.data.get("changed", [])],
            "notes": [
                (field_labels.get(f, f), note)
                for f, note in (event.data.get("notes") or {}).items()
            ],
        }
        for event in queries.timeline_of(application)
    ]


def _detail_context(request: HttpRequest, application: Application) -> dict[str, Any]:
    process = process_of(application)
    now = timezone.now()
    fields = services.fields_filed_on(application)
    labels = display.labels(fields)
    documents = shown_attachments(request.user, application, labels)
    steps = []
    for step in queries.steps_of(application):
        is_open = step.status == Step.Status.OPEN
        sla = (
            queries.sla_status(step.due_at, paused=False, now=now, region_code=step.region_id)
            if is_open
            else "none"
        )
        spec = process.steps[step.key]
        actions = actions_for(request.user, step, process)
        steps.append({
            "step": step, "label": queries.label(spec.label, step.key),
            "sla": sla, "sla_label": sla_label(sla),
            "actions": [{"name": a.name, "kind": a.kind, "label": queries.label(a.label, a.name)}
                        for a in actions],
            "may_claim": bool(actions) and step.claimed_by_id is None,
            "may_release": bool(actions) and step.claimed_by_id == request.user.pk,
        })  # fmt: skip
    sla = (
        queries.sla_status(
            application.due_at,
            paused=application.status == Application.Status.NEEDS_CORRECTION,
            now=now,
            region_code=application.region_id,
        )
        if application.is_open
        else queries.Sla.NONE
    )
    return {
        "application": application,
        "sla": sla,
        "sla_label": sla_label(sla),
        "answers": display.answers(fields, application.data, documents),
        "documents": list(documents.values()),
        "links_expire_at": now + datetime.timedelta(seconds=settings.MPP_DOWNLOAD_LINK_SECONDS),
        "steps": steps,
        "timeline": _timeline(application, process, labels),
        "comments": comments.comments_of(application),
        "field_labels": labels,
        "outputs": [
            {"output": output, "may_revoke": may_revoke(request.user, output)}
            for output in outputs_of(application)
        ],
        "revocation_reasons": Output.RevocationReason.choices,
    }


def _render_detail(
    request: HttpRequest, tracking: str, *, error: str = "", status: int = 200
) -> HttpResponse:
    try:
        application = queries.staff_application(request.user, tracking)
    except DomainError as refusal:
        return _refuse(request, refusal)
    record_access(
        citizen=application.applicant,
        accessor=request.user,
        purpose=f"Memproses permohonan {application.tracking}",
        fields=sorted(application.data),
        region_code=application.region_id,
    )
    context = {**_detail_context(request, application), "error": error}
    return render(request, "cases/officer/detail.html", context, status=status)


@login_required
@require_GET
def detail_page(request: HttpRequest, tracking: str) -> HttpResponse:
    try:
        _require_staff(request.user)
    except DomainError as error:
        return _refuse(request, error)
    return _render_detail(request, tracking)


def _version(request: HttpRequest) -> int:
    raw = request.POST.get("version", "")
    if not raw.isdecimal():
        raise InvalidInput(_("Versi permohonan tidak dikenal. Muat ulang halaman."))
    return int(raw)


def _posted(request: HttpRequest, tracking: str, change: Any, done: str) -> HttpResponse:
    """Run one change; on refusal show the application again with the message and status."""
    try:
        _require_staff(request.user)
        change()
    except DomainError as error:
        return _render_detail(request, tracking, error=str(error.message), status=error.status)
    messages.success(request, done)
    return redirect(reverse("cases_officer:detail", args=[tracking]))


@login_required
@require_POST
def act_view(request: HttpRequest, tracking: str) -> HttpResponse:
    def change() -> None:
        services.act_on_application(
            user=request.user,
            tracking=tracking,
            step_key=request.POST.get("step", ""),
            action=request.POST.get("action", ""),
            reason=request.POST.get("reason", ""),
            fields=fields,
            notes={key: request.POST.get(f"note.{key}", "") for key in fields},
            expected_version=_version(request),
        )

    fields = request.POST.getlist("fields")
    return _posted(request, tracking, change, _("Aksi dicatat."))


@login_required
@require_POST
def claim_view(request: HttpRequest, tracking: str) -> HttpResponse:
    release = request.POST.get("release") == "1"

    def change() -> None:
        services.claim_step(
            user=request.user, tracking=tracking, step_key=request.POST.get("step", ""),
            release=release,
        )  # fmt: skip

    done = _("Langkah dilepaskan.") if release else _("Langkah Anda ambil.")
    return _posted(request, tracking, change, done)


@login_required
@require_POST
def comment_view(request: HttpRequest, tracking: str) -> HttpResponse:
    def change() -> None:
        comments.comment_on_application(
            user=request.user, tracking=tracking, body=request.POST.get("body", ""),
            to_citizen=request.POST.get("to_citizen") == "1",
        )  # fmt: skip

    return _posted(request, tracking, change, _("Catatan disimpan."))
