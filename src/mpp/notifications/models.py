"""What a person is told: in-app notifications, and how they want to be reached outside the app."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One message in the person's in-app inbox (/notifikasi/). Written in the language the
    person chose when it was sent; never changed afterwards except `read_at`."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField(_("judul"), max_length=200)
    body = models.TextField(_("isi"), blank=True)
    link = models.CharField(_("tautan"), max_length=300, blank=True)  # a path on this site
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"], name="notification_inbox"),
            # The header badge counts these on every signed-in page: keep the index small.
            models.Index(
                fields=["user"], condition=Q(read_at__isnull=True), name="notification_unread"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class NotificationPreference(models.Model):
    """Which channels besides the in-app inbox a person wants, and in which language.

    Without a row the defaults of `mpp.notifications.queries.preferences_for` apply."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_preference",
    )
    email = models.BooleanField(_("e-mail"))
    sms = models.BooleanField(_("SMS"))
    whatsapp = models.BooleanField(_("WhatsApp"))
    language = models.CharField(_("bahasa"), max_length=5, choices=settings.LANGUAGES)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pengaturan notifikasi")
        verbose_name_plural = _("pengaturan notifikasi")

    def __str__(self) -> str:
        return str(self.user_id)
