"""Every change to regions and MPP sites goes through here."""

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from mpp.core.errors import Conflict, InvalidInput, NotFound
from mpp.core.roles import Perm
from mpp.core.tenancy import require_region
from mpp.core.text import fold
from mpp.regions.models import MppSite, Region
from mpp.regions.reference import OfficialRegion, iter_official_regions

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


@dataclass(frozen=True)
class SyncResult:
    created: int
    updated: int


def region_search_text(name: str, code: str, province_name: str | None) -> str:
    return fold(" ".join(filter(None, [name, code.replace(".", " "), province_name])))


def sync_official_regions(
    *, regions: Iterable[OfficialRegion] | None = None, model: Any = Region
) -> SyncResult:
    """Create or rename provinces and kabupaten/kota to match the official list (idempotent).

    `model` lets the data migration pass its historical model; everybody else leaves it.
    """
    official = list(regions if regions is not None else iter_official_regions())
    names = {r.code: r.name for r in official}
    existing = {r.code: r for r in model.objects.all()}
    now = timezone.now()  # bulk_update skips auto_now; what is cached of regions checks it
    to_create, to_update = [], []
    for item in official:
        fields = {
            "name": item.name,
            "level": item.level,
            "kind": item.kind,
            "province_id": item.province_code,
            "search_text": region_search_text(
                item.name, item.code, names.get(item.province_code or "")
            ),
        }
        current = existing.get(item.code)
        if current is None:
            to_create.append(model(code=item.code, **fields))
        elif any(getattr(current, key) != value for key, value in fields.items()):
            for key, value in fields.items():
                setattr(current, key, value)
            current.updated_at = now
            to_update.append(current)
    with transaction.atomic():
        # Provinces precede their kabupaten/kota in `official`, so the FK target exists.
        model.objects.bulk_create(to_create, batch_size=500)
        model.objects.bulk_update(to_update, [*fields, "updated_at"], batch_size=500)
    return SyncResult(created=len(to_create), updated=len(to_update))


def _clean_opening_hours(hours: dict[str, Any]) -> dict[str, list[list[str]]]:
    if not isinstance(hours, dict):
        raise InvalidInput(_("Jam layanan harus berupa objek per hari."), field="opening_hours")
    cleaned: dict[str, list[list[str]]] = {}
    for day, spans in hours.items():
        if day not in WEEKDAYS:
            raise InvalidInput(
                _("Hari tidak dikenal: %(day)s (pakai mon…sun).") % {"day": day},
                field="opening_hours",
            )
        previous_close = ""
        ordered = []
        for span in sorted(spans or []):
            ok = isinstance(span, list | tuple) and len(span) == 2
            if not ok or not all(isinstance(t, str) and _TIME.match(t) for t in span):
                raise InvalidInput(
                    _('Jam layanan %(day)s harus berbentuk ["08:00", "15:00"].') % {"day": day},
                    field="opening_hours",
                )
            opens, closes = span
            if opens >= closes or opens < previous_close:
                raise InvalidInput(
                    _("Jam layanan %(day)s tumpang tindih atau tutup sebelum buka.") % {"day": day},
                    field="opening_hours",
                )
            previous_close = closes
            ordered.append([opens, closes])
        if ordered:
            cleaned[day] = ordered
    return cleaned


def refresh_region_coverage(*, region: Region) -> None:
    """Recompute when the region's physical and digital MPP went live, from its active sites."""
    live = MppSite.objects.filter(region=region, is_active=True, went_live_on__isnull=False)
    dates = {
        row["kind"]: row["first"]
        for row in live.values("kind").annotate(first=Min("went_live_on")).order_by()
    }
    Region.objects.filter(pk=region.pk).update(
        physical_live_on=dates.get(MppSite.Kind.PHYSICAL),
        digital_live_on=dates.get(MppSite.Kind.DIGITAL),
        updated_at=timezone.now(),  # what is cached of regions is checked against it
    )


def check_mpp_site(
    *,
    actor: Any | None,
    region_code: str,
    kind: str,
    name: str,
    address: str = "",
    url: str = "",
    opening_hours: dict[str, Any] | None = None,
    went_live_on: datetime.date | None = None,
    is_active: bool = True,
    is_demo: bool = False,
    source: str = "",
) -> tuple[Region, dict[str, Any]]:
    """Validate an MPP site; returns its kabupaten/kota and the cleaned fields, or raises."""
    if actor is not None:
        require_region(actor, Perm.MANAGE_SITES, region_code)
    region = Region.objects.filter(code=region_code, level=Region.Level.KABKOTA).first()
    if region is None:
        raise NotFound(
            _("Kabupaten/kota dengan kode %(code)s tidak ditemukan.") % {"code": region_code}
        )
    if kind not in MppSite.Kind.values:
        raise InvalidInput(_("Jenis lokasi MPP tidak dikenal."), field="kind")
    if not name.strip():
        raise InvalidInput(_("Nama lokasi wajib diisi."), field="name")
    if kind == MppSite.Kind.PHYSICAL and not address.strip():
        raise InvalidInput(_("MPP fisik wajib mempunyai alamat."), field="address")
    if kind == MppSite.Kind.DIGITAL and not url:
        raise InvalidInput(_("MPP digital wajib mempunyai alamat web."), field="url")
    return region, {
        "kind": kind,
        "name": name.strip(),
        "address": address.strip(),
        "url": url,
        "opening_hours": _clean_opening_hours(opening_hours or {}),
        "went_live_on": went_live_on,
        "is_active": is_active,
        "is_demo": is_demo,
        "source": source,
    }


@transaction.atomic
def save_mpp_site(*, actor: Any | None, site_id: int | None = None, **values: Any) -> MppSite:
    """Add or change an MPP site; `actor=None` is the system (commands, demo data).

    Adding a site whose region, kind and name already exist updates it, so loading twice is safe.
    """
    region, fields = check_mpp_site(actor=actor, **values)
    clash = MppSite.objects.filter(region=region, kind=fields["kind"], name=fields["name"])
    if site_id is None:
        site, _created = MppSite.objects.update_or_create(
            region=region, kind=fields["kind"], name=fields["name"], defaults=fields
        )
    else:
        locked = MppSite.objects.select_for_update().filter(pk=site_id, region=region).first()
        if locked is None:
            raise NotFound(_("Lokasi MPP tidak ditemukan."))
        site = locked
        if clash.exclude(pk=site_id).exists():
            raise Conflict(_("Sudah ada lokasi MPP dengan nama dan jenis ini."), field="name")
        for key, value in fields.items():
            setattr(site, key, value)
        site.save()
    refresh_region_coverage(region=region)
    return site
