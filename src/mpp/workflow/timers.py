"""What the clock decides: automatic decisions that fall due and escalation of late steps.

Run every minute by `manage.py workflow_timers` (beside the task worker). Each application is
handled in its own transaction with its row locked, so a timer and an officer never both win,
and a crash part-way loses nothing: the next run picks up what is still due.
"""

import datetime
import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mpp.core.errors import DomainError
from mpp.core.roles import Role
from mpp.workflow import engine
from mpp.workflow.models import Step

logger = logging.getLogger(__name__)
BATCH = 500


@dataclass
class TimerRun:
    decided: int = 0
    escalated: int = 0


def run(now: datetime.datetime | None = None) -> TimerRun:
    now = now or timezone.now()
    result = TimerRun()
    for step_id, application_id in _due(Q(auto_at__lte=now)):
        with transaction.atomic():
            application = engine.lock(application_id)
            step = Step.objects.get(pk=step_id)
            if step.status != Step.Status.OPEN or step.auto_at is None or step.auto_at > now:
                continue  # an officer or an earlier run got there first
            auto = engine.process_of(application).auto_for(step.key)
            if auto is None:
                Step.objects.filter(pk=step_id).update(auto_at=None)
                continue
            try:
                engine.act(
                    application, step_key=step.key, action_name=auto.action,
                    actor=engine.Actor.system(), at=now,
                    reason=_("Keputusan otomatis sesuai standar pelayanan."),
                )  # fmt: skip
                result.decided += 1
            except DomainError:
                logger.exception("automatic decision failed", extra={"step": step_id})
    for step_id, application_id in _due(Q(due_at__lt=now, escalated_at__isnull=True)):
        with transaction.atomic():
            application = engine.lock(application_id)
            if _escalate(application, step_id, now):
                result.escalated += 1
    return result


def _due(condition: Q) -> list[tuple[int, int]]:
    return list(
        Step.objects.filter(condition, status=Step.Status.OPEN)
        .order_by("due_at", "id")
        .values_list("id", "application_id")[:BATCH]
    )


def _escalate(application: engine.Application, step_id: int, now: datetime.datetime) -> bool:
    from mpp.accounts.models import RoleGrant
    from mpp.notifications.services import queue_message

    updated = Step.objects.filter(
        pk=step_id, status=Step.Status.OPEN, escalated_at__isnull=True, due_at__lt=now
    ).update(escalated_at=now)
    if not updated:
        return False
    step = Step.objects.select_related("agency").get(pk=step_id)
    engine._record(
        application, step, "escalate", application.status, application.status,
        engine.Actor.system(), at=now,
        reason=_("Melewati batas waktu langkah; diteruskan ke atasan."),
    )  # fmt: skip
    supervisors = (
        RoleGrant.objects.filter(region_id=step.region_id)
        .filter(Q(role=Role.REGIONAL_MANAGER) | Q(role=Role.AGENCY_ADMIN, agency_id=step.agency_id))
        .exclude(user__email="")
        .values_list("user__email", flat=True)
        .distinct()
    )
    for email in supervisors:
        queue_message(
            channel="email",
            destination=email,
            subject=_("Permohonan %(tracking)s melewati batas waktu")
            % {"tracking": application.tracking},
            body=_(
                "Langkah %(step)s pada %(agency)s melewati batas waktu %(due)s. "
                "Lihat daftar pekerjaan terlambat di MPP Digital."
            )
            % {
                "step": step.key,
                "agency": step.agency.name,
                "due": timezone.localtime(step.due_at).strftime("%d-%m-%Y %H:%M"),
            },
        )
    return True
