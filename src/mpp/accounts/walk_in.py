"""Walk-in citizens: a counter officer records a person who has no account yet.

The officer has the KTP-el in hand, so the record starts at assurance level 2 ("verified by an
officer") with an in-person identity check naming the officer. The account gets no password:
nobody can sign in until the citizen claims it. Claiming is Django's one-time set-password link
(the same token the staff invitation uses) sent to the e-mail address, or else the phone number,
the citizen gave at the counter; the link stops working once a password is set. A citizen who
gave no contact follows their applications with the public status page (tracking number + last
four digits of the NIK) and can claim the account later at a counter.

The account is active from the start, so online registration with the same NIK is refused ("use
Lupa kata sandi or come to a counter"): knowing a NIK alone never takes over an account that
already holds applications.
"""

import datetime
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from mpp.accounts.models import Citizen, IdentityCheck, RoleGrant, Source, User
from mpp.accounts.nik import check_nik
from mpp.accounts.privacy import record_access
from mpp.accounts.profile import update_profile
from mpp.accounts.registration import normalise_phone
from mpp.core.crypto import encrypt, lookup_hash
from mpp.core.errors import Conflict, Forbidden, InvalidInput
from mpp.core.roles import Role
from mpp.notifications.services import queue_message

MAX_NAME = 150


def counter_regions(officer: Any) -> set[str]:
    """The kabupaten/kota where the user works a counter (empty for everyone else)."""
    if not getattr(officer, "is_authenticated", False):
        return set()
    return set(
        RoleGrant.objects.filter(user_id=officer.pk, role=Role.COUNTER_OFFICER).values_list(
            "region_id", flat=True
        )
    )


def require_counter_officer(officer: Any) -> set[str]:
    regions = counter_regions(officer)
    if not regions:
        raise Forbidden(_("Hanya petugas loket yang dapat melayani warga di loket."))
    return regions


def serving_region(officer: Any, region_code: str = "") -> str:
    """The kabupaten/kota of the counter the officer serves at now: the one chosen on the page
    (one of their counter grants, else 403), or their only one. An officer with counters in
    several regions must choose (400): logging a look-up or a registration against another
    region would tell the citizen, and the region's dashboards, the wrong place."""
    regions = require_counter_officer(officer)
    code = (region_code or "").strip()
    if code:
        if code not in regions:
            raise Forbidden(_("Anda tidak bertugas di loket wilayah ini."))
        return code
    if len(regions) == 1:
        return next(iter(regions))
    raise InvalidInput(_("Pilih loket tempat Anda melayani."), field="region")


def _clean_email(raw: str) -> str:
    email = (raw or "").strip().lower()
    if not email:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput(_("Alamat e-mail tidak sah."), field="email") from None
    if User.objects.filter(email=email, is_active=True).exists():
        raise Conflict(_("E-mail ini sudah dipakai akun lain."), field="email")
    return email


@transaction.atomic
def register_walk_in(
    *,
    officer: Any,
    nik: str,
    full_name: str,
    phone: str = "",
    email: str = "",
    birth_date: datetime.date | None = None,
    region_code: str = "",
) -> Citizen:
    """Record a walk-in citizen seen with their KTP-el; one NIK is never recorded twice (409).

    Birth date and sex come from the NIK (a given `birth_date` must match it). The identity
    check and the access log name the region of the counter served (`serving_region`). With an
    e-mail or phone, a one-time link to set a password is queued in this transaction."""
    region = serving_region(officer, region_code)
    facts = check_nik(nik, birth_date=birth_date)
    name = " ".join((full_name or "").split())
    if not name or len(name) > MAX_NAME:
        raise InvalidInput(
            _("Nama lengkap wajib diisi (maksimal 150 karakter)."), field="full_name"
        )
    nik_hash = lookup_hash("nik", facts.nik)
    if Citizen.objects.filter(nik_hash=nik_hash).exists():
        raise Conflict(_("NIK ini sudah terdaftar. Cari warga dengan NIK ini."), field="nik")
    email = _clean_email(email)
    phone = normalise_phone(phone) if (phone or "").strip() else ""
    if phone and Citizen.objects.filter(phone_hash=lookup_hash("phone", phone)).exists():
        raise Conflict(_("Nomor ponsel ini sudah dipakai akun lain."), field="phone")
    user = User(username=f"w{secrets.token_hex(8)}", email=email, is_active=True)
    user.set_unusable_password()
    user.save()
    try:
        with transaction.atomic():
            citizen = Citizen.objects.create(
                user=user, nik_cipher=encrypt(facts.nik), nik_hash=nik_hash, full_name=name,
                birth_date=facts.birth_date, sex=facts.sex, region_id=facts.region_code,
                phone_cipher=encrypt(phone) if phone else "",
                phone_hash=lookup_hash("phone", phone) if phone else None,
                assurance_level=Citizen.Assurance.IN_PERSON,
            )  # fmt: skip
    except IntegrityError:  # another counter recorded the same NIK a moment ago
        raise Conflict(
            _("NIK ini sudah terdaftar. Cari warga dengan NIK ini."), field="nik"
        ) from None
    IdentityCheck.objects.create(
        citizen=citizen, method=IdentityCheck.Method.IN_PERSON, level=Citizen.Assurance.IN_PERSON,
        officer=officer, region_id=region, document="ktp-el",
    )  # fmt: skip
    update_profile(
        citizen=citizen, changes={"full_name": name}, actor=officer, source=Source.OFFICER
    )
    record_access(
        citizen=citizen, accessor=officer, purpose=_("Pendaftaran warga di loket MPP"),
        fields=["nik", "full_name", "birth_date", "sex", "phone", "email"], region_code=region,
    )  # fmt: skip
    _send_claim_link(user, name, phone)
    return citizen


def awaiting_claim(citizen: Citizen) -> bool:
    """The account was made at a counter and nobody has set its password yet."""
    return not citizen.user.has_usable_password()


@transaction.atomic
def resend_claim_link(*, officer: Any, citizen: Citizen) -> None:
    """The citizen came back: send a fresh set-password link to the contact on record."""
    require_counter_officer(officer)
    if not awaiting_claim(citizen):
        raise Conflict(_("Warga ini sudah membuat kata sandi; gunakan Lupa kata sandi."))
    if not (citizen.user.email or citizen.phone):
        raise InvalidInput(_("Warga ini tidak mempunyai e-mail atau nomor ponsel."), field="email")
    _send_claim_link(citizen.user, citizen.full_name, citizen.phone)


def _send_claim_link(user: User, name: str, phone: str) -> None:
    """The link is built on MPP_PUBLIC_URL, never on the request's Host header: it carries a
    credential."""
    from mpp.accounts.staff import set_password_path

    if not (user.email or phone):
        return
    link = settings.MPP_PUBLIC_URL.rstrip("/") + set_password_path(user)
    body = _(
        "Halo %(name)s,\n\nPetugas loket MPP membuatkan akun MPP Digital untuk Anda. Buat kata "
        "sandi melalui tautan sekali pakai ini untuk mengikuti permohonan Anda secara daring:\n"
        "%(link)s\n\nAbaikan pesan ini bila Anda tidak datang ke MPP."
    ) % {"name": name, "link": link}
    channel, destination = ("email", user.email) if user.email else ("sms", phone)
    queue_message(
        channel=channel,
        destination=destination,
        subject=_("Akun MPP Digital Anda"),
        body=body,
    )
