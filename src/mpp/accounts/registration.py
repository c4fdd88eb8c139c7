"""Citizen registration and one-time codes: register, send a code, verify it."""

import datetime
import secrets
from dataclasses import dataclass
from typing import Any

import phonenumbers
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mpp.accounts.models import Citizen, ContactCode, User
from mpp.accounts.nik import check_nik
from mpp.accounts.profile import update_profile
from mpp.core.crypto import encrypt, lookup_hash
from mpp.core.errors import Conflict, InvalidInput
from mpp.core.throttle import TooManyRequests
from mpp.notifications.services import queue_message

CODE_TTL = datetime.timedelta(minutes=10)
CODE_MAX_ATTEMPTS = 5
CODES_PER_HOUR = 5


@dataclass(frozen=True)
class Registration:
    user: User
    channel: str
    destination_hint: str


def normalise_phone(raw: str) -> str:
    """Any Indonesian way of writing a mobile number -> +62…; refuses what is not one."""
    try:
        number = phonenumbers.parse(raw, "ID")
    except phonenumbers.NumberParseException:
        raise InvalidInput(_("Nomor ponsel tidak dapat dibaca."), field="phone") from None
    if not phonenumbers.is_valid_number(number) or phonenumbers.number_type(number) not in (
        phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):  # fmt: skip
        raise InvalidInput(_("Nomor ponsel tidak sah."), field="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _hint(channel: str, destination: str) -> str:
    if channel == ContactCode.Channel.EMAIL:
        name, _sep, domain = destination.partition("@")
        return f"{name[:2]}***@{domain}"
    return f"{destination[:5]}****{destination[-3:]}"


def send_code(*, user: User, purpose: str, channel: str, destination: str) -> None:
    """Issue a fresh code (earlier unused ones stop working) and queue its delivery."""
    destination_hash = lookup_hash(channel, destination)
    hour_ago = timezone.now() - datetime.timedelta(hours=1)
    if (
        ContactCode.objects.filter(
            destination_hash=destination_hash, created_at__gte=hour_ago
        ).count()
        >= CODES_PER_HOUR
    ):
        raise TooManyRequests(
            _("Terlalu banyak kode dikirim ke kontak ini. Coba lagi dalam satu jam.")
        )
    ContactCode.objects.filter(user=user, purpose=purpose, used_at__isnull=True).update(
        used_at=timezone.now()
    )
    code = f"{secrets.randbelow(1_000_000):06d}"
    ContactCode.objects.create(
        user=user, purpose=purpose, channel=channel, destination_hash=destination_hash,
        code_hash=lookup_hash("code", f"{user.pk}:{code}"), expires_at=timezone.now() + CODE_TTL,
    )  # fmt: skip
    minutes = int(CODE_TTL.total_seconds() // 60)
    queue_message(
        channel=channel,
        destination=destination,
        subject=_("Kode verifikasi MPP Digital"),
        body=_(
            "Kode Anda: %(code)s. Berlaku %(minutes)s menit. Jangan berikan kode ini kepada siapa pun, "
            "termasuk petugas."
        )
        % {"code": code, "minutes": minutes},
    )


@transaction.atomic
def register_citizen(
    *,
    nik: str,
    full_name: str,
    birth_date: datetime.date,
    sex: str,
    password: str,
    email: str = "",
    phone: str = "",
) -> Registration:
    """Create an inactive account and send a code to its contact. One NIK, one account."""
    facts = check_nik(nik, birth_date=birth_date, sex=sex)
    if not full_name.strip():
        raise InvalidInput(_("Nama lengkap wajib diisi."), field="full_name")
    if not (email or phone):
        raise InvalidInput(_("Isi e-mail atau nomor ponsel untuk menerima kode."), field="email")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise InvalidInput(_("Alamat e-mail tidak sah."), field="email") from None
        email = email.strip().lower()
    phone = normalise_phone(phone) if phone else ""
    nik_hash = lookup_hash("nik", facts.nik)
    existing = Citizen.objects.select_related("user").filter(nik_hash=nik_hash).first()
    if existing is not None and existing.user.is_active:
        raise Conflict(
            _(
                'NIK ini sudah terdaftar. Pulihkan akses melalui "Lupa kata sandi" atau datang ke loket MPP.'
            ),
            field="nik",
        )
    if (
        phone
        and Citizen.objects.filter(phone_hash=lookup_hash("phone", phone))
        .exclude(nik_hash=nik_hash)
        .exists()
    ):
        raise Conflict(_("Nomor ponsel ini sudah dipakai akun lain."), field="phone")
    if email and User.objects.filter(email=email, is_active=True).exists():
        raise Conflict(_("E-mail ini sudah dipakai akun lain."), field="email")
    user = existing.user if existing else User(username=f"w{secrets.token_hex(8)}", is_active=False)
    user.email = email
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages), field="password") from None
    user.set_password(password)
    user.save()
    fields: dict[str, Any] = {
        "nik_cipher": encrypt(facts.nik), "full_name": full_name.strip(), "birth_date": birth_date,
        "sex": sex, "region_id": facts.region_code, "phone_cipher": encrypt(phone) if phone else "",
        "phone_hash": lookup_hash("phone", phone) if phone else None,
    }  # fmt: skip
    citizen, _created = Citizen.objects.update_or_create(
        nik_hash=nik_hash, defaults={"user": user, **fields}
    )
    update_profile(citizen=citizen, changes={"full_name": full_name}, actor=user)
    channel, destination = ("email", email) if email else ("sms", phone)
    send_code(
        user=user, purpose=ContactCode.Purpose.VERIFY, channel=channel, destination=destination
    )
    return Registration(user=user, channel=channel, destination_hint=_hint(channel, destination))


