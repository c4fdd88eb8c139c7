"""Signatures on outbound events, by the Standard Webhooks scheme (standardwebhooks.com):
HMAC-SHA256 over `id.timestamp.body`, sent as `webhook-id`, `webhook-timestamp` and
`webhook-signature: v1,<base64>`. Receivers in any language verify with an existing library and
reject timestamps outside a five-minute window, so a captured request cannot be replayed later."""

import base64
import datetime
import secrets

from standardwebhooks import Webhook

SECRET_PREFIX = "whsec_"  # noqa: S105 - the scheme's marker, not a secret


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def signed_headers(*, secret: str, message_id: str, body: str, at: datetime.datetime) -> dict:
    timestamp = int(at.timestamp())
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": Webhook(secret).sign(message_id, at, body),
    }


def verify(*, secret: str, body: bytes | str, headers: dict) -> None:
    """Raise standardwebhooks.WebhookVerificationError unless the request is signed and fresh."""
    Webhook(secret).verify(body, headers, json_parse=False)
