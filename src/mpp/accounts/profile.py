"""Reading and changing a citizen's profile vault (house rule: every change goes through here)."""

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from mpp.accounts.models import Citizen, ProfileChange, ProfileValue, Source
from mpp.accounts.vault import ATTRIBUTES, clean_value
from mpp.core.crypto import decrypt, encrypt
from mpp.core.errors import InvalidInput, NotFound


@dataclass(frozen=True)
class ProfileEntry:
    key: str
    label: str
    value: str
    source: str
    verified: bool
    updated_at: Any
    pending_value: str | None


@dataclass(frozen=True)
class ProfileUpdate:
    applied: list[str]
    requested: list[str]  # verified attributes: a correction request instead of a change


def citizen_of(user: Any) -> Citizen:
    user_id = getattr(user, "pk", None)
    citizen = Citizen.objects.filter(user_id=user_id).first() if user_id else None
    if citizen is None:
        raise NotFound(_("Akun ini belum terhubung dengan NIK."))
    citizen.user = user  # already in hand: spares a query to whoever reads citizen.user
    return citizen


def get_profile(*, citizen: Citizen) -> list[ProfileEntry]:
    """Every vault attribute in a fixed order, filled or not, with any pending correction."""
    values = {v.key: v for v in citizen.profile_values.all()}
    pending = {
        c.key: decrypt(c.new_cipher)
        for c in citizen.profile_changes.filter(status=ProfileChange.Status.PENDING)
    }
    entries = []
    for key, attribute in ATTRIBUTES.items():
        stored = values.get(key)
        entries.append(
            ProfileEntry(
                key=key,
                label=str(attribute.label),
                value=decrypt(stored.value_cipher) if stored else "",
                source=stored.source if stored else "",
                verified=stored.verified if stored else False,
                updated_at=stored.updated_at if stored else None,
                pending_value=pending.get(key),
            )
        )
    return entries


@transaction.atomic
def update_profile(
    *, citizen: Citizen, changes: dict[str, str], actor: Any, source: str = Source.SELF
) -> ProfileUpdate:
    """Apply the citizen's changes; a change to a verified attribute becomes a request.
    All values are checked before anything is written."""
    if not changes:
        raise InvalidInput(_("Tidak ada perubahan."), field="changes")
    cleaned = {key: clean_value(key, value) for key, value in changes.items()}
    current = {
        v.key: v
        for v in ProfileValue.objects.select_for_update().filter(citizen=citizen, key__in=cleaned)
    }
    applied, requested = [], []
    for key, value in cleaned.items():
        stored = current.get(key)
        old = decrypt(stored.value_cipher) if stored else ""
        if value == old:
            continue
        change = {"citizen": citizen, "key": key, "old_cipher": encrypt(old) if old else "",
                  "new_cipher": encrypt(value), "source": source, "actor": actor}  # fmt: skip
        if stored and stored.verified and source == Source.SELF:
            ProfileChange.objects.filter(
                citizen=citizen, key=key, status=ProfileChange.Status.PENDING
            ).update(status=ProfileChange.Status.REJECTED)  # superseded by the newer request
            ProfileChange.objects.create(status=ProfileChange.Status.PENDING, **change)
            requested.append(key)
            continue
        ProfileValue.objects.update_or_create(
            citizen=citizen, key=key,
            defaults={"value_cipher": encrypt(value), "source": source, "verified": source != Source.SELF},
        )  # fmt: skip
        if key == "full_name":
            Citizen.objects.filter(pk=citizen.pk).update(full_name=value)
        ProfileChange.objects.create(status=ProfileChange.Status.APPLIED, **change)
        applied.append(key)
    return ProfileUpdate(applied=applied, requested=requested)
