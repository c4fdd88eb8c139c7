"""Drafts: what a citizen typed so far, kept per offering so they can finish on another device.
Filing the application removes its draft (services.file_application)."""

import json
from typing import Any

from django.utils.translation import gettext as _

from mpp.accounts.models import Citizen
from mpp.accounts.profile import citizen_of
from mpp.cases.models import Draft
from mpp.catalog.models import Offering
from mpp.core.errors import InvalidInput, NotFound


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
