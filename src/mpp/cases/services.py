"""Every change to applications goes through here: submit, resubmit, cancel, officer actions.

Submission is idempotent per user and `Idempotency-Key`: the same key with the same body gives
back the application the first request made; the same key with another body is refused (409).
A double-click, a retried request on a flaky network, two tabs: one application.
"""

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mpp.accounts.models import Citizen, RoleGrant
from mpp.accounts.profile import citizen_of
from mpp.cases import formdefs
from mpp.cases.models import (
    Application,
    ApplicationDocument,
    Document,
    Draft,
    FormDefinition,
)
from mpp.cases.tracking import next_tracking
from mpp.catalog.models import DIGITAL_CHANNELS, Channel, Offering
from mpp.core.crypto import lookup_hash
from mpp.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from mpp.core.roles import Role
from mpp.workflow import engine
from mpp.workflow.definition import Duration
from mpp.workflow.models import Step

MAX_KEY_LENGTH = 100


@dataclass(frozen=True)
class Submitted:
    application: Application
    replayed: bool  # True when an earlier request with the same key made it


def public_lookup_hash(tracking: str, nik_last_four: str) -> str:
    return lookup_hash("tracking", f"{tracking}:{nik_last_four}")


def _request_hash(**parts: Any) -> str:
    canonical = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _offering(offering_id: int, *, assisted: bool) -> Offering:
    offering = (
        Offering.objects.select_related("template__current_version", "agency", "region")
        .prefetch_related("channels")
        .filter(pk=offering_id, is_active=True)
        .first()
    )
    if offering is None:
        raise NotFound(_("Layanan tidak ditemukan di wilayah ini."))
    kinds = {channel.kind for channel in offering.channels.all()}
    allowed = set(DIGITAL_CHANNELS) - {Channel.LINK_OUT}
    if assisted:
        allowed |= {Channel.COUNTER}
    if not kinds & allowed:
        raise Conflict(_("Layanan ini tidak dapat diajukan di MPP Digital di wilayah ini."))
    return offering


def form_for(offering: Offering) -> tuple[FormDefinition | None, list[dict]]:
    """The published form of the offering's template with the region's added fields."""
    form = (
        FormDefinition.objects.filter(
            template_id=offering.template_id, status=FormDefinition.Status.PUBLISHED
        )
        .order_by("-number")
        .first()
    )
    if form is None:
        return None, []
    extension = getattr(offering, "form_extension", None)
    return form, formdefs.effective_fields(form.definition, extension.fields if extension else None)


def fields_filed_on(application: Application) -> list[dict]:
    """A correction is checked against the form the application was filed on, not a newer one."""
    form = application.form_definition
    if form is None:
        return []
    extension = getattr(application.offering, "form_extension", None)
    return formdefs.effective_fields(form.definition, extension.fields if extension else None)


def _check_documents(citizen: Citizen, fields: list[dict], data: dict) -> list[tuple[str, int]]:
    wanted: list[tuple[str, int]] = []
    for field in formdefs.file_fields(fields):
        value = data.get(field["key"])
        ids = value if isinstance(value, list) else [value] if value is not None else []
        wanted += [(field["key"], int(i)) for i in ids]
    if not wanted:
        return []
    owned = set(
        Document.objects.filter(owner=citizen, pk__in=[i for _f, i in wanted])
        .exclude(scan=Document.Scan.INFECTED)
        .values_list("pk", flat=True)
    )
    missing = [key for key, doc in wanted if doc not in owned]
    if missing:
        raise InvalidInput(_("Dokumen tidak ditemukan atau bukan milik pemohon."), field=missing[0])
    return wanted


