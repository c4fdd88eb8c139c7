"""Officer and citizen actions on an application already filed: an officer acts on a step or
claims it; the citizen sends corrections back or cancels. Reached through cases.services (the one
way in), which re-exports these."""

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from mpp.accounts.models import Citizen, RoleGrant
from mpp.accounts.profile import citizen_of
from mpp.cases import formdefs, queries
from mpp.cases.models import Application, ApplicationDocument
from mpp.cases.submission_checks import attached_documents, check_named_fields, fields_filed_on
from mpp.core.errors import Conflict, Forbidden, NotFound
from mpp.core.roles import Role
from mpp.workflow import engine
from mpp.workflow.models import Step


def act_on_application(
    *,
    user: Any,
    tracking: str,
    step_key: str,
    action: str,
    reason: str = "",
    fields: list[str] | None = None,
    notes: dict[str, str] | None = None,
    expected_version: int | None = None,
) -> Application:
    """An officer takes an action on one step (approve, send back, reject, …)."""
    with transaction.atomic():
        application = engine.lock(_id_for_staff(user, tracking), expected_version=expected_version)
        _check_not_held_by_another(user, application, step_key)
        check_named_fields(application, fields or ())
        return engine.act(
            application,
            step_key=step_key,
            action_name=action,
            actor=engine.Actor.of(user),
            reason=reason,
            fields=fields or (),
            notes=notes,
        )


def _check_not_held_by_another(user: Any, application: Application, step_key: str) -> None:
    """A step another officer has claimed is theirs to act on: others get 409 naming them, so two
    people do not decide one file. Supervisors (the region's MPP manager, the agency's admin) may
    act on it, e.g. when the holder is away."""
    step = (
        Step.objects.select_related("claimed_by")
        .filter(application=application, key=step_key)
        .first()
    )
    holder = step.claimed_by if step else None
    if step is None or holder is None or holder.pk == user.pk:
        return
    supervises = RoleGrant.objects.filter(user=user, region_id=step.region_id).filter(
        Q(role=Role.REGIONAL_MANAGER) | Q(role=Role.AGENCY_ADMIN, agency_id=step.agency_id)
    )
    if not supervises.exists():
        raise Conflict(
            _("Langkah ini sedang dipegang %(name)s. Minta ia melepasnya, atau minta atasan.")
            % {"name": holder.get_full_name() or holder.get_username()}
        )


def claim_step(*, user: Any, tracking: str, step_key: str, release: bool = False) -> Step:
    """An officer takes a step into their own hands (or gives it back). A step another officer
    holds is refused, so two people do not work the same file unknowingly."""
    with transaction.atomic():
        application = engine.lock(_id_for_staff(user, tracking))
        step = Step.objects.filter(application=application, key=step_key).first()
        if step is None:
            raise NotFound(_("Langkah tidak ditemukan."))
        process = engine.process_of(application)
        if not engine.actions_for(user, step, process):
            raise Forbidden(_("Langkah ini bukan pekerjaan Anda atau tidak sedang dikerjakan."))
        if release:
            if step.claimed_by_id not in (None, user.pk):
                raise Conflict(_("Langkah ini dipegang petugas lain."))
            step.claimed_by = None
        else:
            holder = step.claimed_by
            if holder is not None and holder.pk != user.pk:
                raise Conflict(
                    _("Langkah ini sudah diambil %(name)s.")
                    % {"name": holder.get_full_name() or holder.get_username()}
                )
            step.claimed_by = user
        step.save(update_fields=["claimed_by"])
        return step


def resubmit_application(
    *, user: Any, tracking: str, data: dict, expected_version: int | None = None
) -> Application:
    """The citizen sends the corrected fields back; the SLA clocks run again."""
    citizen = citizen_of(user)
    with transaction.atomic():
        application = engine.lock(
            _id_of(tracking, citizen=citizen), expected_version=expected_version
        )
        if application.status != Application.Status.NEEDS_CORRECTION:
            raise Conflict(_("Permohonan ini tidak sedang menunggu perbaikan."))
        fields = fields_filed_on(application)
        merged = {**application.data, **(data if isinstance(data, dict) else {})}
        cleaned, errors = formdefs.clean_submission(
            fields, merged, region_code=application.region_id
        )
        wanted, errors = attached_documents(citizen, fields, cleaned, errors)
        formdefs.raise_for_errors(errors)
        attached = set(application.attachments.values_list("field", "document_id"))
        ApplicationDocument.objects.bulk_create(
            ApplicationDocument(
                application=application, document_id=doc, field=field, added_by=user
            )
            for field, doc in wanted
            if (field, doc) not in attached
        )
        before = application.data
        changed = [key for key in {*before, *cleaned} if before.get(key) != cleaned.get(key)]
        application.data = cleaned
        engine.resume(application, actor=engine.Actor.of(user), changed=changed)
        return application


def cancel_application(*, user: Any, tracking: str, reason: str = "") -> Application:
    citizen = citizen_of(user)
    with transaction.atomic():
        application = engine.lock(_id_of(tracking, citizen=citizen))
        engine.cancel(application, actor=engine.Actor.of(user), reason=reason)
        return application


def _id_of(tracking: str, *, citizen: Citizen | None = None) -> int:
    rows = Application.objects.filter(tracking=tracking)
    if citizen is not None:
        rows = rows.filter(applicant=citizen)
    found = rows.values_list("pk", flat=True).first()
    if found is None:
        raise NotFound(_("Permohonan tidak ditemukan."))
    return found


def _id_for_staff(user: Any, tracking: str) -> int:
    """Staff find only applications within their `queries.staff_scope`; others get 404, no hint.
    Acting needs more: a role of the action at the step's agency (`engine.may_take`)."""
    found = (
        Application.objects.filter(queries.staff_scope(user), tracking=tracking)
        .values_list("pk", flat=True)
        .first()
    )
    if found is None:
        raise NotFound(_("Permohonan tidak ditemukan."))
    return found
