"""National templates and their versioned Standar Pelayanan."""

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from mpp.catalog.models import (
    AgencyKind,
    DocumentType,
    LifeEvent,
    PriorityTag,
    Requirement,
    ServiceTemplate,
    StandardVersion,
)
from mpp.catalog.validation import (
    clean_channel_kinds,
    clean_duration,
    clean_tariffs,
    clean_texts,
    clean_web_url,
)
from mpp.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from mpp.core.roles import Perm
from mpp.core.tenancy import scope_for
from mpp.core.text import fold

# The fields a draft may change; the public ones are checked again at publishing.
VERSION_FIELDS = (
    "procedure", "duration_value", "duration_unit", "tariffs", "output", "complaints",
    "legal_basis", "facilities", "staff_competence", "internal_supervision", "staff_count",
    "service_guarantee", "security_guarantee", "performance_evaluation", "sources",
    "demo_fields", "notes",
)  # fmt: skip


def _require_national_admin(actor: Any | None) -> None:
    if actor is not None and not scope_for(actor, Perm.MANAGE_TEMPLATES).everywhere:
        raise Forbidden(_("Hanya admin nasional yang dapat mengubah layanan nasional."))


def template_search_text(template: ServiceTemplate, agency_kind: AgencyKind) -> str:
    parts = [template.name, template.name_en, agency_kind.name, agency_kind.short_name]
    return fold(" ".join([*parts, *template.common_names]))


@transaction.atomic
def save_template(
    *,
    actor: Any | None,
    slug: str,
    name: str,
    agency_kind: str,
    name_en: str = "",
    life_events: list[str] = (),  # type: ignore[assignment]
    priority_tags: list[str] = (),  # type: ignore[assignment]
    common_names: list[str] = (),  # type: ignore[assignment]
    default_channels: list[str] = (),  # type: ignore[assignment]
    link_out_url: str = "",
    min_assurance_level: int = 1,
) -> ServiceTemplate:
    """Create or update a national template's identity (its standard lives in versions)."""
    _require_national_admin(actor)
    kind = AgencyKind.objects.filter(slug=agency_kind).first()
    if kind is None:
        raise InvalidInput(_("Jenis instansi tidak dikenal."), field="agency_kind")
    if not name.strip():
        raise InvalidInput(_("Nama layanan wajib diisi."), field="name")
    common_names = clean_texts(list(common_names), field="common_names") if common_names else []
    default_channels = clean_channel_kinds(list(default_channels)) if default_channels else []
    link_out_url = clean_web_url(link_out_url, field="link_out_url")
    if "link_out" in default_channels and not link_out_url:
        raise InvalidInput(
            _("Kanal aplikasi instansi wajib mempunyai alamat web."), field="link_out_url"
        )
    if min_assurance_level not in (1, 2, 3):
        raise InvalidInput(_("Tingkat identitas harus 1, 2, atau 3."), field="min_assurance_level")
    template, _created = ServiceTemplate.objects.update_or_create(
        slug=slug,
        defaults={
            "name": name.strip(),
            "name_en": name_en,
            "agency_kind": kind,
            "common_names": list(common_names),
            "default_channels": list(default_channels),
            "link_out_url": link_out_url,
            "min_assurance_level": min_assurance_level,
        },
    )
    template.search_text = template_search_text(template, kind)
    template.save(update_fields=["search_text"])
    template.life_events.set(LifeEvent.objects.filter(slug__in=life_events))
    template.priority_tags.set(PriorityTag.objects.filter(slug__in=priority_tags))
    return template


