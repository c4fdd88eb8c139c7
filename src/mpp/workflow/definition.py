"""Process definitions: the data a national admin edits, checked and read into plain objects.

A definition names its steps. A step belongs to one agency (by agency kind, or the offering's
own agency), has an SLA in working time, the actions officers may take on it and the roles that
may take them, and the steps that must be done before it opens (`after`: a join). Steps with the
same `after` run in parallel; steps with no `after` open at submission.

    {"steps": {
        "verifikasi": {"label": {"id": "Verifikasi berkas", "en": "Document check"},
                       "agency": "$offering", "sla": {"value": 1, "unit": "working_days"},
                       "actions": {"approve": {"kind": "complete", "roles": ["agency_officer"]},
                                   "request_corrections": {"kind": "send_back", ...},
                                   "reject": {"kind": "reject", ...}}},
        "teknis_pupr": {"agency": "dinas-pupr", "after": ["verifikasi"], ...}},
     "auto": [{"step": "penerbitan", "action": "approve", "after": {"value": 5, "unit": "working_days"}}]}

Action kinds: `complete` closes the step (and the application when nothing is left), `send_back`
returns the application to the citizen for named corrections (the clock pauses), `reject` ends
it with a reason.
"""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from mpp.core.errors import InvalidInput
from mpp.core.roles import STAFF_ROLES

OFFERING_AGENCY = "$offering"
ACTION_KINDS = ("complete", "send_back", "reject")
UNITS = ("minutes", "hours", "working_days", "days")


@dataclass(frozen=True)
class Duration:
    value: int
    unit: str


@dataclass(frozen=True)
class Action:
    name: str
    kind: str
    roles: frozenset[str]
    label: dict[str, str]
    needs_reason: bool


@dataclass(frozen=True)
class StepSpec:
    key: str
    label: dict[str, str]
    agency: str  # agency kind slug, or OFFERING_AGENCY
    sla: Duration | None
    after: tuple[str, ...]
    actions: dict[str, Action]


@dataclass(frozen=True)
class AutoDecision:
    step: str
    action: str
    after: Duration  # counted from the moment the step opened


@dataclass(frozen=True)
class Process:
    steps: dict[str, StepSpec]
    auto: tuple[AutoDecision, ...]

    @property
    def first_steps(self) -> list[StepSpec]:
        return [step for step in self.steps.values() if not step.after]

    def successors(self, key: str) -> list[StepSpec]:
        return [step for step in self.steps.values() if key in step.after]

    def auto_for(self, key: str) -> AutoDecision | None:
        return next((a for a in self.auto if a.step == key), None)


def _fail(message: str) -> InvalidInput:
    return InvalidInput(message, field="definition")


def _label(raw: Any, fallback: str) -> dict[str, str]:
    if isinstance(raw, str):
        return {"id": raw}
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        return {k: str(v) for k, v in raw.items() if k in ("id", "en")}
    return {"id": fallback}


def _duration(raw: Any, where: str) -> Duration | None:
    if raw is None:
        return None
    if (
        not isinstance(raw, dict)
        or not isinstance(raw.get("value"), int)
        or isinstance(raw.get("value"), bool)
        or raw["value"] < 0
        or raw.get("unit") not in UNITS
    ):
        raise _fail(
            _("%(where)s: jangka waktu harus {value: bilangan ≥ 0, unit: %(units)s}.")
            % {"where": where, "units": ", ".join(UNITS)}
        )
    return Duration(raw["value"], raw["unit"])


def _action(name: str, raw: Any, step: str) -> Action:
    if not isinstance(raw, dict) or raw.get("kind") not in ACTION_KINDS:
        raise _fail(
            _("Langkah %(step)s, aksi %(action)s: jenis harus salah satu dari %(kinds)s.")
            % {"step": step, "action": name, "kinds": ", ".join(ACTION_KINDS)}
        )
    roles = raw.get("roles", [])
    if not isinstance(roles, list) or not roles or not set(roles) <= set(STAFF_ROLES):
        raise _fail(
            _("Langkah %(step)s, aksi %(action)s: peran tidak dikenal atau kosong.")
            % {"step": step, "action": name}
        )
    return Action(
        name=name,
        kind=raw["kind"],
        roles=frozenset(roles),
        label=_label(raw.get("label"), name),
        needs_reason=raw["kind"] in ("send_back", "reject") or bool(raw.get("needs_reason")),
    )


