"""Generic HTTP gateways for SMS ("http_sms") and WhatsApp ("http_whatsapp"): `POST` JSON
`{"to": "+62…", "text": "…"}` to the configured URL with `Authorization: Bearer <token>`. Any
non-2xx answer raises, so the delivery task fails visibly instead of losing the message."""

from django.conf import settings

from mpp.integrations.contrib.http import call, require_settings
from mpp.notifications.channels import DeliveryChannel, channels


class HttpGateway(DeliveryChannel):
    url_setting = ""
    token_setting = ""

    def send(self, *, destination: str, subject: str, body: str) -> None:
        call(
            "POST", getattr(settings, self.url_setting), token=getattr(settings, self.token_setting),
            payload={"to": destination, "text": body},
        )  # fmt: skip

    def check_config(self) -> None:
        require_settings(self.name, self.url_setting, self.token_setting)


@channels.register("http_sms")
class HttpSms(HttpGateway):
    url_setting, token_setting = "MPP_SMS_HTTP_URL", "MPP_SMS_HTTP_TOKEN"


@channels.register("http_whatsapp")
class HttpWhatsApp(HttpGateway):
    url_setting, token_setting = "MPP_WHATSAPP_HTTP_URL", "MPP_WHATSAPP_HTTP_TOKEN"
