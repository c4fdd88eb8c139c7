"""The service catalogue: agencies, national service templates with their versioned Standar
Pelayanan (UU 25/2009 Pasal 21; PermenPANRB 15/2014), and what each region offers."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

# Reference data lives in reference.py; imported here, where the rest of the code looks.
from mpp.catalog.models.reference import Agency as Agency
from mpp.catalog.models.reference import AgencyKind as AgencyKind
from mpp.catalog.models.reference import DocumentType as DocumentType
from mpp.catalog.models.reference import LifeEvent as LifeEvent
from mpp.catalog.models.reference import PriorityTag as PriorityTag


class Channel(models.TextChoices):
    ONLINE = "online", _("Daring di MPP Digital")
    INTEGRATED = "integrated", _("Daring, diproses sistem instansi")
    LINK_OUT = "link_out", _("Daring di aplikasi instansi")
    COUNTER = "counter", _("Loket di gedung MPP")
    MOBILE = "mobile", _("Layanan keliling")


DIGITAL_CHANNELS = (Channel.ONLINE, Channel.INTEGRATED, Channel.LINK_OUT)


class ServiceTemplate(models.Model):
    """A national service definition; its Standar Pelayanan lives in versions."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(_("nama layanan"), max_length=200)
    name_en = models.CharField(_("nama (Inggris)"), max_length=200, blank=True)
    agency_kind = models.ForeignKey(
        AgencyKind, on_delete=models.PROTECT, related_name="templates", verbose_name=_("instansi")
    )
    life_events = models.ManyToManyField(LifeEvent, blank=True, related_name="templates")
    priority_tags = models.ManyToManyField(PriorityTag, blank=True, related_name="templates")
    common_names = models.JSONField(
        _("sebutan sehari-hari"), default=list, blank=True, help_text=_("mis. bikin ktp, akte")
    )
    default_channels = models.JSONField(_("kanal bawaan"), default=list, blank=True)
    link_out_url = models.URLField(_("alamat aplikasi instansi"), blank=True)
    min_assurance_level = models.PositiveSmallIntegerField(
        _("tingkat identitas minimal"),
        default=1,
        choices=[(1, _("1 — dinyatakan sendiri")), (2, _("2 — diverifikasi petugas")),
                 (3, _("3 — diverifikasi data kependudukan"))],
    )  # fmt: skip
    search_text = models.TextField(editable=False, blank=True)
    # The published version in force today; kept by catalog.services when versions change.
    current_version = models.ForeignKey(
        "StandardVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("layanan nasional")
        verbose_name_plural = _("layanan nasional")

    def __str__(self) -> str:
        return self.name


class DurationUnit(models.TextChoices):
    MINUTES = "minutes", _("menit")
    HOURS = "hours", _("jam")
    WORKING_DAYS = "working_days", _("hari kerja")
    DAYS = "days", _("hari kalender")


def format_duration(value: int | None, unit: str) -> str:
    """ "1 hari kerja", "3 working days": a count with its unit, plural where the language has one."""
    if not value:
        return ""
    forms = {
        DurationUnit.MINUTES: ngettext("%(n)s menit", "%(n)s menit", value),
        DurationUnit.HOURS: ngettext("%(n)s jam", "%(n)s jam", value),
        DurationUnit.WORKING_DAYS: ngettext("%(n)s hari kerja", "%(n)s hari kerja", value),
        DurationUnit.DAYS: ngettext("%(n)s hari kalender", "%(n)s hari kalender", value),
    }
    return forms[DurationUnit(unit)] % {"n": value}


class StandardVersion(models.Model):
    """One version of a template's Standar Pelayanan. Published versions never change: an
    application keeps pointing at the version it was filed under."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        PUBLISHED = "published", _("Terbit")

    template = models.ForeignKey(ServiceTemplate, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("versi"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    effective_from = models.DateField(_("berlaku sejak"), null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # Public components (Pasal 21 a–f as published to citizens).
    procedure = models.JSONField(_("sistem, mekanisme, dan prosedur"), default=list, blank=True)
    duration_value = models.PositiveIntegerField(_("jangka waktu"), null=True, blank=True)
    duration_unit = models.CharField(
        _("satuan jangka waktu"), max_length=12, choices=DurationUnit.choices, blank=True
    )
    # [{"label": str, "amount_idr": int | None, "legal_basis": str, "source": str}]; 0 = free.
    tariffs = models.JSONField(_("biaya/tarif"), default=list, blank=True)
    output = models.TextField(_("produk pelayanan"), blank=True)
    complaints = models.TextField(_("penanganan pengaduan, saran, dan masukan"), blank=True)
    # Management components (not shown to citizens, kept for evaluation).
    legal_basis = models.TextField(_("dasar hukum"), blank=True)
    facilities = models.TextField(_("sarana dan prasarana"), blank=True)
    staff_competence = models.TextField(_("kompetensi pelaksana"), blank=True)
    internal_supervision = models.TextField(_("pengawasan internal"), blank=True)
    staff_count = models.TextField(_("jumlah pelaksana"), blank=True)
    service_guarantee = models.TextField(_("jaminan pelayanan"), blank=True)
    security_guarantee = models.TextField(_("jaminan keamanan dan keselamatan"), blank=True)
    performance_evaluation = models.TextField(_("evaluasi kinerja pelaksana"), blank=True)
    sources = models.JSONField(_("sumber"), default=list, blank=True)
    demo_fields = models.JSONField(
        _("komponen bernilai demo"),
        default=list,
        blank=True,
        help_text=_("Komponen tanpa data resmi yang diisi nilai contoh."),
    )
    notes = models.TextField(_("catatan"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["template_id", "-number"]
        verbose_name = _("versi standar pelayanan")
        verbose_name_plural = _("versi standar pelayanan")
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="standard_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.template} v{self.number}"

    @property
    def is_free(self) -> bool:
        return bool(self.tariffs) and all(t.get("amount_idr") == 0 for t in self.tariffs)


class Requirement(models.Model):
    """Persyaratan: one document (or condition) a version asks for, in order."""

    version = models.ForeignKey(
        StandardVersion, on_delete=models.CASCADE, related_name="requirements"
    )
    position = models.PositiveSmallIntegerField(default=0)
    # Empty for a condition rather than a document ("telah berusia 17 tahun").
    document_type = models.ForeignKey(
        DocumentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    description = models.CharField(_("keterangan"), max_length=300)

    class Meta:
        ordering = ["version_id", "position"]
        verbose_name = _("persyaratan")
        verbose_name_plural = _("persyaratan")

    def __str__(self) -> str:
        return self.description


class Offering(models.Model):
    """A region offers a national template through one of its agencies. Empty overrides inherit
    the template's current standard, so a template change reaches every region that did not
    override it."""

    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="offerings",
        verbose_name=_("wilayah"),
    )
    template = models.ForeignKey(
        ServiceTemplate, on_delete=models.PROTECT, related_name="offerings"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="offerings")
    is_active = models.BooleanField(_("aktif"), default=True)
    tariffs_override = models.JSONField(_("tarif daerah (Perda)"), null=True, blank=True)
    duration_value_override = models.PositiveIntegerField(
        _("jangka waktu daerah"), null=True, blank=True
    )
    duration_unit_override = models.CharField(
        max_length=12, choices=DurationUnit.choices, blank=True
    )
    notes = models.TextField(_("catatan daerah"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["region_id", "template__name"]
        verbose_name = _("layanan daerah")
        verbose_name_plural = _("layanan daerah")
        constraints = [
            models.UniqueConstraint(fields=["region", "template"], name="offering_once_per_region")
        ]

    def __str__(self) -> str:
        return f"{self.template} · {self.region_id}"

    # Effective values: the region's override where set, else the national standard in force.
    @property
    def standard(self) -> "StandardVersion":
        version = self.template.current_version
        if version is None:  # save_offering refuses unpublished templates
            raise ValueError(f"offering {self.pk}: template {self.template_id} is unpublished")
        return version

    @property
    def tariffs(self) -> list[dict]:
        return self.tariffs_override if self.tariffs_override is not None else self.standard.tariffs

    @property
    def duration_value(self) -> int | None:
        return self.duration_value_override or self.standard.duration_value

    @property
    def duration_unit(self) -> str:
        if self.duration_value_override:
            return self.duration_unit_override
        return self.standard.duration_unit

    @property
    def is_free(self) -> bool:
        tariffs = self.tariffs
        return bool(tariffs) and all(t.get("amount_idr") == 0 for t in tariffs)

    @property
    def is_digital(self) -> bool:
        """Can be completed online end to end (uses prefetched channels)."""
        return any(channel.kind in DIGITAL_CHANNELS for channel in self.channels.all())


class OfferingChannel(models.Model):
    """How people get an offering: online here, through an agency system, a link, a counter, a van."""

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="channels")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kanal"), max_length=12, choices=Channel.choices)
    site = models.ForeignKey(
        "regions.MppSite", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    url = models.URLField(_("alamat web"), blank=True)
    notes = models.CharField(_("keterangan"), max_length=300, blank=True)

    class Meta:
        ordering = ["offering_id", "kind"]
        verbose_name = _("kanal layanan")
        verbose_name_plural = _("kanal layanan")
        constraints = [
            models.UniqueConstraint(fields=["offering", "kind"], name="offering_channel_once")
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class CatalogImport(models.Model):
    """A file of offerings handed over by MPPI or a regional app, applied all or nothing."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Menunggu")
        CHECKING = "checking", _("Diperiksa")
        REJECTED = "rejected", _("Ditolak: tidak ada yang diimpor")
        DONE = "done", _("Selesai")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"
        TURTLE = "ttl", "CPSV-AP Turtle"
        JSONLD = "jsonld", "CPSV-AP JSON-LD"

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text=_("Kosong: impor nasional (admin nasional)."),
    )  # fmt: skip
    uploaded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, related_name="+"
    )
    filename = models.CharField(_("nama berkas"), max_length=200)
    format = models.CharField(_("format"), max_length=6, choices=Format.choices)
    file = models.FileField(_("berkas"), upload_to="catalog-imports/%Y/%m/")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    applied_rows = models.PositiveIntegerField(default=0)
    # [{"row": 3, "field": "channels", "message": "..."}]
    report = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("impor katalog")
        verbose_name_plural = _("impor katalog")

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def progress_percent(self) -> int:
        return round(100 * self.processed_rows / self.total_rows) if self.total_rows else 0
