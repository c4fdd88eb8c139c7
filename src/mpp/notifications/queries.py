"""Reads: a person's inbox, unread count and how they want to be reached."""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from mpp.notifications.models import Notification, NotificationPreference

BADGE_CAP = 100  # the badge says "99+" beyond this; counting further buys nothing


@dataclass(frozen=True)
class Preferences:
    """The channels a person gets besides the inbox, and where they would go."""

    email: bool
    sms: bool
    whatsapp: bool
    language: str
    email_address: str
    phone: str
    stored: bool  # False: these are the defaults, the person never chose

    def destination(self, kind: str) -> str:
        """Where a message of this kind goes, or "" when it should not be sent."""
        wanted = {"email": self.email, "sms": self.sms, "whatsapp": self.whatsapp}[kind]
        if not wanted:
            return ""
        return self.email_address if kind == "email" else self.phone


def _phone_of(user: Any) -> str:
    from mpp.accounts.models import Citizen

    try:
        citizen = user.citizen  # free when the user was reached from the citizen
    except Citizen.DoesNotExist:
        return ""
    return citizen.phone


def preferences_for(user: Any) -> Preferences:
    """Stored choices, else the defaults: e-mail when the account has an address; SMS only
    when a phone is known and there is no e-mail (so a citizen registered at the counter with a
    phone alone still hears of their application); WhatsApp only when the person opts in."""
    stored = NotificationPreference.objects.filter(user_id=user.pk).first()
    email_address = user.email or ""
    phone = _phone_of(user)
    if stored is not None:
        return Preferences(
            email=stored.email, sms=stored.sms, whatsapp=stored.whatsapp,
            language=stored.language, email_address=email_address, phone=phone, stored=True,
        )  # fmt: skip
    return Preferences(
        email=bool(email_address),
        sms=bool(phone) and not email_address,
        whatsapp=False,
        language=settings.LANGUAGE_CODE,
        email_address=email_address,
        phone=phone,
        stored=False,
    )


def inbox_of(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(user_id=user.pk).order_by("-created_at", "-id")


def unread_count(user: Any) -> int:
    """One indexed COUNT, capped at BADGE_CAP rows."""
    return (
        Notification.objects.filter(user_id=user.pk, read_at__isnull=True)
        .values("id")[:BADGE_CAP]
        .count()
    )
