"""Reference data the catalogue points at: kinds of agency and the agencies of each region,
life events, priority tags and document types."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyKind(models.Model):
    """A kind of agency the national templates name, e.g. "disdukcapil" or "kantor-imigrasi"."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("Instansi pusat / vertikal")
        REGIONAL = "regional", _("Perangkat daerah")
        BUMN = "bumn", _("BUMN")
        BUMD = "bumd", _("BUMD")
        BANK = "bank", _("Bank")

    slug = models.SlugField(unique=True)
    name = models.CharField(_("nama"), max_length=200)
    name_en = models.CharField(_("nama (Inggris)"), max_length=200, blank=True)
    short_name = models.CharField(_("singkatan"), max_length=40, blank=True)
    level = models.CharField(_("tingkat"), max_length=10, choices=Level.choices)
    parent_ministry = models.CharField(_("kementerian induk"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)  # read_cache.fingerprint

    class Meta:
        ordering = ["name"]
        verbose_name = _("jenis instansi")
        verbose_name_plural = _("jenis instansi")

    def __str__(self) -> str:
        return self.short_name or self.name


class Agency(models.Model):
    """A concrete office that serves people: Disdukcapil Kabupaten Banyuwangi, Kantor Imigrasi …

    `region` is where it sits (the tenant that manages it); `service_area` the regions it serves.
    """

    kind = models.ForeignKey(AgencyKind, on_delete=models.PROTECT, related_name="agencies")
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="agencies",
        verbose_name=_("wilayah"),
    )
    name = models.CharField(_("nama"), max_length=200)
    service_area = models.ManyToManyField(
        "regions.Region", related_name="served_by", blank=True, verbose_name=_("wilayah layanan")
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    updated_at = models.DateTimeField(auto_now=True)  # read_cache.fingerprint

    class Meta:
        ordering = ["region_id", "name"]
        verbose_name = _("instansi")
        verbose_name_plural = _("instansi")
        constraints = [
            models.UniqueConstraint(fields=["region", "kind"], name="agency_one_kind_per_region")
        ]

    def __str__(self) -> str:
        return self.name


class LifeEvent(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(_("nama"), max_length=100)
    name_en = models.CharField(_("nama (Inggris)"), max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)  # read_cache.fingerprint

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("peristiwa hidup")
        verbose_name_plural = _("peristiwa hidup")

    def __str__(self) -> str:
        return self.name


class PriorityTag(models.Model):
    """National priority programmes a service contributes to (investasi, stunting, …)."""

    slug = models.SlugField(unique=True)
    name = models.CharField(_("nama"), max_length=100)
    name_en = models.CharField(_("nama (Inggris)"), max_length=100, blank=True)
    updated_at = models.DateTimeField(auto_now=True)  # read_cache.fingerprint

    class Meta:
        ordering = ["name"]
        verbose_name = _("prioritas nasional")
        verbose_name_plural = _("prioritas nasional")

    def __str__(self) -> str:
        return self.name


class DocumentType(models.Model):
    """A kind of document a requirement asks for; one type across services so it can be reused."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    updated_at = models.DateTimeField(auto_now=True)  # read_cache.fingerprint

    class Meta:
        ordering = ["name"]
        verbose_name = _("jenis dokumen")
        verbose_name_plural = _("jenis dokumen")

    def __str__(self) -> str:
        return self.name
