"""Personal data at rest: NIK and phone are encrypted (Fernet, keys from the environment) and
found again through a keyed hash (HMAC-SHA256), so the database never holds them in clear."""

import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


@cache
def _fernet() -> MultiFernet:
    # The first key encrypts; all of them decrypt, so keys can be rotated.
    return MultiFernet([Fernet(key.encode()) for key in settings.MPP_FIELD_KEYS])


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()


def lookup_hash(kind: str, value: str) -> str:
    """Deterministic, keyed: equal values match, but the hash alone reveals nothing."""
    message = f"{kind}:{value}".encode()
    return hmac.new(settings.MPP_LOOKUP_KEY.encode(), message, hashlib.sha256).hexdigest()
