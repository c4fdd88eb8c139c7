"""Applications (permohonan): what a citizen files, the form it was filed on, its documents,
bundles of services for one life event, and the outputs an agency issues."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class FormDefinition(models.Model):
    """The form of a service template, as data (checked against `cases/formdefs/schema.json`).

    Published definitions never change: an application keeps pointing at the one it was filed on.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        PUBLISHED = "published", _("Terbit")

    template = models.ForeignKey(
        "catalog.ServiceTemplate", on_delete=models.PROTECT, related_name="form_definitions"
    )
    number = models.PositiveIntegerField(_("versi"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    definition = models.JSONField(_("definisi formulir"))
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["template_id", "-number"]
        verbose_name = _("definisi formulir")
        verbose_name_plural = _("definisi formulir")
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="form_definition_unique")
        ]

    def __str__(self) -> str:
        return f"{self.template} · formulir v{self.number}"


class OfferingFormExtension(models.Model):
    """Fields a region adds to the national form of one of its offerings."""

    offering = models.OneToOneField(
        "catalog.Offering", on_delete=models.CASCADE, related_name="form_extension"
    )
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    fields = models.JSONField(_("isian tambahan daerah"), default=list)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("isian tambahan daerah")
        verbose_name_plural = _("isian tambahan daerah")

    def __str__(self) -> str:
        return str(self.offering)


def _document_path(instance: "Document", filename: str) -> str:
    # Never the uploader's file name: it may carry personal data or path tricks.
    return f"documents/{instance.created_at:%Y/%m}/{secrets.token_hex(16)}"


