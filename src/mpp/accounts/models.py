from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from oauth2_provider.settings import oauth2_settings

from mpp.core.roles import Role


class User(AbstractUser):
    """One account for citizens and staff alike; what staff may do comes from their role grants."""

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")


class RoleGrant(models.Model):
    """A staff role held in one kabupaten/kota (or nationwide for national admins); agency
    admins and agency officers work for one agency there."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants"
    )
    role = models.CharField(
        _("peran"), max_length=20, choices=[(r.value, r.label) for r in Role if r != Role.CITIZEN]
    )
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("wilayah"),
        limit_choices_to={"level": "kabkota"},
    )
    agency = models.ForeignKey(
        "catalog.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("instansi"),
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pemberian peran")
        verbose_name_plural = _("pemberian peran")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "region", "agency"], name="rolegrant_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(role="national_admin", region__isnull=True)
                | (~models.Q(role="national_admin") & models.Q(region__isnull=False)),
                name="rolegrant_region_matches_role",
            ),
            models.CheckConstraint(
                condition=models.Q(agency__isnull=True)
                | models.Q(role__in=["agency_admin", "agency_officer"]),
                name="rolegrant_agency_only_for_agency_roles",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.region_id or _('nasional')}"


class Citizen(models.Model):
    """A person known by NIK. NIK and phone are stored encrypted and found by keyed hash."""

    class Sex(models.TextChoices):
        MALE = "M", _("Laki-laki")
        FEMALE = "F", _("Perempuan")

    class Assurance(models.IntegerChoices):
        SELF_DECLARED = 1, _("Dinyatakan sendiri")
        IN_PERSON = 2, _("Diverifikasi petugas")
        REGISTRY = 3, _("Diverifikasi data kependudukan")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="citizen"
    )
    nik_cipher = models.TextField(editable=False)
    nik_hash = models.CharField(max_length=64, unique=True, editable=False)
    full_name = models.CharField(_("nama lengkap"), max_length=150)
    birth_date = models.DateField(_("tanggal lahir"))
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    phone_cipher = models.TextField(blank=True, editable=False)
    phone_hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("wilayah NIK")
    )
    assurance_level = models.PositiveSmallIntegerField(
        _("tingkat kepastian identitas"), choices=Assurance.choices, default=Assurance.SELF_DECLARED
    )
    contact_verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("warga")
        verbose_name_plural = _("warga")

    def __str__(self) -> str:
        return self.full_name

    @property
    def nik(self) -> str:
        from mpp.core.crypto import decrypt

        return decrypt(self.nik_cipher)

    @property
    def phone(self) -> str:
        from mpp.core.crypto import decrypt

        return decrypt(self.phone_cipher) if self.phone_cipher else ""

    @property
    def masked_nik(self) -> str:
        nik = self.nik
        return f"{nik[:6]}******{nik[-4:]}"


class ContactCode(models.Model):
    """A one-time code sent to an e-mail address or phone. Only its keyed hash is kept."""

    class Purpose(models.TextChoices):
        VERIFY = "verify", _("Verifikasi kontak")
        LOGIN = "login", _("Masuk")
        RECOVER = "recover", _("Pemulihan akses")

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS")
        WHATSAPP = "whatsapp", _("WhatsApp")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    destination_hash = models.CharField(max_length=64, db_index=True)
    code_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("kode sekali pakai")
        verbose_name_plural = _("kode sekali pakai")

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} · {self.get_channel_display()}"


class Source(models.TextChoices):
    SELF = "self", _("Diisi sendiri")
    REGISTRY = "registry", _("Data kependudukan")
    OFFICER = "officer", _("Petugas")
    DOCUMENT = "document", _("Dokumen resmi")


class ProfileValue(models.Model):
    """One attribute of a citizen's profile vault; the value is encrypted at rest."""

    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="profile_values")
    key = models.CharField(max_length=40)
    value_cipher = models.TextField()
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.SELF)
    verified = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["citizen", "key"], name="profile_value_once")
        ]
        verbose_name = _("data profil")
        verbose_name_plural = _("data profil")

    def __str__(self) -> str:
        return self.key


class ProfileChange(models.Model):
    """The history of the vault, and requests to correct a verified attribute."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Diterapkan")
        PENDING = "pending", _("Menunggu pemeriksaan petugas")
        REJECTED = "rejected", _("Ditolak")

    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="profile_changes")
    key = models.CharField(max_length=40)
    old_cipher = models.TextField(blank=True)
    new_cipher = models.TextField()
    source = models.CharField(max_length=10, choices=Source.choices)
    status = models.CharField(max_length=10, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("perubahan profil")
        verbose_name_plural = _("perubahan profil")

    def __str__(self) -> str:
        return f"{self.key} ({self.get_status_display()})"


class DataAccess(models.Model):
    """'Who used my data': every read of a citizen's personal data by an officer or an agency."""

    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="data_accesses")
    accessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    accessor_label = models.CharField(max_length=200)  # kept if the officer's account goes
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    purpose = models.CharField(_("keperluan"), max_length=200)
    fields = models.JSONField(_("data yang dibaca"), default=list)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("akses data pribadi")
        verbose_name_plural = _("akses data pribadi")

    def __str__(self) -> str:
        return f"{self.accessor_label} · {self.purpose}"


