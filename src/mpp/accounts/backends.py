"""Sign in with NIK, e-mail or mobile number (staff also by username) and a password."""

import re
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from mpp.accounts.models import Citizen, User
from mpp.core.crypto import lookup_hash


def find_user(identifier: str) -> User | None:
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    digits = re.sub(r"[\s.\-()]", "", identifier)
    if digits.isdigit() and len(digits) == 16:
        citizen = (
            Citizen.objects.select_related("user")
            .filter(nik_hash=lookup_hash("nik", digits))
            .first()
        )
        return citizen.user if citizen else None
    if "@" in identifier:
        return User.objects.filter(email__iexact=identifier).order_by("-is_active").first()
    if identifier.startswith(("+", "0", "62")) and digits.lstrip("+").isdigit():
        from mpp.accounts.registration import normalise_phone
        from mpp.core.errors import DomainError

        try:
            phone = normalise_phone(identifier)
        except DomainError:
            return None
        citizen = (
            Citizen.objects.select_related("user")
            .filter(phone_hash=lookup_hash("phone", phone))
            .first()
        )
        return citizen.user if citizen else None
    return User.objects.filter(username=identifier).first()


class IdentifierBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        user = find_user(username or "")
        if user is None or password is None:
            User().set_password(password or "")  # same work as a real check: no timing hint
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
