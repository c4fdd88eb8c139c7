"""Tell people things. Everything leaves with the transaction that wanted it, never inside a
request: the in-app row and one delivery task per channel are written in that transaction."""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mpp.core.crypto import encrypt
from mpp.core.errors import InvalidInput, NotFound
from mpp.notifications import queries
from mpp.notifications.channels import KINDS
from mpp.notifications.models import Notification, NotificationPreference
from mpp.notifications.tasks import deliver

SMS_MAX = 300  # a few SMS segments; a longer text is cut, the link always fits


def queue_message(*, channel: str, destination: str, subject: str, body: str) -> None:
    deliver.enqueue(
        channel=channel,
        destination_cipher=encrypt(destination),
        subject=subject,
        body_cipher=encrypt(body),
        language=translation.get_language() or "id",
    )


def absolute(link: str) -> str:
    return settings.MPP_PUBLIC_URL.rstrip("/") + link if link.startswith("/") else link


def notify(
    user: Any,
    *,
    title: str,
    body: str,
    link: str = "",
    channels: Iterable[str] = KINDS,
    preferences: queries.Preferences | None = None,
) -> Notification:
    """Put a message in the person's inbox and send it on the `channels` they want (e-mail,
    sms, whatsapp) where they have an address. Pass `channels=()` for the inbox alone.

    Title and body are final text: render them in `preferences.language` (see
    `queries.preferences_for`) before calling."""
    prefs = preferences or queries.preferences_for(user)
    # Inside the caller's transaction (the usual case) no savepoint: it fails or commits whole.
    with transaction.atomic(savepoint=False):
        notification = Notification.objects.create(
            user=user, title=title[:200], body=body, link=link, created_at=timezone.now()
        )
        url = absolute(link)
        with translation.override(prefs.language):
            for kind in channels:
                destination = prefs.destination(kind)
                if not destination:
                    continue
                if kind == "email":
                    text = f"{body}\n\n{url}" if url else body
                else:
                    text = _short(title, body, url)
                queue_message(channel=kind, destination=destination, subject=title, body=text)
    return notification


def _short(title: str, body: str, url: str) -> str:
    head = f"MPP Digital: {title}. {body}"
    room = SMS_MAX - len(url) - 1
    if len(head) > room:
        head = head[: max(room - 1, 0)].rstrip() + "…"
    return f"{head} {url}".strip()


def mark_read(*, user: Any, ids: Iterable[int] | None = None) -> int:
    """Mark the person's own notifications read (all unread ones when `ids` is None). Ids of
    someone else's notifications are ignored, as if they did not exist. Returns how many."""
    rows = Notification.objects.filter(user_id=user.pk, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=timezone.now())


def open_notification(*, user: Any, notification_id: int) -> Notification:
    """Mark one notification read and return it (to follow its link); 404 for another's."""
    notification = Notification.objects.filter(pk=notification_id, user_id=user.pk).first()
    if notification is None:
        raise NotFound(_("Notifikasi tidak ditemukan."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def set_preferences(
    *, user: Any, email: bool, sms: bool, whatsapp: bool, language: str
) -> queries.Preferences:
    """Store the person's choices. A channel without an address cannot be switched on."""
    if language not in dict(settings.LANGUAGES):
        raise InvalidInput(
            _("Bahasa tidak dikenal. Pilihan: %(choices)s.")
            % {"choices": ", ".join(dict(settings.LANGUAGES))},
            field="language",
        )
    current = queries.preferences_for(user)
    if email and not current.email_address:
        raise InvalidInput(_("Akun ini belum memiliki alamat e-mail."), field="email")
    for kind, wanted in (("sms", sms), ("whatsapp", whatsapp)):
        if wanted and not current.phone:
            raise InvalidInput(_("Nomor ponsel belum tercatat di akun ini."), field=kind)
    NotificationPreference.objects.update_or_create(
        user_id=user.pk,
        defaults={"email": email, "sms": sms, "whatsapp": whatsapp, "language": language},
    )
    return queries.preferences_for(user)
