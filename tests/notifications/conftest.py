"""Recording SMS/WhatsApp gateways, registered like a vendor adapter and chosen by setting."""

import pytest

from mpp.accounts.models import Citizen
from mpp.core.crypto import encrypt, lookup_hash
from mpp.notifications.channels import DeliveryChannel, channels

PHONE = "+6281234567890"


class RecordingGateway(DeliveryChannel):
    def __init__(self) -> None:
        self.sent: list[dict[str, str]] = []

    def send(self, *, destination: str, subject: str, body: str) -> None:
        self.sent.append({"destination": destination, "subject": subject, "body": body})


channels.register("test_recorder_sms")(RecordingGateway)
channels.register("test_recorder_whatsapp")(RecordingGateway)


@pytest.fixture
def gateways(settings):
    settings.MPP_SMS_GATEWAY = "test_recorder_sms"
    settings.MPP_WHATSAPP_GATEWAY = "test_recorder_whatsapp"
    recorders = {
        "sms": channels["test_recorder_sms"],
        "whatsapp": channels["test_recorder_whatsapp"],
    }
    for recorder in recorders.values():
        recorder.sent.clear()
    yield recorders
    for recorder in recorders.values():
        recorder.sent.clear()


@pytest.fixture
def with_phone(applicant):
    Citizen.objects.filter(user=applicant).update(
        phone_cipher=encrypt(PHONE), phone_hash=lookup_hash("phone", PHONE)
    )
    applicant.refresh_from_db()
    return applicant