@transaction.atomic
def create_draft_version(*, actor: Any | None, template: ServiceTemplate) -> StandardVersion:
    """A new draft, copied from the newest version so an edit starts from what is in force."""
    _require_national_admin(actor)
    ServiceTemplate.objects.select_for_update().filter(pk=template.pk).first()
    if template.versions.filter(status=StandardVersion.Status.DRAFT).exists():
        raise Conflict(_("Layanan ini sudah mempunyai draf; ubah draf itu."))
    latest = template.versions.order_by("-number").first()
    number = (template.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    fields = {name: getattr(latest, name) for name in VERSION_FIELDS} if latest else {}
    draft = StandardVersion.objects.create(template=template, number=number, **fields)
    if latest:
        Requirement.objects.bulk_create(
            Requirement(
                version=draft,
                position=r.position,
                document_type_id=r.document_type_id,
                description=r.description,
            )
            for r in latest.requirements.all()
        )
    return draft


def _draft(version_id: int) -> StandardVersion:
    version = StandardVersion.objects.select_for_update().filter(pk=version_id).first()
    if version is None:
        raise NotFound(_("Versi standar tidak ditemukan."))
    if version.status != StandardVersion.Status.DRAFT:
        raise Conflict(_("Versi yang sudah terbit tidak dapat diubah; buat draf baru."))
    return version


@transaction.atomic
def update_draft_version(
    *, actor: Any | None, version: StandardVersion, **fields: Any
) -> StandardVersion:
    _require_national_admin(actor)
    unknown = set(fields) - set(VERSION_FIELDS)
    if unknown:
        raise InvalidInput(_("Komponen tidak dikenal: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    draft = _draft(version.pk)
    if fields.get("tariffs"):  # a draft may still lack them; publishing insists
        fields["tariffs"] = clean_tariffs(fields["tariffs"])
    for name in ("procedure", "sources", "demo_fields"):
        if name in fields:
            fields[name] = clean_texts(fields[name], field=name) if fields[name] else []
    for name, value in fields.items():
        setattr(draft, name, value)
    draft.save()
    return draft


def document_type_for(name: str) -> DocumentType:
    slug = slugify(name)[:80] or "dokumen"
    document_type, _created = DocumentType.objects.get_or_create(slug=slug, defaults={"name": name})
    return document_type


@transaction.atomic
def set_requirements(
    *, actor: Any | None, version: StandardVersion, items: list[tuple[str | None, str]]
) -> None:
    """Replace a draft's requirements: (document type name or None for a condition, text)."""
    _require_national_admin(actor)
    draft = _draft(version.pk)
    rows = []
    for position, (document, description) in enumerate(items):
        if not description.strip():
            raise InvalidInput(_("Keterangan persyaratan wajib diisi."), field="requirements")
        document_type = document_type_for(document) if document else None
        rows.append(
            Requirement(
                version=draft,
                position=position,
                document_type=document_type,
                description=description.strip()[:300],
            )
        )
    draft.requirements.all().delete()
    Requirement.objects.bulk_create(rows)


def missing_public_components(version: StandardVersion) -> list[str]:
    """The public components (UU 25/2009 Pasal 21) a version still lacks."""
    missing = []
    if not version.requirements.exists():
        missing.append("requirements")
    if not [step for step in version.procedure if str(step).strip()]:
        missing.append("procedure")
    if not version.duration_value or not version.duration_unit:
        missing.append("duration")
    if not version.tariffs:
        missing.append("tariffs")
    if not version.output.strip():
        missing.append("output")
    if not version.complaints.strip():
        missing.append("complaints")
    return missing


@transaction.atomic
def publish_version(
    *, actor: Any | None, version: StandardVersion, effective_from: datetime.date | None = None
) -> StandardVersion:
    """Publish a complete draft; it takes effect on `effective_from` (default: today)."""
    _require_national_admin(actor)
    draft = _draft(version.pk)
    missing = missing_public_components(draft)
    if missing:
        raise InvalidInput(
            _("Standar belum lengkap; komponen publik yang kosong: %(missing)s.")
            % {"missing": ", ".join(missing)},
            field=missing[0],
        )
    clean_duration(draft.duration_value, draft.duration_unit)
    draft.tariffs = clean_tariffs(draft.tariffs)
    draft.status = StandardVersion.Status.PUBLISHED
    draft.published_at = timezone.now()
    draft.effective_from = effective_from or timezone.localdate()
    draft.save()
    refresh_current_version(template=draft.template)
    return draft


@transaction.atomic
def refresh_current_version(
    *, template: ServiceTemplate, today: datetime.date | None = None
) -> None:
    """Point the template at its newest published version already in force. The row is locked,
    so a daily refresh and a publication cannot undo each other."""
    today = today or timezone.localdate()
    locked = ServiceTemplate.objects.select_for_update().filter(pk=template.pk).first()
    current = (
        template.versions.filter(status=StandardVersion.Status.PUBLISHED, effective_from__lte=today)
        .order_by("-effective_from", "-number")
        .first()
    )
    if locked is not None and locked.current_version_id != (current.pk if current else None):
        # updated_at too: what is kept of the template (catalogue answers, filing contexts)
        # is checked against it.
        ServiceTemplate.objects.filter(pk=template.pk).update(
            current_version=current, updated_at=timezone.now()
        )
    template.current_version = current
