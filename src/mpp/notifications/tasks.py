from django.utils import translation
from django_tasks import task

from mpp.core.crypto import decrypt
from mpp.notifications.channels import channel_for


@task()
def deliver(
    *, channel: str, destination_cipher: str, subject: str, body_cipher: str, language: str
) -> None:
    """Send one message. Destination and body travel encrypted in the task row."""
    with translation.override(language):
        channel_for(channel).send(
            destination=decrypt(destination_cipher), subject=subject, body=decrypt(body_cipher)
        )
