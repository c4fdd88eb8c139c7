import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """A province or a kabupaten/kota. Every kabupaten/kota is a tenant: regional rows key on it."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Provinsi")
        KABKOTA = "kabkota", _("Kabupaten/kota")

    class Kind(models.TextChoices):
        PROVINSI = "provinsi", _("Provinsi")
        KABUPATEN = "kabupaten", _("Kabupaten")
        KOTA = "kota", _("Kota")

    class MppStatus(models.TextChoices):
        NONE = "none", _("Belum ada MPP")
        PHYSICAL = "physical", _("MPP fisik")
        DIGITAL = "digital", _("MPP digital")
        HYBRID = "hybrid", _("MPP fisik dan digital")

    code = models.CharField(_("kode Kemendagri"), max_length=5, primary_key=True)
    name = models.CharField(_("nama"), max_length=100)
    level = models.CharField(_("tingkat"), max_length=8, choices=Level.choices)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    province = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="kabkota",
        verbose_name=_("provinsi"),
    )
    search_text = models.CharField(max_length=200, db_index=True, editable=False)
    # Kept by regions.services from the region's MPP sites: the basis of the coverage road map.
    physical_live_on = models.DateField(_("MPP fisik beroperasi sejak"), null=True, blank=True)
    digital_live_on = models.DateField(_("MPP digital beroperasi sejak"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level="province", province__isnull=True)
                | models.Q(level="kabkota", province__isnull=False),
                name="region_kabkota_has_province",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_tenant(self) -> bool:
        return self.level == self.Level.KABKOTA

    def mpp_status_on(self, day: datetime.date) -> "Region.MppStatus":
        physical = self.physical_live_on is not None and self.physical_live_on <= day
        digital = self.digital_live_on is not None and self.digital_live_on <= day
        if physical and digital:
            return self.MppStatus.HYBRID
        if physical:
            return self.MppStatus.PHYSICAL
        if digital:
            return self.MppStatus.DIGITAL
        return self.MppStatus.NONE

    @property
    def mpp_status(self) -> "Region.MppStatus":
        return self.mpp_status_on(timezone.localdate())


class MppSite(models.Model):
    """Where a region serves people: an MPP building, its digital MPP, or a mobile unit."""

    class Kind(models.TextChoices):
        PHYSICAL = "physical", _("MPP fisik")
        DIGITAL = "digital", _("MPP digital")
        MOBILE = "mobile", _("Layanan keliling")

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="mpp_sites", verbose_name=_("wilayah")
    )
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("nama"), max_length=150)
    address = models.TextField(_("alamat"), blank=True)
    url = models.URLField(_("alamat web"), blank=True)
    # {"mon": [["08:00", "15:00"]], ...}; validated by regions.services.
    opening_hours = models.JSONField(_("jam layanan"), default=dict, blank=True)
    went_live_on = models.DateField(_("beroperasi sejak"), null=True, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    is_demo = models.BooleanField(
        _("data demo"), default=False, help_text=_("Nilai contoh, bukan data resmi.")
    )
    source = models.CharField(_("sumber"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["region_id", "kind", "name"]
        verbose_name = _("lokasi MPP")
        verbose_name_plural = _("lokasi MPP")
        constraints = [
            models.UniqueConstraint(fields=["region", "kind", "name"], name="mppsite_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"