def _applicant(user: Any, on_behalf_of: int | None, offering: Offering) -> Citizen:
    """The citizen filing: the user, or for a counter officer the walk-in citizen they looked up
    by NIK (or registered) in the last hours. A bare citizen id proves nothing: 404."""
    if on_behalf_of is None:
        return citizen_of(user)
    from mpp.cases.counter import serving

    if not RoleGrant.objects.filter(
        user=user, role=Role.COUNTER_OFFICER, region_id=offering.region_id
    ).exists():
        raise Forbidden(_("Hanya petugas loket wilayah ini yang dapat mengajukan untuk warga."))
    return serving(officer=user, citizen_id=on_behalf_of)


def submit_application(
    *,
    user: Any,
    offering_id: int,
    data: dict,
    idempotency_key: str,
    on_behalf_of: int | None = None,
) -> Submitted:
    """File an application; see the module docstring for what a repeated key does."""
    key = clean_key(idempotency_key)
    fingerprint = _request_hash(offering=offering_id, data=data, on_behalf_of=on_behalf_of)
    try:
        with transaction.atomic():
            return _submit(user, offering_id, data, key, fingerprint, on_behalf_of)
    except IntegrityError:
        # The key was used before (a retry), or a concurrent twin committed first: answer as it
        # did. Not looked up beforehand: a retry is rare, a first submission is the rule.
        replay = _replay(user, key, fingerprint)
        if replay:
            return replay
        raise


def clean_key(idempotency_key: str) -> str:
    key = (idempotency_key or "").strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise InvalidInput(
            _("Header Idempotency-Key wajib diisi (maksimal %(n)s karakter).")
            % {"n": MAX_KEY_LENGTH},
            field="Idempotency-Key",
        )
    return key


def _replay(user: Any, key: str, fingerprint: str) -> Submitted | None:
    from mpp.cases.models import IdempotencyRecord

    record = (
        IdempotencyRecord.objects.select_related("application").filter(user=user, key=key).first()
    )
    if record is None:
        return None
    if record.request_hash != fingerprint or record.application is None:
        raise Conflict(
            _("Idempotency-Key ini sudah dipakai untuk permohonan lain. Gunakan kunci baru.")
        )
    return Submitted(application=record.application, replayed=True)


def _submit(
    user: Any,
    offering_id: int,
    data: dict,
    key: str,
    fingerprint: str,
    on_behalf_of: int | None,
) -> Submitted:
    from mpp.cases.models import IdempotencyRecord

    # Claim the key first: a concurrent twin blocks here (PostgreSQL) or waits for the write
    # lock (SQLite), then fails on the unique constraint and replays our answer.
    record = IdempotencyRecord.objects.create(user=user, key=key, request_hash=fingerprint)
    offering = _offering(offering_id, assisted=on_behalf_of is not None)
    citizen = _applicant(user, on_behalf_of, offering)
    check_assurance(citizen, offering)
    form, fields = form_for(offering)
    cleaned, errors = formdefs.clean_submission(
        fields, data if isinstance(data, dict) else {}, region_code=offering.region_id
    )
    formdefs.raise_for_errors(errors)
    attachments = _check_documents(citizen, fields, cleaned)
    application = file_application(
        user=user,
        citizen=citizen,
        offering=offering,
        form=form,
        cleaned=cleaned,
        attachments=attachments,
        assisted=on_behalf_of is not None,
        now=timezone.now(),
    )
    record.application = application
    record.save(update_fields=["application"])
    return Submitted(application=application, replayed=False)


def check_assurance(citizen: Citizen, offering: Offering) -> None:
    template = offering.template
    if citizen.assurance_level < template.min_assurance_level:
        raise Forbidden(
            _("Layanan ini memerlukan identitas terverifikasi tingkat %(level)s.")
            % {"level": template.min_assurance_level}
        )


