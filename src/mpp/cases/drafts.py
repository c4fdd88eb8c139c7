"""Drafts: what a citizen typed so far, kept per offering (or per life-event bundle and region) so
they can finish on another device. The apply and bundle pages save their draft themselves as the
citizen types (cases/static/cases/draft.js); apps use /api/v1/drafts (offerings only). Filing
removes the draft (services.file_application, bundles.submit_bundle).

A background save can land just after filing removed the draft (it was sent before the click,
or waited for the filing's lock). So a page's draft carries the page's Idempotency-Key, and a
draft whose key has filed something is dead: never shown (`live`), removed by the hourly
housekeeping. No lock on the submission path is needed for that."""

import json
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from mpp.accounts.models import Citizen
from mpp.accounts.profile import citizen_of
from mpp.cases.models import BundleDefinition, Draft, IdempotencyRecord
from mpp.catalog.models import Offering
from mpp.core.errors import InvalidInput, NotFound

MAX_DRAFT_BYTES = 200_000


def save_draft(*, user: Any, offering_id: int, data: dict, page_key: str = "") -> Draft:
    """Keep what the citizen typed so far (the last save wins); they may finish elsewhere.
    `page_key`: the Idempotency-Key of the page that saves it, if any (see the module docstring)."""
    citizen = citizen_of(user)
    if not Offering.objects.filter(pk=offering_id, is_active=True).exists():
        raise NotFound(_("Layanan tidak ditemukan di wilayah ini."))
    _check(data)
    draft, _created = Draft.objects.update_or_create(
        applicant=citizen, offering_id=offering_id,
        defaults={"data": data, "page_key": page_key[:100]},
    )  # fmt: skip
    return draft


def save_bundle_draft(
    *, user: Any, region_code: str, bundle_slug: str, data: dict, page_key: str = ""
) -> Draft:
    """As `save_draft`, for a life-event bundle's form in a region."""
    citizen = citizen_of(user)
    bundle = BundleDefinition.objects.filter(slug=bundle_slug, is_active=True).first()
    if bundle is None:
        raise NotFound(_("Paket layanan tidak ditemukan."))
    _check(data)
    draft, _created = Draft.objects.update_or_create(
        applicant=citizen, region_id=region_code, bundle=bundle,
        defaults={"data": data, "page_key": page_key[:100]},
    )  # fmt: skip
    return draft


def _check(data: Any) -> None:
    if not isinstance(data, dict):
        raise InvalidInput(_("Isi draf harus berupa objek isian."), field="data")
    if len(json.dumps(data)) > MAX_DRAFT_BYTES:
        raise InvalidInput(_("Draf terlalu besar."), field="data")


def live() -> QuerySet[Draft]:
    """Drafts whose page has not been filed."""
    filed = IdempotencyRecord.objects.filter(
        user_id=OuterRef("applicant__user_id"), key=OuterRef("page_key")
    )
    return Draft.objects.exclude(Exists(filed))


def draft_record(user: Any, offering_id: int) -> Draft | None:
    """The citizen's draft for the offering, or None (also for a user without a citizen)."""
    if not getattr(user, "pk", None):
        return None
    return live().filter(applicant__user_id=user.pk, offering_id=offering_id).first()


def draft_of(user: Any, offering_id: int) -> dict:
    draft = draft_record(user, offering_id)
    return draft.data if draft else {}


def bundle_draft_of(user: Any, region_code: str, bundle_slug: str) -> dict:
    """What the citizen typed so far in the bundle's form in the region, or {}."""
    draft = (
        live()
        .filter(applicant__user_id=user.pk, region_id=region_code, bundle__slug=bundle_slug)
        .first()
    )
    return draft.data if draft else {}


def discard_draft(*, user: Any, offering_id: int) -> bool:
    """Throw the draft away; False when there was none (a dead one is not shown, so: none)."""
    citizen: Citizen = citizen_of(user)
    deleted, _rows = live().filter(applicant=citizen, offering_id=offering_id).delete()
    return bool(deleted)
