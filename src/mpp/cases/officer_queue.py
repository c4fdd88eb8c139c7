"""Officer pages over many applications: the work queue (claim or act on checked rows) and the
supervisors' overdue view. Every change goes through `cases.services`; a refusal is reported per
item, never as a 500."""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mpp.cases import queries, services
from mpp.cases.officer_views import SUPERVISOR_ROLES, _refuse, _require_staff, sla_label
from mpp.catalog.models import Offering
from mpp.core.errors import DomainError
from mpp.core.tenancy import roles_of
from mpp.workflow.definition import Action
from mpp.workflow.engine import actions_for, process_of
from mpp.workflow.models import Step

SLA_FILTERS = (queries.Sla.DUE_TODAY, queries.Sla.OVERDUE)
MAX_BULK = 50


@dataclass(frozen=True)
class QueueRow:
    tracking: str
    service: str
    step: str
    step_label: str
    agency: str
    status_label: str
    due_at: Any
    region: str  # its times show in the region's zone
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
            step.due_at,
            paused=step.status == Step.Status.WITH_CITIZEN,
            now=now,
            region_code=step.region_id,
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
                region=step.region_id,
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
    return min(int(raw), 1000) if raw.isdecimal() and int(raw) > 0 else 1


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
        # No version (an older page): unchecked; a garbled one: no version matches, refused.
        checked = int(version) if version.isdecimal() else (-1 if version else None)
        picks.append(Pick(tracking, step, checked))
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
