"""What the citizen is told when their application moves, and through which channels.

Called from one place for moves, `workflow.engine._record` (so submission, officer actions,
resubmission, cancellation and automatic decisions are all covered), and from
`cases.comments` for notes addressed to the citizen.

| move | in-app | e-mail / SMS / WhatsApp (per preferences) |
|---|---|---|
| submitted | yes | yes |
| sent back for correction (with the fields and the reason) | yes | yes |
| approved, rejected (with the reason), cancelled | yes | yes |
| a note addressed to the citizen | yes | yes |
| a document the agency's system attached (`notify_output_issued`) | yes | yes |
| a step done and the file forwarded to the next agency | yes | no |
| corrections received (resubmitted) | yes | no |
| escalation of a late step, internal notes | no | no |
"""

from typing import Any

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from mpp.cases.formdefs import iter_fields
from mpp.cases.models import Application
from mpp.notifications import queries as notification_queries
from mpp.notifications.channels import KINDS
from mpp.notifications.services import notify
from mpp.workflow.models import Comment, Step, Transition

S = Application.Status
LOUD = {S.NEEDS_CORRECTION, S.APPROVED, S.REJECTED, S.CANCELLED}
SILENT_ACTIONS = {"escalate"}


def _label(spec: dict[str, str] | None, fallback: str) -> str:
    spec = spec or {}
    return spec.get(translation.get_language() or "id") or spec.get("id") or fallback


def _service(application: Application) -> str:
    template = application.offering.template
    if translation.get_language() == "en" and template.name_en:
        return template.name_en
    return template.name


def _field_labels(
    application: Application, keys: list[str], notes: dict[str, str] | None = None
) -> str:
    """The fields by label, each with the officer's own reason for it when there is one."""
    from mpp.cases.services import fields_filed_on

    labels = {
        f["key"]: _label(f.get("label"), f["key"])
        for f in iter_fields(fields_filed_on(application))
    }
    notes = notes or {}
    return ", ".join(
        f"{labels.get(key, key)} ({notes[key]})" if notes.get(key) else labels.get(key, key)
        for key in keys
    )


def _forwarded(application: Application, transition: Transition) -> tuple[str, str]:
    from mpp.workflow.engine import process_of

    process = process_of(application)
    step = transition.step
    if step is None:  # forwarded is only called when a step completes
        return "", ""
    done = (
        _label(process.steps[step.key].label, step.key) if step.key in process.steps else step.key
    )
    opened = (
        Step.objects.filter(
            application=application, status=Step.Status.OPEN, opened_at=transition.at
        )
        .select_related("agency")
        .order_by("id")
    )
    agencies = sorted({s.agency.name for s in opened})
    if agencies:
        return (
            _("Permohonan %(tracking)s diteruskan ke %(agencies)s")
            % {"tracking": application.tracking, "agencies": ", ".join(agencies)},
            _(
                "Langkah %(step)s selesai. Permohonan %(service)s Anda kini diproses di %(agencies)s."
            )
            % {"step": done, "service": _service(application), "agencies": ", ".join(agencies)},
        )
    return (
        _("Langkah %(step)s selesai untuk %(tracking)s")
        % {"step": done, "tracking": application.tracking},
        _("Permohonan %(service)s Anda masih menunggu langkah lain sebelum selesai.")
        % {"service": _service(application)},
    )


