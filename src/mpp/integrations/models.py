"""Agency endpoints and the transactional outbox that feeds them.

An event is written in the same transaction as the change it reports (`events.emit`), then a
delivery worker (`manage.py outbox_worker`) posts it, signed, at least once, in order per
application, retrying with backoff and logging every attempt.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from oauth2_provider.settings import oauth2_settings

EVENT_TYPES = [
    ("application.submitted", _("Permohonan diajukan")),
    ("application.resubmitted", _("Perbaikan dikirim")),
    ("application.cancelled", _("Permohonan dibatalkan")),
    ("application.status_changed", _("Status permohonan berubah")),
    ("document.added", _("Dokumen ditambahkan")),
    ("application.status_requested", _("Permintaan status (permohonan lewat batas waktu)")),
    ("output.revoked", _("Produk layanan dicabut")),
]


class Endpoint(models.Model):
    """Where an agency's own system receives events. One agency office may have several (a test
    and a production system); each picks the event types it wants."""

    agency = models.ForeignKey(
        "catalog.Agency", on_delete=models.PROTECT, related_name="endpoints",
        verbose_name=_("instansi"),
    )  # fmt: skip
    name = models.CharField(_("nama"), max_length=100)
    url = models.URLField(_("alamat penerima"), max_length=500)
    secret_cipher = models.TextField(editable=False)  # `whsec_…`, encrypted at rest
    event_types = models.JSONField(_("jenis kejadian"), default=list)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Circuit breaker: after repeated failures the endpoint rests until `circuit_open_until`.
    consecutive_failures = models.PositiveIntegerField(default=0, editable=False)
    circuit_open_until = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("titik integrasi")
        verbose_name_plural = _("titik integrasi")

    def __str__(self) -> str:
        return f"{self.name} ({self.agency})"


class OutboxEvent(models.Model):
    """One CloudEvent for one endpoint. `event_id` is the CloudEvent id: receivers deduplicate
    on it. The primary key gives the order, which delivery keeps per (endpoint, application)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu kirim")
        DELIVERED = "delivered", _("Terkirim")
        DEAD = "dead", _("Gagal (berhenti dicoba)")

    id = models.BigAutoField(primary_key=True)
    event_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="events")
    application = models.ForeignKey(
        "cases.Application", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    type = models.CharField(_("jenis"), max_length=60)
    subject = models.CharField(_("subjek"), max_length=60, blank=True)  # the tracking number
    data = models.JSONField()
    created_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    retry_from = models.DateTimeField()  # retries stop MPP_OUTBOX_RETRY_HOURS after this
    next_attempt_at = models.DateTimeField()
    leased_until = models.DateTimeField(null=True, blank=True)  # a worker is sending it
    delivered_at = models.DateTimeField(null=True, blank=True)
    replayed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )  # the agency admin who last sent a dead event again

    class Meta:
        ordering = ["id"]
        verbose_name = _("kejadian keluar")
        verbose_name_plural = _("kejadian keluar")
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="outbox_pending_due",
            ),
            models.Index(fields=["endpoint", "application", "id"], name="outbox_order"),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.subject}"


class DeliveryAttempt(models.Model):
    """Every try, kept for the agency admin's log: what came back and how long it took."""

    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="log")
    attempted_at = models.DateTimeField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    latency_ms = models.PositiveIntegerField()
    ok = models.BooleanField()
    response_excerpt = models.CharField(max_length=500, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-attempted_at"]
        verbose_name = _("percobaan kirim")
        verbose_name_plural = _("percobaan kirim")

    def __str__(self) -> str:
        return f"{self.event_id} {self.status_code or self.error}"


class InboundCall(models.Model):
    """A change an agency system asked for, kept by its own event id: the same id again gets
    the first answer back and changes nothing (agency systems retry too)."""

    client = models.ForeignKey(
        oauth2_settings.APPLICATION_MODEL, on_delete=models.CASCADE, related_name="+",
        swappable=False,
    )  # fmt: skip
    event_id = models.CharField(max_length=100)
    request_hash = models.CharField(max_length=64)
    application = models.ForeignKey("cases.Application", on_delete=models.CASCADE, related_name="+")
    response = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("panggilan sistem instansi")
        verbose_name_plural = _("panggilan sistem instansi")
        constraints = [
            models.UniqueConstraint(fields=["client", "event_id"], name="inbound_call_once")
        ]

    def __str__(self) -> str:
        return f"{self.client_id}:{self.event_id}"
