"""Every change to applications goes through here: submit, resubmit, cancel, officer actions.

Submission lives here. Officer and citizen moves on an application already filed (act on or
claim a step, resubmit corrections, cancel) live in cases/application_moves.py, the checks a
submission and a correction share in cases/submission_checks.py; this module re-exports them,
so callers keep calling `services.act_on_application` and the like.

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
from mpp.cases.application_moves import (
    act_on_application as act_on_application,  # see the docstring
)
from mpp.cases.application_moves import cancel_application as cancel_application
from mpp.cases.application_moves import claim_step as claim_step
from mpp.cases.application_moves import resubmit_application as resubmit_application
from mpp.cases.drafts import bundle_draft_of as bundle_draft_of
from mpp.cases.drafts import discard_draft as discard_draft
from mpp.cases.drafts import draft_of as draft_of  # the pages reach drafts through services
from mpp.cases.drafts import draft_record as draft_record
from mpp.cases.drafts import save_bundle_draft as save_bundle_draft
from mpp.cases.drafts import save_draft as save_draft
from mpp.cases.filing import Filing, filing_for
from mpp.cases.filing import form_for as form_for  # the pages ask services for the form
from mpp.cases.models import (
    Application,
    ApplicationDocument,
    Draft,
    FormDefinition,
    IdempotencyRecord,
)
from mpp.cases.submission_checks import attached_documents  # bundles.py checks through services
from mpp.cases.submission_checks import fields_filed_on as fields_filed_on  # pages, notify.py
from mpp.cases.tracking import next_tracking
from mpp.catalog.models import DIGITAL_CHANNELS, Channel, Offering
from mpp.core.crypto import lookup_hash
from mpp.core.errors import Conflict, DomainError, Forbidden, InvalidInput
from mpp.core.roles import Role
from mpp.workflow import engine
from mpp.workflow.models import Step, Transition

MAX_KEY_LENGTH = 100


@dataclass(frozen=True)
class Submitted:
    application: Application
    replayed: bool  # True when an earlier request with the same key made it
    # What a fresh submission just wrote, so that the answer need not read it back.
    steps: list[Step] | None = None
    timeline: list[Transition] | None = None


@dataclass(frozen=True)
class Filed:
    application: Application
    steps: list[Step]
    submitted: Transition


def public_lookup_hash(tracking: str, nik_last_four: str) -> str:
    return lookup_hash("tracking", f"{tracking}:{nik_last_four}")


def _request_hash(**parts: Any) -> str:
    canonical = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _filing(offering_id: int, *, assisted: bool) -> Filing:
    filing = filing_for(offering_id)
    allowed = set(DIGITAL_CHANNELS) - {Channel.LINK_OUT}
    if assisted:
        allowed |= {Channel.COUNTER}
    if not filing.channel_kinds & allowed:
        raise Conflict(_("Layanan ini tidak dapat diajukan di MPP Digital di wilayah ini."))
    return filing


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


@dataclass(frozen=True)
class _Checked:
    filing: Filing
    citizen: Citizen
    cleaned: dict
    attachments: list[tuple[str, int]]


def submit_application(
    *,
    user: Any,
    offering_id: int,
    data: dict,
    idempotency_key: str,
    on_behalf_of: int | None = None,
) -> Submitted:
    """File an application; see the module docstring for what a repeated key does.

    Everything is checked before anything is written. The tracking number is then taken in its
    own short transaction (called inside a caller's transaction, it joins that one), so that
    the region's counter row is locked for one statement, not for the whole submission (every submission of a region and day goes through that row).
    A submission that fails after that, or a retry that turns out to be a replay, leaves a gap
    in the day's sequence; numbers stay unique and increasing."""
    key = clean_key(idempotency_key)
    fingerprint = _request_hash(offering=offering_id, data=data, on_behalf_of=on_behalf_of)
    try:
        checked = _check(user, offering_id, data, on_behalf_of)
    except DomainError:
        # A citizen's retry of a request that was answered gets that answer, even if the
        # catalogue or their documents changed since. Not an officer's: one who no longer serves
        # the citizen at the counter gets the refusal, not the citizen's application.
        replay = _replay(user, key, fingerprint) if on_behalf_of is None else None
        if replay:
            return replay
        raise
    now = timezone.now()
    region = checked.filing.offering.region_id
    tracking = next_tracking(region, timezone.localdate(now))
    try:
        with transaction.atomic():
            filed = file_application(
                user=user,
                citizen=checked.citizen,
                filing=checked.filing,
                offering=checked.filing.offering,
                form=checked.filing.form,
                cleaned=checked.cleaned,
                attachments=checked.attachments,
                assisted=on_behalf_of is not None,
                now=now,
                tracking=tracking,
            )
            # Last, so that a concurrent twin with the same key waits here on the unique key
            # until this one commits, then fails and replays this answer.
            IdempotencyRecord.objects.create(
                user=user, key=key, request_hash=fingerprint, application=filed.application
            )
    except IntegrityError:
        # The key was used before (a retry), or a concurrent twin committed first: answer as it
        # did. Not looked up beforehand: a retry is rare, a first submission is the rule.
        replay = _replay(user, key, fingerprint)
        if replay:
            return replay
        raise
    return Submitted(
        application=filed.application,
        replayed=False,
        steps=filed.steps,
        timeline=[filed.submitted],
    )


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


def _check(user: Any, offering_id: int, data: dict, on_behalf_of: int | None) -> _Checked:
    """Every check of a submission, reading only: every field error at once (400)."""
    filing = _filing(offering_id, assisted=on_behalf_of is not None)
    citizen = _applicant(user, on_behalf_of, filing.offering)
    check_assurance(citizen, filing.offering)
    cleaned, errors = formdefs.clean_submission(
        filing.fields, data if isinstance(data, dict) else {}, region_code=filing.offering.region_id
    )
    attachments, errors = attached_documents(citizen, filing.fields, cleaned, errors)
    formdefs.raise_for_errors(errors)
    return _Checked(filing=filing, citizen=citizen, cleaned=cleaned, attachments=attachments)


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
    tracking: str = "",
    filing: Filing | None = None,
) -> Filed:
    """Create one checked application and start its workflow (inside the caller's transaction).
    Shared by a single submission, a life-event bundle (cases/bundles.py) and a link-out start
    (cases/link_out.py, which names its channel). Without a `tracking` number one is taken here,
    in the caller's transaction; without the `filing` the submission was checked against, the
    offering's current one is used."""
    filing = filing or filing_for(offering.pk)
    tracking = tracking or next_tracking(offering.region_id, timezone.localdate(now))
    application = Application.objects.create(
        tracking=tracking,
        region=filing.offering.region,
        offering=offering,
        standard_version=filing.offering.standard,
        form_definition=form,
        process_id=filing.process_id,
        bundle=bundle,
        applicant=citizen,
        submitted_by=user,
        channel=channel
        or (Application.Channel.COUNTER if assisted else Application.Channel.ONLINE),
        data=cleaned,
        lookup_hash=public_lookup_hash(tracking, citizen.nik[-4:]),
        submitted_at=now,
        due_at=engine.due(now, filing.total_sla, offering.region_id),
    )
    ApplicationDocument.objects.bulk_create(
        ApplicationDocument(application=application, document_id=doc, field=field, added_by=user)
        for field, doc in attachments
    )
    actor = engine.Actor.of(user)
    if assisted:
        actor = engine.Actor(
            user=user,
            label=_("%(officer)s untuk %(citizen)s")
            % {"officer": actor.label, "citizen": citizen.full_name},
        )
    steps, submitted = engine.start(application, agencies=filing.agencies, actor=actor, at=now)
    Draft.objects.filter(applicant=citizen, offering=offering).delete()
    return Filed(application=application, steps=steps, submitted=submitted)
