"""Officer pages for applications: the work queue, the overdue view, one application.

Every change goes through `cases.services` (or `cases.comments`); a refusal (DomainError) is
shown on the page with its status, never as a 500. Reading an application's form data is
written to the citizen's "who used my data" log, as the API detail does.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mpp.accounts.privacy import record_access
from mpp.cases import comments, queries, services
from mpp.cases.download import links_for
from mpp.cases.formdefs import display
from mpp.cases.formdefs.display import ShownDocument
from mpp.cases.models import Application, Output
from mpp.cases.output_access import may_revoke, outputs_of
from mpp.catalog.models import Offering
from mpp.core.errors import DomainError, Forbidden, InvalidInput
from mpp.core.roles import STAFF_ROLES, Role
from mpp.core.tenancy import roles_of
from mpp.workflow.definition import Action
from mpp.workflow.engine import actions_for, process_of
from mpp.workflow.models import Step

SUPERVISOR_ROLES = frozenset({Role.REGIONAL_MANAGER, Role.AGENCY_ADMIN})
SLA_FILTERS = (queries.Sla.DUE_TODAY, queries.Sla.OVERDUE)
MAX_BULK = 50


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


@dataclass(frozen=True)
class QueueRow:
    tracking: str
    service: str
    step: str
    step_label: str
    agency: str
    status_label: str
    due_at: Any
    sla: str
    sla_label: str
    claimed_by: str
    escalated: bool
    version: int
    bulk_actions: tuple[tuple[str, str], ...]  # (name, label) the officer may take here in bulk


def _bulk_ready(action: Action) -> bool:
    """An action taken on many steps at once must need nothing typed per application: no reason
    (send_back and reject always need one, and send_back the fields to correct)."""
    return not action.needs_reason


def _rows(steps: list[Step], user: Any = None) -> list[QueueRow]:
    now = timezone.now()
    processes: dict[int, Any] = {}
    rows = []
    for step in steps:
        application = step.application
        if application.process_id not in processes:
            processes[application.process_id] = process_of(application)
        spec = processes[application.process_id].steps.get(step.key)
        sla = queries.sla_status(
            step.due_at, paused=step.status == Step.Status.WITH_CITIZEN, now=now
        )
        claimed = step.claimed_by
        actions = actions_for(user, step, processes[application.process_id]) if user else []
        rows.append(
            QueueRow(
                tracking=application.tracking,
                service=application.offering.template.name,
                step=step.key,
                step_label=queries.label(spec.label if spec else None, step.key),
                agency=step.agency.name,
                status_label=str(step.get_status_display()),
                due_at=step.due_at,
                sla=sla,
                sla_label=sla_label(sla),
                claimed_by=(claimed.get_full_name() or claimed.get_username()) if claimed else "",
                escalated=step.escalated_at is not None,
                version=application.version,
                bulk_actions=tuple(
                    (a.name, queries.label(a.label, a.name)) for a in actions if _bulk_ready(a)
                ),
            )
        )
    return rows


def _page_number(raw: str) -> int:
    return min(int(raw), 1000) if raw.isdigit() and int(raw) > 0 else 1


def _filters(request: HttpRequest) -> queries.QueueFilter:
    status = request.GET.get("status", "")
    sla = request.GET.get("sla", "")
    return queries.QueueFilter(
        status=status if status in Step.Status.values else None,
        service=request.GET.get("service", "").strip()[:80] or None,
        sla=sla if sla in SLA_FILTERS else None,
        mine=request.GET.get("mine") == "1",
    )


def _services_in_reach(user: Any) -> list[tuple[str, str]]:
    regions = {r for r in user.role_grants.values_list("region_id", flat=True) if r}
    offerings = Offering.objects.filter(region_id__in=regions).select_related("template")
    return sorted({(o.template.slug, o.template.name) for o in offerings}, key=lambda s: s[1])


def _pager(request: HttpRequest, page: int, full: bool) -> dict[str, str]:
    def link(number: int) -> str:
        query = request.GET.copy()
        query["page"] = str(number)
        return "?" + query.urlencode()

    return {
        "previous": link(page - 1) if page > 1 else "",
        "next": link(page + 1) if full else "",
    }


@login_required
@require_http_methods(["GET", "POST"])
def queue_page(request: HttpRequest) -> HttpResponse:
    """The officer's steps, filtered by GET; POST claims the checked rows, or takes one action
    on them (`bulk=act`), one by one."""
    try:
        _require_staff(request.user)
    except DomainError as error:
        return _refuse(request, error)
    if request.method == "POST":
        if request.POST.get("bulk") == "act":
            _act_many(request, request.POST.getlist("pick"), request.POST.get("action", ""))
        else:
            _claim_many(request, request.POST.getlist("pick"))
        return redirect(request.get_full_path())
    filters = _filters(request)
    page = _page_number(request.GET.get("page", ""))
    steps = queries.work_queue(request.user, filters, page=page)
    rows = _rows(steps, request.user)
    context = {
        "rows": rows,
        "bulk_actions": _offered(rows),
        "filters": filters,
        "statuses": Step.Status.choices,
        "services": _services_in_reach(request.user),
        "sla_choices": [(s, sla_label(s)) for s in SLA_FILTERS],
        "pager": _pager(request, page, len(steps) >= queries.PAGE),
        "is_supervisor": bool(roles_of(request.user) & SUPERVISOR_ROLES),
    }
    return render(request, "cases/officer/queue.html", context)


def _offered(rows: list[QueueRow]) -> list[tuple[str, str]]:
    """The actions to offer in bulk: each one some row on the page allows, in order first seen."""
    offered: dict[str, str] = {}
    for row in rows:
        for name, label in row.bulk_actions:
            offered.setdefault(name, label)
    return list(offered.items())


@dataclass(frozen=True)
class Pick:
    tracking: str
    step: str
    version: int | None  # the application's version the queue showed; None: not checked


def _picks(request: HttpRequest, raw: list[str]) -> list[Pick]:
    """The checked rows ("tracking:step:version"), at most MAX_BULK (the rest is said so)."""
    if len(raw) > MAX_BULK:
        messages.error(
            request, _("Paling banyak %(n)s langkah sekaligus; sisanya tidak diproses.")
            % {"n": MAX_BULK},
        )  # fmt: skip
    picks = []
    for value in raw[:MAX_BULK]:
        tracking, _sep, rest = value.partition(":")
        step, _sep, version = rest.partition(":")
        picks.append(Pick(tracking, step, int(version) if version.isdigit() else None))
    return picks


def _report(
    request: HttpRequest, done: str, refused: str, outcome: dict[str, list[str]], **extra: str
) -> None:
    if outcome["done"]:
        messages.success(request, done % {"list": ", ".join(outcome["done"]), **extra})
    if outcome["refused"]:
        messages.error(request, refused % {"list": "; ".join(outcome["refused"]), **extra})


def _claim_many(request: HttpRequest, raw: list[str]) -> None:
    if not raw:
        messages.error(request, _("Pilih dulu langkah yang akan diambil."))
        return
    outcome: dict[str, list[str]] = {"done": [], "refused": []}
    for pick in _picks(request, raw):
        try:
            services.claim_step(user=request.user, tracking=pick.tracking, step_key=pick.step)
        except DomainError as error:
            outcome["refused"].append(f"{pick.tracking} ({error.message})")
        else:
            outcome["done"].append(pick.tracking)
    _report(request, _("Diambil: %(list)s."), _("Tidak dapat diambil: %(list)s."), outcome)


def _act_many(request: HttpRequest, raw: list[str], action: str) -> None:
    """One action on each checked step, each in its own transaction (services act locks and
    checks role, state and version), so one refusal leaves the others done."""
    if not raw:
        messages.error(request, _("Pilih dulu langkah yang akan diproses."))
        return
    if not action:
        messages.error(request, _("Pilih dulu aksi yang akan dijalankan."))
        return
    outcome: dict[str, list[str]] = {"done": [], "refused": []}
    moved: dict[str, tuple[int, int]] = {}  # tracking -> (version before, after) moved here
    label = action
    for pick in _picks(request, raw):
        expected = pick.version
        if pick.tracking in moved and expected == moved[pick.tracking][0]:
            expected = moved[pick.tracking][1]  # two steps of one application, both picked
        try:
            application = services.act_on_application(
                user=request.user, tracking=pick.tracking, step_key=pick.step, action=action,
                expected_version=expected,
            )  # fmt: skip
        except DomainError as error:
            outcome["refused"].append(f"{pick.tracking} ({error.message})")
            continue
        before = expected if expected is not None else application.version - 1
        moved[pick.tracking] = (before, application.version)
        outcome["done"].append(pick.tracking)
        spec = process_of(application).steps[pick.step].actions[action]
        label = queries.label(spec.label, action)
    _report(
        request,
        _("%(action)s: selesai untuk %(list)s."),
        _("Tidak dapat diproses: %(list)s."),
        outcome,
        action=label,
    )


@login_required
@require_GET
def overdue_page(request: HttpRequest) -> HttpResponse:
    """Supervisors: the region's (or agency's) open steps past due, the latest first."""
    try:
        _require_staff(request.user, SUPERVISOR_ROLES)
    except DomainError as error:
        return _refuse(request, error)
    page = _page_number(request.GET.get("page", ""))
    steps = queries.work_queue(
        request.user, queries.QueueFilter(sla=queries.Sla.OVERDUE), page=page
    )
    context = {
        "rows": _rows(steps),
        "pager": _pager(request, page, len(steps) >= queries.PAGE),
        "now": timezone.now(),
    }
    return render(request, "cases/officer/overdue.html", context)


def _documents(
    user: Any, application: Application, labels: dict[str, str]
) -> dict[int, ShownDocument]:
    """The attached documents, by id, each with a download link unless it is infected."""
    attachments = queries.attachments_of(application)
    links = links_for(user=user, documents=[a.document for a in attachments])
    formats = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}
    shown: dict[int, ShownDocument] = {}
    for attachment in attachments:
        document = attachment.document
        link = links.get(document.pk)
        shown.setdefault(document.pk, ShownDocument(
            id=document.pk, name=document.original_name, field=attachment.field,
            field_label=labels.get(attachment.field, attachment.field),
            kind=document.document_type.name if document.document_type else "",
            format=formats.get(document.content_type, document.content_type),
            size=document.size, scan=document.scan, scan_label=str(document.get_scan_display()),
            url=link.path if link else "",
        ))  # fmt: skip
    return shown


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
        }
        for event in queries.timeline_of(application)
    ]


def _detail_context(request: HttpRequest, application: Application) -> dict[str, Any]:
    process = process_of(application)
    now = timezone.now()
    fields = services.fields_filed_on(application)
    labels = display.labels(fields)
    documents = _documents(request.user, application, labels)
    steps = []
    for step in queries.steps_of(application):
        is_open = step.status == Step.Status.OPEN
        sla = queries.sla_status(step.due_at, paused=False, now=now) if is_open else "none"
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
    if not raw.isdigit():
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
            fields=request.POST.getlist("fields"),
            expected_version=_version(request),
        )

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
