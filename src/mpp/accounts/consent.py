"""Consent (UU 27/2022): which fields go to which agency or app, why, since when; withdrawable,
with a receipt the citizen can download."""

import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mpp.accounts.models import Citizen, Consent
from mpp.accounts.vault import ATTRIBUTES
from mpp.core.errors import InvalidInput, NotFound

# Fields an agency app receives per OIDC scope (as named in the consent record).
SCOPE_FIELDS = {
    "profile": ["full_name", "birth_date", "sex"],
    "email": ["email"],
    "phone": ["phone"],
    "nik": ["nik", "assurance_level"],
}
IDENTITY_FIELDS = {"nik", "birth_date", "sex", "email", "phone", "assurance_level"}


def _receipt() -> str:
    return secrets.token_hex(8).upper()


@transaction.atomic
def give_consent(
    *, citizen: Citizen, recipient: str, fields: list[str], purpose: str,
    agency: Any = None, template: Any = None, client_id: str = "",
) -> Consent:  # fmt: skip
    """Record a consent; the same recipient, fields and purpose while active is one record."""
    unknown = [f for f in fields if f not in ATTRIBUTES and f not in IDENTITY_FIELDS]
    if unknown or not fields:
        raise InvalidInput(
            _("Data yang diminta tidak dikenal: %(f)s.") % {"f": ", ".join(unknown) or "-"},
            field="fields",
        )
    if not purpose.strip() or not recipient.strip():
        raise InvalidInput(_("Penerima dan keperluan wajib disebut."), field="purpose")
    fields = sorted(set(fields))
    existing = Consent.objects.filter(
        citizen=citizen, recipient=recipient, client_id=client_id, purpose=purpose,
        withdrawn_at__isnull=True,
    ).first()  # fmt: skip
    if existing is not None and existing.fields == fields:
        return existing
    return Consent.objects.create(
        citizen=citizen, recipient=recipient, fields=fields, purpose=purpose.strip(),
        agency=agency, template=template, client_id=client_id, receipt=_receipt(),
    )  # fmt: skip


def record_app_consent(*, user: Any, application: Any, scopes: list[str]) -> Consent | None:
    """An agency app was authorised: the scopes it got become a consent record."""
    citizen = Citizen.objects.filter(user=user).first()
    fields = [field for scope in scopes for field in SCOPE_FIELDS.get(scope, [])]
    if citizen is None or not fields:
        return None
    return give_consent(
        citizen=citizen, recipient=application.name, fields=fields,
        purpose=_("Masuk ke %(app)s dengan akun MPP Digital") % {"app": application.name},
        client_id=application.client_id,
    )  # fmt: skip


@transaction.atomic
def withdraw_consent(*, citizen: Citizen, consent_id: int) -> Consent:
    """Withdraw; an app loses its tokens at once (it must ask again)."""
    consent = Consent.objects.select_for_update().filter(pk=consent_id, citizen=citizen).first()
    if consent is None:
        raise NotFound(_("Persetujuan tidak ditemukan."))
    if consent.withdrawn_at is None:
        consent.withdrawn_at = timezone.now()
        consent.save(update_fields=["withdrawn_at"])
        if consent.client_id:
            from oauth2_provider.models import get_access_token_model, get_refresh_token_model

            tokens = {"user": citizen.user, "application__client_id": consent.client_id}
            get_refresh_token_model().objects.filter(**tokens).delete()
            get_access_token_model().objects.filter(**tokens).delete()
    return consent
