"""Checks shared by the catalogue's services: tariffs, durations, channels."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
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


DAY = 24 * 60


def _elapsed_bounds(value: int, unit: str) -> tuple[int, int]:
    """Shortest and longest elapsed time a duration can mean. A working day spans at least one
    calendar day and, across weekends and holidays, at most about two."""
    if unit == DurationUnit.WORKING_DAYS:
        return value * DAY, value * 2 * DAY
    if unit == DurationUnit.DAYS:
        return value * DAY, value * DAY
    minutes = in_minutes(value, unit)
    return minutes, minutes


def is_not_longer(value: int, unit: str, than_value: int, than_unit: str) -> bool:
    """True when (value, unit) can never take longer than (than_value, than_unit)."""
    if unit == than_unit:
        return value <= than_value
    return _elapsed_bounds(value, unit)[1] <= _elapsed_bounds(than_value, than_unit)[0]


_WEB_URL = URLValidator(schemes=["https", "http"])


def clean_web_url(url: str, *, field: str) -> str:
    """Only http(s) addresses: a javascript: link on a public page would run in citizens' browsers."""
    if not url:
        return url
    try:
        _WEB_URL(url)
    except ValidationError:
        raise InvalidInput(
            _("Alamat web harus diawali https:// atau http://."), field=field
        ) from None
    return url


def clean_texts(values: Any, *, field: str) -> list[str]:
    """A list of non-empty strings (procedure steps, colloquial names, source ids)."""
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        raise InvalidInput(_("Harus berupa daftar teks yang tidak kosong."), field=field)
    return [v.strip() for v in values]


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