def _message(application: Application, transition: Transition) -> tuple[str, str, bool] | None:
    """(title, body, also outside the app) for a move, or None when the citizen is not told."""
    tracking, service = application.tracking, _service(application)
    status, reason = transition.to_status, transition.reason
    if transition.action in SILENT_ACTIONS:
        return None
    if transition.action == "submit":
        return (
            _("Permohonan %(tracking)s diterima") % {"tracking": tracking},
            _("Permohonan %(service)s Anda telah diajukan dengan nomor lacak %(tracking)s. "
              "Kami memberi tahu Anda setiap ada perubahan.")
            % {"service": service, "tracking": tracking},
            True,
        )  # fmt: skip
    if status in LOUD and status == transition.from_status:
        return None  # not a change of status (never happens today; guards a re-recorded move)
    if status == S.NEEDS_CORRECTION:
        fields = _field_labels(
            application,
            list(transition.data.get("fields") or []),
            transition.data.get("notes"),
        )
        return (
            _("Permohonan %(tracking)s perlu diperbaiki") % {"tracking": tracking},
            _(
                "Petugas meminta perbaikan pada permohonan %(service)s: %(fields)s. Alasan: %(reason)s"
            )
            % {"service": service, "fields": fields, "reason": reason},
            True,
        )
    if status == S.APPROVED:
        return (
            _("Permohonan %(tracking)s disetujui") % {"tracking": tracking},
            _("Permohonan %(service)s Anda telah selesai dan disetujui.") % {"service": service},
            True,
        )
    if status == S.REJECTED:
        return (
            _("Permohonan %(tracking)s ditolak") % {"tracking": tracking},
            _("Permohonan %(service)s Anda ditolak. Alasan: %(reason)s")
            % {"service": service, "reason": reason},
            True,
        )
    if status == S.CANCELLED:
        return (
            _("Permohonan %(tracking)s dibatalkan") % {"tracking": tracking},
            _("Permohonan %(service)s telah dibatalkan.") % {"service": service},
            True,
        )
    if transition.action == "resubmit":
        return (
            _("Perbaikan %(tracking)s diterima") % {"tracking": tracking},
            _("Perbaikan Anda diterima; permohonan %(service)s diproses kembali.")
            % {"service": service},
            False,
        )
    if transition.step_id is not None and status == S.IN_PROGRESS:
        title, body = _forwarded(application, transition)
        return title, body, False
    return None


def _citizen_user(application: Application) -> Any:
    return application.applicant.user


def notify_transition(application: Application, transition: Transition) -> None:
    """Tell the applicant about a recorded move (see the module docstring for what goes where)."""
    user = _citizen_user(application)
    prefs = notification_queries.preferences_for(user)
    with translation.override(prefs.language):
        message = _message(application, transition)
        if message is None:
            return
        title, body, loud = message
        notify(
            user, title=title, body=body, link=link_to(application),
            channels=KINDS if loud else (), preferences=prefs,
        )  # fmt: skip


def notify_comment(comment: Comment) -> None:
    """A note an officer addressed to the citizen reaches them on every channel they chose."""
    if comment.to_citizen:
        _tell(
            comment.application,
            lambda: (
                _("Pesan petugas tentang %(tracking)s")
                % {"tracking": comment.application.tracking},
                comment.body,
            ),
        )


def notify_revoked(output: Any) -> None:
    """An issued document was revoked: the holder hears it before a verifier tells them."""
    tracking = output.application.tracking
    _tell(
        output.application,
        lambda: (
            _("%(title)s untuk %(tracking)s dicabut")
            % {"title": output.title, "tracking": tracking},
            _("Alasan: %(reason)s (%(note)s). Hubungi instansi penerbit bila ada pertanyaan.")
            % {"reason": output.get_revoked_public_reason_display(), "note": output.revoked_note},
        ),
    )


def notify_output_issued(output: Any) -> None:
    """The agency's system attached the document it issued: the citizen can download it."""
    tracking = output.application.tracking
    _tell(
        output.application,
        lambda: (
            _("%(title)s untuk %(tracking)s telah terbit")
            % {"title": output.title, "tracking": tracking},
            _("%(agency)s menerbitkan %(title)s. Unduh dari halaman permohonan Anda.")
            % {"agency": output.agency.name, "title": output.title},
        ),
    )


def _tell(application: Application, words: Any) -> None:
    """Send on every channel the citizen chose; `words()` gives (title, body), called in the
    citizen's language."""
    user = _citizen_user(application)
    prefs = notification_queries.preferences_for(user)
    with translation.override(prefs.language):
        title, body = words()
        notify(user, title=title, body=body, link=link_to(application), preferences=prefs)


def link_to(application: Application) -> str:
    return reverse("cases:detail", args=[application.tracking])