def verify_contact(*, user_id: int, code: str) -> User:
    """Check a verification code; the account becomes active. Wrong, old or reused codes fail,
    and a wrong try is counted even though the request fails."""
    outcome = _consume_code(user_id=user_id, code=code)
    if outcome == "missing":
        raise InvalidInput(_("Kode sudah dipakai atau tidak ada. Minta kode baru."), field="code")
    if outcome == "expired":
        raise InvalidInput(_("Kode sudah kedaluwarsa. Minta kode baru."), field="code")
    if outcome == "locked":
        raise TooManyRequests(_("Terlalu banyak percobaan. Minta kode baru."))
    if outcome == "wrong":
        raise InvalidInput(_("Kode salah."), field="code")
    return User.objects.get(pk=user_id)


@transaction.atomic
def _consume_code(*, user_id: int, code: str) -> str:
    pending = (
        ContactCode.objects.select_for_update()
        .filter(user_id=user_id, purpose=ContactCode.Purpose.VERIFY, used_at__isnull=True)
        .order_by("-created_at")
        .first()
    )
    if pending is None:
        return "missing"
    if pending.expires_at <= timezone.now():
        return "expired"
    if pending.attempts >= CODE_MAX_ATTEMPTS:
        return "locked"
    if not secrets.compare_digest(
        pending.code_hash, lookup_hash("code", f"{user_id}:{code.strip()}")
    ):
        ContactCode.objects.filter(pk=pending.pk).update(attempts=pending.attempts + 1)
        return "wrong"
    now = timezone.now()
    ContactCode.objects.filter(pk=pending.pk).update(used_at=now)
    User.objects.filter(pk=user_id).update(is_active=True)
    Citizen.objects.filter(user_id=user_id).update(contact_verified_at=now)
    citizen_id = Citizen.objects.filter(user_id=user_id).values_list("pk", flat=True).first()
    if citizen_id:
        from mpp.accounts.tasks import check_identity_with_registry

        check_identity_with_registry.enqueue(citizen_id=citizen_id)  # committed with the activation
    return "ok"


@transaction.atomic
def attach_citizen(
    *, user: User, nik: str, full_name: str, birth_date: datetime.date, sex: str, phone: str = ""
) -> Citizen:
    """Record an already verified person for an existing account (demo data, counter desks).
    Idempotent for the same NIK and account; refuses a NIK that belongs to someone else."""
    facts = check_nik(nik, birth_date=birth_date, sex=sex)
    nik_hash = lookup_hash("nik", facts.nik)
    owner = Citizen.objects.filter(nik_hash=nik_hash).exclude(user=user).exists()
    if owner:
        raise Conflict(_("NIK ini sudah terdaftar pada akun lain."), field="nik")
    phone = normalise_phone(phone) if phone else ""
    citizen, _created = Citizen.objects.update_or_create(
        user=user,
        defaults={
            "nik_cipher": encrypt(facts.nik), "nik_hash": nik_hash, "full_name": full_name,
            "birth_date": birth_date, "sex": sex, "region_id": facts.region_code,
            "phone_cipher": encrypt(phone) if phone else "",
            "phone_hash": lookup_hash("phone", phone) if phone else None,
            "contact_verified_at": timezone.now(),
        },
    )  # fmt: skip
    return citizen
