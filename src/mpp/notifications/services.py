"""Queue a message; it leaves with the transaction that wanted it, never inside a request."""

from django.utils import translation

from mpp.core.crypto import encrypt
from mpp.notifications.tasks import deliver


def queue_message(*, channel: str, destination: str, subject: str, body: str) -> None:
    deliver.enqueue(
        channel=channel,
        destination_cipher=encrypt(destination),
        subject=subject,
        body_cipher=encrypt(body),
        language=translation.get_language() or "id",
    )
