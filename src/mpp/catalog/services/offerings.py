"""What each region offers: its agencies, offerings, channels and overrides; onboarding."""

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from mpp.catalog.models import (
    Agency,
    AgencyKind,
    Channel,
    Offering,
    OfferingChannel,
    ServiceTemplate,
)
from mpp.catalog.validation import (
    clean_channel_kinds,
    clean_duration,
    clean_tariffs,
    clean_web_url,
    is_not_longer,
)
from mpp.core.errors import InvalidInput, NotFound
from mpp.core.roles import Perm
from mpp.core.tenancy import require_region
from mpp.regions.models import MppSite, Region


@dataclass(frozen=True)
class ChannelSpec:
    kind: str
    url: str = ""
    site_id: int | None = None
    notes: str = ""


@dataclass(frozen=True)
class OnboardResult:
    created: int
    existing: int


def _kabkota(region_code: str) -> Region:
    region = Region.objects.filter(code=region_code, level=Region.Level.KABKOTA).first()
    if region is None:
        raise NotFound(
            _("Kabupaten/kota dengan kode %(code)s tidak ditemukan.") % {"code": region_code},
            field="region",
        )
    return region


def agency_name(kind: AgencyKind, region: Region) -> str:
    label = kind.short_name or kind.name
    if kind.level == AgencyKind.Level.REGIONAL:
        return f"{label} {region.name}"
    return f"{label} ({region.name})"  # a vertical office or company serving the region


@transaction.atomic
def ensure_agency(*, actor: Any | None, region_code: str, kind_slug: str, name: str = "") -> Agency:
    """The region's office of that kind, created on first use (idempotent)."""
    if actor is not None:
        require_region(actor, Perm.MANAGE_OFFERINGS, region_code)
    region = _kabkota(region_code)
    kind = AgencyKind.objects.filter(slug=kind_slug).first()
    if kind is None:
        raise InvalidInput(_("Jenis instansi tidak dikenal."), field="agency")
    agency, created = Agency.objects.get_or_create(
        region=region, kind=kind, defaults={"name": name or agency_name(kind, region)}
    )
    if created:
        agency.service_area.add(region)
    elif name and agency.name != name:
        agency.name = name
        agency.save(update_fields=["name", "updated_at"])
    return agency


@transaction.atomic
def update_agency(*, actor: Any | None, agency_id: int, name: str, is_active: bool) -> Agency:
    """Rename or (de)activate a region's agency."""
    agency = Agency.objects.select_for_update().filter(pk=agency_id).first()
    if agency is None:
        raise NotFound(_("Instansi tidak ditemukan."))
    if actor is not None:
        require_region(actor, Perm.MANAGE_OFFERINGS, agency.region_id)
    if not name.strip():
        raise InvalidInput(_("Nama instansi wajib diisi."), field="name")
    agency.name, agency.is_active = name.strip(), is_active
    agency.save(update_fields=["name", "is_active", "updated_at"])
    return agency


def _clean_channels(region: Region, channels: list[ChannelSpec]) -> list[ChannelSpec]:
    clean_channel_kinds([channel.kind for channel in channels])
    for channel in channels:
        if channel.kind == Channel.LINK_OUT and not channel.url:
            raise InvalidInput(
                _("Kanal aplikasi instansi wajib mempunyai alamat web."), field="channels"
            )
        if (
            channel.site_id is not None
            and not MppSite.objects.filter(pk=channel.site_id, region=region).exists()
        ):
            raise InvalidInput(_("Lokasi MPP bukan milik wilayah ini."), field="channels")
        clean_web_url(channel.url, field="channels")
    return channels


