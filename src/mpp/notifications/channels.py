"""Delivery channels. E-mail goes through Django's mail (SMTP in production); SMS and WhatsApp
through the gateway adapter named by MPP_SMS_GATEWAY / MPP_WHATSAPP_GATEWAY (console in demo).

A vendor gateway registers here under its own name (`@channels.register("acme_sms")`) and is
chosen by setting, never by code."""

import logging

from django.conf import settings
from django.core.mail import send_mail

from mpp.core.registry import Plugin, PluginConfigError, Registry

logger = logging.getLogger(__name__)

KINDS = ("email", "sms", "whatsapp")


class DeliveryChannel(Plugin):
    def send(self, *, destination: str, subject: str, body: str) -> None:
        raise NotImplementedError


channels: Registry[DeliveryChannel] = Registry()


def channel_for(kind: str) -> DeliveryChannel:
    """The adapter that delivers one kind of message (email, sms, whatsapp) as configured."""
    gateway = {"sms": settings.MPP_SMS_GATEWAY, "whatsapp": settings.MPP_WHATSAPP_GATEWAY}
    name = gateway.get(kind, kind)
    if name not in channels:
        raise PluginConfigError(f"{kind}: {name!r} is not a registered gateway")
    return channels[name]


@channels.register("email")
class EmailChannel(DeliveryChannel):
    def send(self, *, destination: str, subject: str, body: str) -> None:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [destination], fail_silently=False)

    def check_config(self) -> None:
        if not settings.EMAIL_BACKEND:
            raise PluginConfigError("EMAIL_URL is not set")
        if settings.EMAIL_BACKEND.endswith("console.EmailBackend") and not (
            settings.DEBUG or settings.MPP_DEMO
        ):
            raise PluginConfigError("e-mail goes to the console outside demo mode: set EMAIL_URL")


class ConsoleGateway(DeliveryChannel):
    """Writes the message to the log instead of a phone: for demo mode and development."""

    def send(self, *, destination: str, subject: str, body: str) -> None:
        if settings.DEBUG or settings.MPP_DEMO:
            logger.warning("%s to %s***: %s", self.name, destination[:6], body)
        else:  # a message may carry a one-time link: never into production logs
            logger.error("%s to %s***: NOT SENT (%s characters): configure a gateway",
                         self.name, destination[:6], len(body))  # fmt: skip

    def check_config(self) -> None:
        if not (settings.DEBUG or settings.MPP_DEMO):
            raise PluginConfigError(f"{self.name}: console gateway outside demo mode")


@channels.register("console_sms")
class ConsoleSms(ConsoleGateway):
    pass


@channels.register("console_whatsapp")
class ConsoleWhatsApp(ConsoleGateway):
    pass