class IdentityCheck(models.Model):
    """How a citizen's identity was raised above self-declared: by whom, where, when, with what."""

    class Method(models.TextChoices):
        IN_PERSON = "in_person", _("Diperiksa petugas dengan dokumen asli")
        REGISTRY = "registry", _("Dicocokkan dengan data kependudukan")

    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="identity_checks")
    method = models.CharField(max_length=10, choices=Method.choices)
    level = models.PositiveSmallIntegerField(choices=Citizen.Assurance.choices)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    document = models.CharField(_("dokumen"), max_length=40, blank=True)
    registry = models.CharField(_("sumber data"), max_length=40, blank=True)
    result = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("pemeriksaan identitas")
        verbose_name_plural = _("pemeriksaan identitas")

    def __str__(self) -> str:
        return f"{self.get_method_display()} ({self.level})"


class Consent(models.Model):
    """The citizen agreed that an agency (or an agency app) may use these fields for this purpose."""

    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="consents")
    recipient = models.CharField(_("penerima"), max_length=200)  # agency or app, as shown
    agency = models.ForeignKey(
        "catalog.Agency", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    template = models.ForeignKey(
        "catalog.ServiceTemplate",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    client_id = models.CharField(max_length=100, blank=True)  # OIDC client, when an app asked
    fields = models.JSONField(_("data"), default=list)
    purpose = models.CharField(_("keperluan"), max_length=300)
    receipt = models.CharField(max_length=16, unique=True, editable=False)
    given_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-given_at"]
        verbose_name = _("persetujuan")
        verbose_name_plural = _("persetujuan")

    def __str__(self) -> str:
        return f"{self.recipient}: {self.purpose}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class ClientPolicy(models.Model):
    """What an agency app (OpenID Connect client) may ask for: the scopes its registration allows.

    A client without a policy gets `mpp.accounts.client_policy.DEFAULT_SCOPES`, never the NIK."""

    application = models.OneToOneField(
        oauth2_settings.APPLICATION_MODEL,
        on_delete=models.CASCADE,
        related_name="mpp_policy",
        swappable=False,  # the toolkit's own model; we never swap it
    )
    allowed_scopes = models.JSONField(_("cakupan data yang diizinkan"), default=list)
    agency = models.ForeignKey(
        "catalog.Agency",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("instansi pemilik aplikasi"),
    )

    class Meta:
        verbose_name = _("kebijakan aplikasi")
        verbose_name_plural = _("kebijakan aplikasi")

    def __str__(self) -> str:
        return " ".join(self.allowed_scopes)


class FamilyMember(models.Model):
    """A person on the citizen's family card (KK); the citizen may act for some of them (a
    parent for a minor child). The NIK is encrypted and found by keyed hash, like Citizen's."""

    class Relationship(models.TextChoices):
        HEAD = "kepala_keluarga", _("Kepala keluarga")
        WIFE = "istri", _("Istri")
        HUSBAND = "suami", _("Suami")
        CHILD = "anak", _("Anak")
        PARENT = "orang_tua", _("Orang tua")
        PARENT_IN_LAW = "mertua", _("Mertua")
        GRANDCHILD = "cucu", _("Cucu")
        OTHER = "famili_lain", _("Famili lain")

    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="family_members")
    nik_cipher = models.TextField(editable=False)
    nik_hash = models.CharField(max_length=64, editable=False)
    full_name = models.CharField(_("nama lengkap"), max_length=150)
    birth_date = models.DateField(_("tanggal lahir"))
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Citizen.Sex.choices)
    relationship = models.CharField(
        _("hubungan dalam KK"), max_length=20, choices=Relationship.choices
    )
    may_act_for = models.BooleanField(_("boleh diwakili"), default=False)
    source = models.CharField(
        max_length=10,
        choices=[
            (Source.REGISTRY.value, Source.REGISTRY.label),
            (Source.SELF.value, Source.SELF.label),
        ],
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["birth_date", "pk"]
        verbose_name = _("anggota keluarga")
        verbose_name_plural = _("anggota keluarga")
        constraints = [
            models.UniqueConstraint(fields=["citizen", "nik_hash"], name="family_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_relationship_display()})"

    @property
    def masked_nik(self) -> str:
        from mpp.core.crypto import decrypt

        nik = decrypt(self.nik_cipher)
        return f"{nik[:6]}******{nik[-4:]}"