def check_offering(
    *,
    actor: Any | None,
    region_code: str,
    template_slug: str,
    channels: list[ChannelSpec],
    tariffs_override: list[dict[str, Any]] | None = None,
    duration_value_override: int | None = None,
    duration_unit_override: str = "",
) -> tuple[Region, ServiceTemplate, list[dict[str, Any]] | None]:
    """Validate an offering; returns its region, template and cleaned tariffs, or raises."""
    if actor is not None:
        require_region(actor, Perm.MANAGE_OFFERINGS, region_code)
    region = _kabkota(region_code)
    template = (
        ServiceTemplate.objects.select_related("current_version", "agency_kind")
        .filter(slug=template_slug)
        .first()
    )
    if template is None:
        raise NotFound(_("Layanan nasional tidak ditemukan."), field="service")
    national = template.current_version
    if national is None:
        raise InvalidInput(
            _("Layanan ini belum mempunyai standar yang terbit; belum dapat ditawarkan."),
            field="template",
        )
    if tariffs_override is not None:
        tariffs_override = clean_tariffs(tariffs_override, field="tariffs_override")
    if duration_value_override is not None:
        value, unit = clean_duration(
            duration_value_override, duration_unit_override, field="duration_override"
        )
        if national.duration_value and not is_not_longer(
            value, unit, national.duration_value, national.duration_unit
        ):
            raise InvalidInput(
                _("Jangka waktu daerah tidak boleh lebih lama dari standar nasional."),
                field="duration_override",
            )
    _clean_channels(region, channels)
    return region, template, tariffs_override


@transaction.atomic
def save_offering(
    *,
    actor: Any | None,
    region_code: str,
    template_slug: str,
    channels: list[ChannelSpec],
    agency_kind: str | None = None,
    tariffs_override: list[dict[str, Any]] | None = None,
    duration_value_override: int | None = None,
    duration_unit_override: str = "",
    notes: str = "",
    is_active: bool = True,
) -> Offering:
    """Offer a published national template in a region (or change the offer). Overrides left
    empty inherit the national standard."""
    region, template, tariffs_override = check_offering(
        actor=actor,
        region_code=region_code,
        template_slug=template_slug,
        channels=channels,
        tariffs_override=tariffs_override,
        duration_value_override=duration_value_override,
        duration_unit_override=duration_unit_override,
    )
    agency = ensure_agency(
        actor=None, region_code=region.code, kind_slug=agency_kind or template.agency_kind.slug
    )
    offering, _created = Offering.objects.update_or_create(
        region=region,
        template=template,
        defaults={
            "agency": agency,
            "is_active": is_active,
            "tariffs_override": tariffs_override,
            "duration_value_override": duration_value_override,
            "duration_unit_override": duration_unit_override if duration_value_override else "",
            "notes": notes,
        },
    )
    offering.channels.all().delete()
    OfferingChannel.objects.bulk_create(
        OfferingChannel(
            offering=offering,
            region=region,
            kind=c.kind,
            url=c.url,
            site_id=c.site_id,
            notes=c.notes,
        )
        for c in channels
    )
    return offering


def default_channels(template: ServiceTemplate, building: MppSite | None) -> list[ChannelSpec]:
    specs = []
    for kind in template.default_channels or [Channel.COUNTER]:
        if kind == Channel.LINK_OUT:
            specs.append(ChannelSpec(kind, url=template.link_out_url))
        elif kind == Channel.COUNTER:
            specs.append(ChannelSpec(kind, site_id=building.pk if building else None))
        else:
            specs.append(ChannelSpec(kind))
    return specs


@transaction.atomic
def onboard_region(*, actor: Any | None, region_code: str) -> OnboardResult:
    """Offer every published national template in a region, with the template's default
    channels. Offerings the region already has are left as the region set them."""
    if actor is not None:
        require_region(actor, Perm.MANAGE_OFFERINGS, region_code)
    region = _kabkota(region_code)
    building = MppSite.objects.filter(
        region=region, kind=MppSite.Kind.PHYSICAL, is_active=True
    ).first()
    templates = ServiceTemplate.objects.filter(current_version__isnull=False).select_related(
        "agency_kind"
    )
    existing = set(Offering.objects.filter(region=region).values_list("template_id", flat=True))
    created = 0
    for template in templates:
        if template.pk in existing:
            continue
        save_offering(
            actor=None,
            region_code=region.code,
            template_slug=template.slug,
            channels=default_channels(template, building),
        )
        created += 1
    return OnboardResult(created=created, existing=len(existing))