def parse(definition: Any) -> Process:
    """Read a definition, refusing (400, field "definition") anything the engine cannot run."""
    if not isinstance(definition, dict) or not isinstance(definition.get("steps"), dict):
        raise _fail(_("Definisi alur harus memuat daftar langkah (steps)."))
    if not definition["steps"]:
        raise _fail(_("Definisi alur harus memuat daftar langkah (steps)."))
    steps: dict[str, StepSpec] = {}
    for key, raw in definition["steps"].items():
        if not isinstance(raw, dict) or not isinstance(raw.get("actions"), dict):
            raise _fail(_("Langkah %(step)s tidak memuat aksi.") % {"step": key})
        after = raw.get("after", [])
        if not isinstance(after, list) or not all(isinstance(a, str) for a in after):
            raise _fail(_("Langkah %(step)s: after harus daftar langkah.") % {"step": key})
        parsed = [_action(name, spec, key) for name, spec in raw["actions"].items()]
        parsed.sort(key=lambda a: (ACTION_KINDS.index(a.kind), a.name))  # jsonb loses key order
        actions = {action.name: action for action in parsed}
        if not any(a.kind == "complete" for a in actions.values()):
            raise _fail(_("Langkah %(step)s tidak bisa diselesaikan.") % {"step": key})
        steps[key] = StepSpec(
            key=key,
            label=_label(raw.get("label"), key),
            agency=str(raw.get("agency") or OFFERING_AGENCY),
            sla=_duration(raw.get("sla"), key),
            after=tuple(after),
            actions=actions,
        )
    for step in steps.values():
        unknown = [a for a in step.after if a not in steps]
        if unknown:
            raise _fail(
                _("Langkah %(step)s menunggu langkah yang tidak ada: %(unknown)s.")
                % {"step": step.key, "unknown": ", ".join(unknown)}
            )
    depth = _depths(steps)
    # PostgreSQL's jsonb does not keep key order: order steps by the flow, then by key.
    steps = {key: steps[key] for key in sorted(steps, key=lambda k: (depth[k], k))}
    auto = tuple(_auto(raw, steps) for raw in definition.get("auto", []))
    return Process(steps=steps, auto=auto)


def _auto(raw: Any, steps: dict[str, StepSpec]) -> AutoDecision:
    if not isinstance(raw, dict) or raw.get("step") not in steps:
        raise _fail(_("Keputusan otomatis menyebut langkah yang tidak ada."))
    step = steps[raw["step"]]
    action = step.actions.get(raw.get("action", ""))
    if action is None or action.kind != "complete":
        raise _fail(
            _("Keputusan otomatis langkah %(step)s harus aksi penyelesaian.") % {"step": step.key}
        )
    after = _duration(raw.get("after"), step.key)
    if after is None:
        raise _fail(_("Keputusan otomatis langkah %(step)s tanpa waktu.") % {"step": step.key})
    return AutoDecision(step=step.key, action=action.name, after=after)


def _depths(steps: dict[str, StepSpec]) -> dict[str, int]:
    """How far each step is from the start (refusing steps that wait on each other)."""
    if not any(not step.after for step in steps.values()):
        raise _fail(_("Tidak ada langkah awal: setiap langkah menunggu langkah lain."))
    depth: dict[str, int] = {}
    remaining = dict(steps)
    while remaining:
        ready = [key for key, step in remaining.items() if set(step.after) <= depth.keys()]
        if not ready:
            raise _fail(
                _("Langkah saling menunggu: %(steps)s.") % {"steps": ", ".join(sorted(remaining))}
            )
        for key in ready:
            depth[key] = 1 + max((depth[a] for a in steps[key].after), default=-1)
            del remaining[key]
    return depth
