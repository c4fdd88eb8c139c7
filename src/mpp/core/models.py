"""Core tables. The working calendar's overrides live here; everything else in core is code."""

from typing import Any

from django.db import models
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _


class CalendarOverride(models.Model):
    """One date whose working status differs from the holidays library, nationally or in a region.

    A later SKB decree adding a cuti bersama is a national override with `is_working_day=False`;
    a regional closure is one with a region. A province's override also covers its kabupaten/kota;
    the most specific override wins (kabupaten/kota, then province, then national).
    """

    date = models.DateField(_("tanggal"))
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="calendar_overrides",
        verbose_name=_("wilayah"),
        help_text=_("Kosongkan untuk seluruh Indonesia."),
    )
    is_working_day = models.BooleanField(
        _("hari kerja"),
        default=False,
        help_text=_("Centang bila tanggal ini hari kerja; biarkan kosong bila libur."),
    )
    reason = models.CharField(
        _("alasan"),
        max_length=200,
        help_text=_("Misalnya nomor SKB atau surat edaran yang menetapkannya."),
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "region_id"]
        verbose_name = _("pengecualian kalender kerja")
        verbose_name_plural = _("pengecualian kalender kerja")
        constraints = [
            models.UniqueConstraint(
                fields=["date"],
                condition=models.Q(region__isnull=True),
                name="calendar_override_unique_national",
                violation_error_message=_("Tanggal ini sudah mempunyai pengecualian nasional."),
            ),
            models.UniqueConstraint(
                fields=["date", "region"],
                condition=models.Q(region__isnull=False),
                name="calendar_override_unique_regional",
                violation_error_message=_(
                    "Tanggal ini sudah mempunyai pengecualian untuk wilayah tersebut."
                ),
            ),
        ]

    def __str__(self) -> str:
        where = self.region_id or _("nasional")
        status = _("hari kerja") if self.is_working_day else _("libur")
        return f"{self.date:%Y-%m-%d} {where}: {status}"


@receiver([post_save, post_delete], sender=CalendarOverride)
def _calendar_overrides_changed(**kwargs: Any) -> None:
    from mpp.core.calendar_days import overrides_changed  # the calendar imports this module

    overrides_changed()
