"""Test overrides: the only settings module besides settings.py.

DATABASE_URL still chooses the database, so the same suite runs on SQLite and PostgreSQL.
"""

import os
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("MPP_HTTPS", "false")
os.environ.setdefault("MPP_FIELD_KEYS", "dGVzdC1vbmx5LWZpZWxkLWtleS0wMTIzNDU2Nzg5YWI=")
os.environ.setdefault("MPP_LOOKUP_KEY", "test-only-lookup-key")
os.environ.setdefault("MPP_LOG_FORMAT", "plain")
os.environ.setdefault("MPP_OUTBOX_PRIVATE_HOSTS", "true")  # test receivers listen on 127.0.0.1
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
if "MPP_OIDC_PRIVATE_KEY" not in os.environ and "MPP_OIDC_PRIVATE_KEY_FILE" not in os.environ:
    # A throwaway signing key for ID tokens, new in every test run.
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    os.environ["MPP_OIDC_PRIVATE_KEY"] = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )
# Playwright's sync API runs an event loop in the test thread; Django's ORM is still used synchronously.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from mpp.config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # noqa: F405 - whitenoise warns when missing
# Tasks run at once, inside the test, so their effects can be asserted.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = str(Path(STATIC_ROOT).parent / "test-media")  # noqa: F405
