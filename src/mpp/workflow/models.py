"""Process definitions as data, the steps an application is in, and the audit trail of moves."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProcessDefinition(models.Model):
    """States, actions, roles, the agency per step and SLAs (see `workflow/definition.py`).

    Versions never change once used: an application keeps the version it started on.
    """

    slug = models.SlugField(max_length=80)
    number = models.PositiveIntegerField(_("versi"), default=1)
    template = models.ForeignKey(
        "catalog.ServiceTemplate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="process_definitions",
    )
    definition = models.JSONField(_("definisi alur"))
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slug", "-number"]
        verbose_name = _("definisi alur kerja")
        verbose_name_plural = _("definisi alur kerja")
        constraints = [
            models.UniqueConstraint(fields=["slug", "number"], name="process_definition_unique")
        ]

    def __str__(self) -> str:
        return f"{self.slug} v{self.number}"


class Step(models.Model):
    """One step of one application, handled by one agency; parallel steps are separate rows."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Menunggu langkah sebelumnya")
        OPEN = "open", _("Dikerjakan")
        WITH_CITIZEN = "with_citizen", _("Menunggu perbaikan pemohon")
        DONE = "done", _("Selesai")
        CANCELLED = "cancelled", _("Dibatalkan")

    application = models.ForeignKey(
        "cases.Application", on_delete=models.CASCADE, related_name="steps"
    )
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("catalog.Agency", on_delete=models.PROTECT, related_name="steps")
    key = models.CharField(max_length=40)
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField()
    due_at = models.DateTimeField(null=True, blank=True)
    # While the citizen corrects, the clock stops: the working time left is kept here.
    remaining_seconds = models.BigIntegerField(null=True, blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=40, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    # When the definition decides this step by itself (e.g. SIP issued on working day 5).
    auto_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # That clock stops too while the citizen corrects: its working time left is kept here.
    auto_remaining_seconds = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["application_id", "opened_at", "id"]
        verbose_name = _("langkah")
        verbose_name_plural = _("langkah")
        indexes = [
            models.Index(fields=["agency", "status", "due_at"], name="step_work_queue"),
            models.Index(fields=["status", "due_at"], name="step_due"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["application", "key"], name="step_once_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.application_id} · {self.key}"


class Transition(models.Model):
    """The audit trail: who moved what, when, from which state to which, and why."""

    application = models.ForeignKey(
        "cases.Application", on_delete=models.CASCADE, related_name="transitions"
    )
    step = models.ForeignKey(
        Step, on_delete=models.CASCADE, null=True, blank=True, related_name="transitions"
    )
    action = models.CharField(max_length=40)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=200)  # kept if the account goes; "sistem" for timers
    reason = models.TextField(_("alasan"), blank=True)
    data = models.JSONField(default=dict, blank=True)  # e.g. the fields to correct
    at = models.DateTimeField()

    class Meta:
        ordering = ["application_id", "at", "id"]
        verbose_name = _("riwayat langkah")
        verbose_name_plural = _("riwayat langkah")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.from_status} → {self.to_status} ({self.action})"


class Comment(models.Model):
    """A note on an application: internal between officers, or addressed to the citizen."""

    application = models.ForeignKey(
        "cases.Application", on_delete=models.CASCADE, related_name="comments"
    )
    step = models.ForeignKey(
        Step, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_label = models.CharField(max_length=200)
    body = models.TextField(_("isi"))
    to_citizen = models.BooleanField(_("untuk pemohon"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application_id", "created_at"]
        verbose_name = _("catatan")
        verbose_name_plural = _("catatan")

    def __str__(self) -> str:
        return self.body[:40]