def file_application(
    *,
    user: Any,
    citizen: Citizen,
    offering: Offering,
    form: FormDefinition | None,
    cleaned: dict,
    attachments: list[tuple[str, int]],
    assisted: bool,
    now: Any,
    bundle: Any = None,
    channel: str = "",
) -> Application:
    """Create one checked application and start its workflow (inside the caller's transaction).
    Shared by a single submission, a life-event bundle (cases/bundles.py) and a link-out start
    (cases/link_out.py, which names its channel)."""
    process = engine.process_for(offering)
    agencies = engine.resolve_agencies(offering, engine.parse(process.definition))
    tracking = next_tracking(offering.region_id, timezone.localdate(now))
    application = Application.objects.create(
        tracking=tracking,
        region=offering.region,
        offering=offering,
        standard_version=offering.standard,
        form_definition=form,
        process=process,
        bundle=bundle,
        applicant=citizen,
        submitted_by=user,
        channel=channel
        or (Application.Channel.COUNTER if assisted else Application.Channel.ONLINE),
        data=cleaned,
        lookup_hash=public_lookup_hash(tracking, citizen.nik[-4:]),
        submitted_at=now,
    )
    ApplicationDocument.objects.bulk_create(
        ApplicationDocument(application=application, document_id=doc, field=field, added_by=user)
        for field, doc in attachments
    )
    total = (
        Duration(offering.duration_value, offering.duration_unit)
        if offering.duration_value and offering.duration_unit
        else None
    )
    actor = engine.Actor.of(user)
    if assisted:
        actor = engine.Actor(
            user=user,
            label=_("%(officer)s untuk %(citizen)s")
            % {"officer": actor.label, "citizen": citizen.full_name},
        )
    engine.start(application, agencies=agencies, actor=actor, at=now, total_sla=total)
    application.save(update_fields=["due_at"])
    Draft.objects.filter(applicant=citizen, offering=offering).delete()
    return application


def save_draft(*, user: Any, offering_id: int, data: dict) -> None:
    """Keep what the citizen typed so far; they may finish on another device."""
    citizen = citizen_of(user)
    if not Offering.objects.filter(pk=offering_id, is_active=True).exists():
        raise NotFound(_("Layanan tidak ditemukan di wilayah ini."))
    if len(json.dumps(data)) > 200_000:
        raise InvalidInput(_("Draf terlalu besar."), field="data")
    Draft.objects.update_or_create(
        applicant=citizen, offering_id=offering_id, defaults={"data": data}
    )


def draft_of(user: Any, offering_id: int) -> dict:
    if not getattr(user, "pk", None):
        return {}
    citizen = Citizen.objects.filter(user_id=user.pk).first()
    draft = Draft.objects.filter(applicant=citizen, offering_id=offering_id).first()
    return draft.data if draft else {}


def act_on_application(
    *,
    user: Any,
    tracking: str,
    step_key: str,
    action: str,
    reason: str = "",
    fields: list[str] | None = None,
    expected_version: int | None = None,
) -> Application:
    """An officer takes an action on one step (approve, send back, reject, …)."""
    with transaction.atomic():
        application = engine.lock(_id_for_staff(user, tracking), expected_version=expected_version)
        return engine.act(
            application,
            step_key=step_key,
            action_name=action,
            actor=engine.Actor.of(user),
            reason=reason,
            fields=fields or (),
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
        formdefs.raise_for_errors(errors)
        attached = set(application.attachments.values_list("field", "document_id"))
        ApplicationDocument.objects.bulk_create(
            ApplicationDocument(
                application=application, document_id=doc, field=field, added_by=user
            )
            for field, doc in _check_documents(citizen, fields, cleaned)
            if (field, doc) not in attached
        )
        application.data = cleaned
        engine.resume(application, actor=engine.Actor.of(user))
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
    """Staff find only applications of regions they hold a grant in; others get 404, no hint."""
    regions = RoleGrant.objects.filter(user=user).values("region_id")
    found = (
        Application.objects.filter(tracking=tracking, region_id__in=regions)
        .values_list("pk", flat=True)
        .first()
    )
    if found is None:
        raise NotFound(_("Permohonan tidak ditemukan."))
    return found
