"""One-time input: fill a form from the profile vault, but only after the citizen agreed that
this agency may use exactly these fields for this service (UU 27/2022 PDP)."""

from typing import Any

from django.utils.translation import gettext as _

from mpp.accounts.consent import give_consent
from mpp.accounts.models import Citizen, Consent
from mpp.accounts.profile import get_profile
from mpp.cases import formdefs
from mpp.catalog.models import Offering


def _purpose(offering: Offering) -> str:
    return _("Mengisi formulir %(service)s") % {"service": offering.template.name}


def profile_of(citizen: Citizen) -> dict[str, tuple[str, str]]:
    """Every attribute a form may ask for, with its source."""
    user = citizen.user
    values: dict[str, tuple[str, str]] = {
        "nik": (citizen.nik, "registry" if citizen.assurance_level >= 3 else "self"),
        "full_name": (citizen.full_name, "self"),
        "birth_date": (citizen.birth_date.isoformat(), "self"),
        "sex": (citizen.sex, "self"),
        "email": (user.email, "self"),
        "phone": (citizen.phone, "self"),
    }
    for entry in get_profile(citizen=citizen):
        if entry.value:
            values[entry.key] = (entry.value, entry.source)
    return values


def consent_needed(citizen: Citizen, offering: Offering, fields: list[dict]) -> list[str]:
    """The profile attributes the form wants that no active consent covers yet."""
    wanted = formdefs.prefill_keys(fields)
    if not wanted:
        return []
    given: set[str] = set()
    for consent in Consent.objects.filter(
        citizen=citizen,
        agency=offering.agency,
        template=offering.template,
        withdrawn_at__isnull=True,
    ):
        given.update(consent.fields)
    return sorted(wanted - given)


def agree_to_prefill(citizen: Citizen, offering: Offering, fields: list[dict]) -> Consent:
    return give_consent(
        citizen=citizen,
        recipient=offering.agency.name,
        fields=sorted(formdefs.prefill_keys(fields)),
        purpose=_purpose(offering),
        agency=offering.agency,
        template=offering.template,
    )


def prefilled(citizen: Citizen, offering: Offering, fields: list[dict]) -> dict[str, Any]:
    """Values with their source, for the fields the citizen consented to; empty otherwise."""
    if consent_needed(citizen, offering, fields):
        return {}
    return formdefs.prefill(fields, profile_of(citizen))
