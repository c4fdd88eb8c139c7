"""Officers and admins sign in with a second factor: a TOTP app (django-otp)."""

import base64
from typing import Any

import segno
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from mpp.core.errors import InvalidInput
from mpp.core.roles import STAFF_ROLES
from mpp.core.tenancy import roles_of


def needs_second_factor(user: Any) -> bool:
    return bool(roles_of(user) & STAFF_ROLES) or bool(getattr(user, "is_superuser", False))


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@transaction.atomic
def start_setup(*, user: Any) -> TOTPDevice:
    """An unconfirmed device to scan; the same one until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def qr_svg(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_inline(scale=4)


def secret_text(device: TOTPDevice) -> str:
    """The key as people type it into an app: base32 in groups of four."""
    key = base64.b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@transaction.atomic
def verify(*, user: Any, token: str) -> TOTPDevice:
    """Check a code against the confirmed device, or confirm the device being set up."""
    token = "".join(ch for ch in token if ch.isdigit())
    device = confirmed_device(user) or TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        raise InvalidInput(_("Siapkan aplikasi autentikator terlebih dahulu."), field="token")
    allowed, _wait = device.verify_is_allowed()
    if not allowed:
        raise InvalidInput(
            _("Terlalu banyak kode salah. Tunggu sebentar lalu coba lagi."), field="token"
        )
    if not device.verify_token(token):
        raise InvalidInput(_("Kode autentikator salah."), field="token")
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    return device
