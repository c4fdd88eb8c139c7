"""Checks shared by the catalogue's services: tariffs, durations, channels."""

from typing import Any

from django.utils.translation import gettext as _

from mpp.catalog.models import Channel, DurationUnit
from mpp.core.errors import InvalidInput

MINUTES_PER_UNIT = {
    DurationUnit.MINUTES: 1,
    DurationUnit.HOURS: 60,
    DurationUnit.WORKING_DAYS: 8 * 60,  # a working day is 8 hours of service
    DurationUnit.DAYS: 24 * 60,
}


def clean_tariffs(tariffs: Any, *, field: str = "tariffs") -> list[dict[str, Any]]:
    """Each tariff: a label, an amount in Rupiah (0 = free; null = set by the regulation named)
    and the legal basis it rests on."""
    if not isinstance(tariffs, list) or not tariffs:
        raise InvalidInput(_("Biaya/tarif wajib diisi (tulis 0 bila gratis)."), field=field)
    cleaned = []
    for tariff in tariffs:
        if not isinstance(tariff, dict):
            raise InvalidInput(_("Setiap tarif harus berupa objek."), field=field)
        amount = tariff.get("amount_idr")
        if amount is not None and (isinstance(amount, bool) or not isinstance(amount, int)):
            raise InvalidInput(_("Tarif harus berupa bilangan bulat Rupiah."), field=field)
        if amount is not None and amount < 0:
            raise InvalidInput(_("Tarif tidak boleh negatif."), field=field)
        basis = str(tariff.get("legal_basis") or "").strip()
        if not basis:
            raise InvalidInput(_("Setiap tarif wajib menyebut dasar hukumnya."), field=field)
        cleaned.append(
            {
                "label": str(tariff.get("label") or "").strip(),
                "amount_idr": amount,
                "legal_basis": basis,
                "source": str(tariff.get("source") or ""),
            }
        )
    return cleaned


def clean_duration(value: Any, unit: Any, *, field: str = "duration") -> tuple[int, str]:
    if unit not in DurationUnit.values:
        raise InvalidInput(_("Satuan jangka waktu tidak dikenal."), field=field)
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise InvalidInput(_("Jangka waktu harus lebih dari nol."), field=field)
    return value, unit


def in_minutes(value: int, unit: str) -> int:
    return value * MINUTES_PER_UNIT[DurationUnit(unit)]


def clean_channel_kinds(kinds: list[str]) -> list[str]:
    unknown = [kind for kind in kinds if kind not in Channel.values]
    if unknown:
        raise InvalidInput(
            _("Kanal tidak dikenal: %(kinds)s.") % {"kinds": ", ".join(unknown)}, field="channels"
        )
    if not kinds:
        raise InvalidInput(_("Pilih minimal satu kanal layanan."), field="channels")
    if len(set(kinds)) != len(kinds):
        raise InvalidInput(_("Kanal yang sama disebut dua kali."), field="channels")
    return kinds
