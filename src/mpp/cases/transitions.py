"""What follows every recorded workflow move, inside the move's own transaction: the citizen is
told (cases/notify.py) and, for services an agency's own system handles, that system gets a
signed event through the outbox (integrations/events.py). The engine calls `recorded` once
per move, so nothing that moves an application can forget either."""

from typing import TYPE_CHECKING, Any

from mpp.cases.notify import notify_transition
from mpp.integrations import events

if TYPE_CHECKING:
    from mpp.cases.models import Application
    from mpp.workflow.models import Transition

EVENT_FOR_ACTION = {
    "submit": "application.submitted",
    "resubmit": "application.resubmitted",
    "cancel": "application.cancelled",
}


SILENT_ACTIONS = {"escalate"}  # internal: the supervisor is told, not the agency system


def recorded(application: "Application", transition: "Transition", actor: Any) -> None:
    notify_transition(application, transition)
    if transition.action in SILENT_ACTIONS:
        return
    event_type = EVENT_FOR_ACTION.get(transition.action, "application.status_changed")
    events.emit(
        application,
        event_type,
        extra={"transition": _describe(transition)},
        # An agency system that made the move knows it; other agencies' systems hear of it.
        skip_agency=actor.agency_id,
    )


def _describe(transition: "Transition") -> dict:
    return {
        "action": transition.action,
        "step": transition.step.key if transition.step is not None else None,
        "from_status": transition.from_status,
        "to_status": transition.to_status,
        "reason": transition.reason,
        "fields": (transition.data or {}).get("fields", []),
        "at": transition.at.isoformat(),
        "by": transition.actor_label,
    }