class Document(models.Model):
    """A file a citizen (or an officer for them) uploaded once; reusable across applications."""

    class Scan(models.TextChoices):
        PENDING = "pending", _("Menunggu pemindaian")
        CLEAN = "clean", _("Aman")
        INFECTED = "infected", _("Berbahaya")
        SKIPPED = "skipped", _("Tidak dipindai")

    owner = models.ForeignKey(
        "accounts.Citizen", on_delete=models.CASCADE, related_name="documents"
    )
    document_type = models.ForeignKey(
        "catalog.DocumentType", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    file = models.FileField(upload_to=_document_path, max_length=200)
    original_name = models.CharField(_("nama berkas"), max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    scan = models.CharField(max_length=10, choices=Scan.choices, default=Scan.PENDING)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("dokumen")
        verbose_name_plural = _("dokumen")

    def __str__(self) -> str:
        return self.original_name


class BundleDefinition(models.Model):
    """A life-event package national admins define: the services one submission opens, in order.

    `provided_later` names fields of a member form that an earlier member's result fills (the
    child's NIK comes with the new KK): the bundle form does not ask them.
    """

    slug = models.SlugField(unique=True)
    name = models.CharField(_("nama"), max_length=120)
    name_en = models.CharField(_("nama (Inggris)"), max_length=120, blank=True)
    life_event = models.ForeignKey(
        "catalog.LifeEvent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bundle_definitions",
        verbose_name=_("peristiwa hidup"),
    )
    services = models.JSONField(
        _("layanan (slug, berurutan)"),
        default=list,
        help_text=_('mis. ["akta-kelahiran", "kk-perubahan-data", "kia"]'),
    )
    provided_later = models.JSONField(
        _("isian dari hasil layanan sebelumnya"),
        default=list,
        blank=True,
        help_text=_("Kunci isian yang tidak ditanyakan karena diisi dari hasil layanan lain."),
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("definisi paket layanan")
        verbose_name_plural = _("definisi paket layanan")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The name in the active language: `name_en` when English is active and it is set."""
        english = (get_language() or "").split("-")[0] == "en"
        return self.name_en if english and self.name_en else self.name


class Bundle(models.Model):
    """One submission for a life event that opens several services (birth: akta + KK + KIA)."""

    tracking = models.CharField(_("nomor lacak"), max_length=24, unique=True)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    applicant = models.ForeignKey(
        "accounts.Citizen", on_delete=models.PROTECT, related_name="bundles"
    )
    life_event = models.ForeignKey(
        "catalog.LifeEvent", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    definition = models.ForeignKey(
        BundleDefinition, on_delete=models.PROTECT, null=True, blank=True, related_name="bundles"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # HMAC of the tracking number and the last four NIK digits: the public status look-up.
    lookup_hash = models.CharField(max_length=64, blank=True)
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("paket layanan")
        verbose_name_plural = _("paket layanan")

    def __str__(self) -> str:
        return self.tracking


class Application(models.Model):
    """A permohonan for one regional offering. `version` guards every change (optimistic lock)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Diajukan")
        IN_PROGRESS = "in_progress", _("Diproses")
        NEEDS_CORRECTION = "needs_correction", _("Perlu perbaikan")
        APPROVED = "approved", _("Selesai — disetujui")
        REJECTED = "rejected", _("Ditolak")
        CANCELLED = "cancelled", _("Dibatalkan")

    class Channel(models.TextChoices):
        ONLINE = "online", _("Daring")
        COUNTER = "counter", _("Loket (dibantu petugas)")
        LINK_OUT = "link_out", _("Aplikasi instansi")

    OPEN_STATUSES = (Status.SUBMITTED, Status.IN_PROGRESS, Status.NEEDS_CORRECTION)

    tracking = models.CharField(_("nomor lacak"), max_length=24, unique=True)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    offering = models.ForeignKey(
        "catalog.Offering", on_delete=models.PROTECT, related_name="applications"
    )
    standard_version = models.ForeignKey(
        "catalog.StandardVersion", on_delete=models.PROTECT, related_name="+"
    )
    form_definition = models.ForeignKey(
        FormDefinition, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    process = models.ForeignKey(
        "workflow.ProcessDefinition", on_delete=models.PROTECT, related_name="applications"
    )
    bundle = models.ForeignKey(
        Bundle, on_delete=models.PROTECT, null=True, blank=True, related_name="applications"
    )
    applicant = models.ForeignKey(
        "accounts.Citizen", on_delete=models.PROTECT, related_name="applications"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    data = models.JSONField(_("isian"), default=dict)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    version = models.PositiveIntegerField(default=1)
    # HMAC of the tracking number and the last four NIK digits: the public status look-up.
    lookup_hash = models.CharField(max_length=64)
    submitted_at = models.DateTimeField()
    due_at = models.DateTimeField(_("batas waktu"), null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    # While the citizen corrects, the clock stops: the working time left is kept here.
    remaining_seconds = models.BigIntegerField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("permohonan")
        verbose_name_plural = _("permohonan")
        indexes = [
            models.Index(fields=["applicant", "-submitted_at"], name="application_mine"),
            models.Index(fields=["region", "status"], name="application_region_status"),
        ]

    def __str__(self) -> str:
        return self.tracking

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class ApplicationDocument(models.Model):
    """A document attached to an application for one form field."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="attachments")
    field = models.CharField(max_length=60)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application_id", "field", "added_at"]
        verbose_name = _("lampiran")
        verbose_name_plural = _("lampiran")

    def __str__(self) -> str:
        return f"{self.application} · {self.field}"


class Draft(models.Model):
    """A form being filled in; saved as the citizen types, resumable on another device. Either
    one service's form (`offering`) or a life-event bundle's form in a region (`bundle`, `region`)."""

    applicant = models.ForeignKey("accounts.Citizen", on_delete=models.CASCADE, related_name="+")
    offering = models.ForeignKey(
        "catalog.Offering", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    bundle = models.ForeignKey(
        BundleDefinition, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    data = models.JSONField(default=dict)
    # The Idempotency-Key of the apply page that saved it: once that page's form is filed, the
    # draft is dead, even when a background save lands after filing removed it (cases/drafts.py).
    page_key = models.CharField(max_length=100, blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("draf permohonan")
        verbose_name_plural = _("draf permohonan")
        constraints = [
            models.UniqueConstraint(fields=["applicant", "offering"], name="draft_once"),
            models.UniqueConstraint(
                fields=["applicant", "region", "bundle"], name="bundle_draft_once"
            ),
            models.CheckConstraint(
                condition=Q(offering__isnull=False, bundle__isnull=True, region__isnull=True)
                | Q(offering__isnull=True, bundle__isnull=False, region__isnull=False),
                name="draft_of_one_form",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.applicant_id} · {self.offering_id or self.bundle_id}"


class IdempotencyRecord(models.Model):
    """One `Idempotency-Key` per user: the same key and body give back the same result."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    request_hash = models.CharField(max_length=64)
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    bundle = models.ForeignKey(
        Bundle, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_once")]
        indexes = [models.Index(fields=["created_at"], name="idempotency_created")]  # the purge

    def __str__(self) -> str:
        return self.key


class TrackingSequence(models.Model):
    """The last sequence number given out per region and day (tracking numbers)."""

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "day"], name="tracking_sequence_once")
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.day}: {self.last}"


class Output(models.Model):
    """A document an agency issued for an application; `/verify/{code}` confirms it.

    A revocation carries a public reason from a fixed list (shown on the verification page) and
    the officer's note (free text, may name people: for staff, the audit trail and the holder)."""

    class RevocationReason(models.TextChoices):
        DATA_ERROR = "kesalahan_data", _("Kesalahan data pada dokumen")
        REISSUED = "diterbitkan_ulang", _("Diterbitkan ulang (diganti dokumen baru)")
        HOLDER_REQUEST = "permintaan_pemegang", _("Atas permintaan pemegang dokumen")
        ANNULLED = "putusan_instansi", _("Putusan atau pembatalan oleh instansi berwenang")
        OTHER = "lainnya", _("Lainnya")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="outputs")
    code = models.CharField(max_length=24, unique=True)
    title = models.CharField(_("judul"), max_length=200)
    file = models.FileField(upload_to="outputs/%Y/%m/", max_length=200)
    sha256 = models.CharField(max_length=64)
    agency = models.ForeignKey("catalog.Agency", on_delete=models.PROTECT, related_name="+")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    issued_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_public_reason = models.CharField(
        _("alasan pencabutan (publik)"),
        max_length=24,
        choices=RevocationReason.choices,
        blank=True,
    )
    revoked_note = models.CharField(_("catatan pencabutan (internal)"), max_length=300, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("produk layanan")
        verbose_name_plural = _("produk layanan")

    def __str__(self) -> str:
        return self.title
