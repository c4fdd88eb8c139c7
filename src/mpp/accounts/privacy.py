"""PDP rights (UU 27/2022): who read my data, download all of it, and delete my account.

Deleting erases the person's data and closes the account. When applications exist (issue 5),
records of services already delivered must be kept (UU 25/2009; archives: UU 43/2009): they will
be anonymised, not deleted, and docs/privacy.md will list them. Today nothing such exists, so the
identity, vault, history, family members, codes and access log are all removed.
"""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mpp.accounts.models import Citizen, ContactCode, DataAccess, ProfileChange, User
from mpp.accounts.profile import get_profile
from mpp.core.crypto import decrypt, lookup_hash
from mpp.core.errors import Forbidden, InvalidInput, NotFound
from mpp.core.roles import STAFF_ROLES
from mpp.core.tenancy import roles_of

LOOKUP_FIELDS = ["full_name", "birth_date", "sex", "nik (masked)"]


@transaction.atomic
def record_access(
    *,
    citizen: Citizen,
    accessor: Any,
    purpose: str,
    fields: list[str],
    region_code: str | None = None,
    accessor_label: str = "",
) -> None:
    """Log a read; `accessor_label` names a reader without an account (an agency's system)."""
    DataAccess.objects.create(
        citizen=citizen, accessor=accessor,
        accessor_label=accessor_label or _accessor_label(accessor),
        region_id=region_code, purpose=purpose, fields=fields,
    )  # fmt: skip


def _accessor_label(accessor: Any) -> str:
    grants = ", ".join(sorted({str(g.get_role_display()) for g in accessor.role_grants.all()}))
    return f"{accessor.get_full_name() or accessor.username} ({grants or _('petugas')})"


@transaction.atomic
def look_up_citizen_for_service(
    *, officer: Any, nik: str, purpose: str, region_code: str | None = None
) -> Citizen:
    """A counter officer finds a walk-in citizen by NIK; the read is logged for the citizen,
    against `region_code` (the counter served) or else the officer's first regional grant."""
    if not (roles_of(officer) & STAFF_ROLES):
        raise Forbidden(_("Hanya petugas yang dapat mencari warga."))
    if not purpose.strip():
        raise InvalidInput(_("Sebutkan keperluan pencarian."), field="purpose")
    digits = "".join(ch for ch in nik if ch.isdigit())
    citizen = Citizen.objects.filter(nik_hash=lookup_hash("nik", digits)).first()
    if citizen is None:
        raise NotFound(_("Tidak ada akun dengan NIK itu."))
    region = region_code or next(
        (g.region_id for g in officer.role_grants.all() if g.region_id), None
    )
    record_access(
        citizen=citizen,
        accessor=officer,
        purpose=purpose.strip(),
        fields=LOOKUP_FIELDS,
        region_code=region,
    )
    return citizen


def export_my_data(*, citizen: Citizen) -> dict[str, Any]:
    """Everything the platform holds about the person, decrypted, as JSON-ready data."""
    user = citizen.user
    return {
        "exported_at": timezone.now().isoformat(),
        "account": {"username": user.username, "email": user.email, "date_joined": user.date_joined.isoformat(),
                    "last_login": user.last_login.isoformat() if user.last_login else None},
        "identity": {"nik": citizen.nik, "full_name": citizen.full_name, "birth_date": citizen.birth_date.isoformat(),
                     "sex": citizen.sex, "phone": citizen.phone, "region": citizen.region_id,
                     "assurance_level": citizen.assurance_level},
        "profile": [{"key": e.key, "value": e.value, "source": e.source, "verified": e.verified} for e in get_profile(citizen=citizen) if e.value],
        "profile_history": [
            {"key": c.key, "old": decrypt(c.old_cipher) if c.old_cipher else "", "new": decrypt(c.new_cipher),
             "status": c.status, "at": c.created_at.isoformat()}
            for c in citizen.profile_changes.all()
        ],
        "family": [
            {"nik": decrypt(m.nik_cipher), "full_name": m.full_name, "birth_date": m.birth_date.isoformat(), "sex": m.sex,
             "relationship": m.relationship, "may_act_for": m.may_act_for, "source": m.source}
            for m in citizen.family_members.all()
        ],
        "consents": [
            {"recipient": c.recipient, "fields": c.fields, "purpose": c.purpose, "receipt": c.receipt,
             "given_at": c.given_at.isoformat(), "withdrawn_at": c.withdrawn_at.isoformat() if c.withdrawn_at else None}
            for c in citizen.consents.all()
        ],
        "data_access_log": [
            {"by": a.accessor_label, "purpose": a.purpose, "fields": a.fields, "region": a.region_id, "at": a.at.isoformat()}
            for a in citizen.data_accesses.all()
        ],
    }  # fmt: skip


@transaction.atomic
def delete_my_account(*, user: User, password: str) -> None:
    """Erase the person's data and close the account; asks for the password again."""
    if not user.check_password(password):
        raise InvalidInput(_("Kata sandi salah."), field="password")
    citizen = Citizen.objects.filter(user=user).first()
    if citizen is not None:
        ProfileChange.objects.filter(citizen=citizen).delete()
        citizen.delete()  # vault, family members and the access log go with it (nothing to keep yet)
    ContactCode.objects.filter(user=user).delete()
    user.username = f"dihapus-{user.pk}"
    user.email = ""
    user.first_name = user.last_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
