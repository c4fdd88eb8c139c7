"""One cleaner per field type: raw JSON-ish input -> a normalised value, or `Bad` with a message.

Cleaners never see an empty value (the caller decides what empty means for "required") and
never raise anything but `Bad`: any shape of input is someone's typo, not a server error.
"""

import datetime
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from mpp.accounts.nik import check_nik
from mpp.core.errors import InvalidInput
from mpp.regions.models import Region
from mpp.regions.reference import official_district

TEXT_MAX = {"text": 200, "textarea": 2000}
ADDRESS_LIMITS = {"street": 200, "rt_rw": 20, "village": 100, "district": 100, "region": 5}
ADDRESS_REQUIRED = ("street", "village", "district", "region")


class Bad(Exception):
    def __init__(self, message: str, code: str, part: str | None = None) -> None:
        super().__init__(message)
        self.message, self.code, self.part = message, code, part


class BadParts(Exception):
    """Several parts of one value are wrong (an address): each reported at its own path."""

    def __init__(self, problems: list[Bad]) -> None:
        super().__init__(problems[0].message)
        self.problems = problems


@dataclass
class Context:
    region_code: str | None
    kabkota: dict[str, bool]  # region code -> known kab/kota (one query per code per submission)

    def is_kabkota(self, code: str) -> bool:
        if code in _KNOWN_KABKOTA:
            return True
        if code not in self.kabkota:
            self.kabkota[code] = Region.objects.filter(
                code=code, level=Region.Level.KABKOTA
            ).exists()
            if self.kabkota[code]:
                _KNOWN_KABKOTA.add(code)
        return self.kabkota[code]


# Kabupaten/kota codes seen to exist, per process: regions are reference data, never deleted
# (PROTECT everywhere); unknown codes are asked again every time.
_KNOWN_KABKOTA: set[str] = set()


def is_empty(raw: Any) -> bool:
    if raw is None or raw is False:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    if isinstance(raw, list):
        return all(is_empty(item) for item in raw)
    if isinstance(raw, dict):
        return all(is_empty(item) for item in raw.values())
    return False


def _scalar_text(raw: Any) -> str:
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        raise Bad(_("Isian harus berupa teks."), "invalid")
    return str(raw).replace("\x00", "").strip()  # PostgreSQL refuses NUL inside JSON text


def _text(field: dict[str, Any], raw: Any, ctx: Context) -> str:
    value = _scalar_text(raw).replace("\r\n", "\n")
    if field["type"] == "text":
        value = " ".join(value.split())
    limit = field.get("max_length", TEXT_MAX[field["type"]])
    if len(value) > limit:
        raise Bad(_("Maksimal %(n)s karakter; yang diisi %(m)s.") % {"n": limit, "m": len(value)},
                  "too_long")  # fmt: skip
    if field.get("pattern") and not re.fullmatch(field["pattern"], value):
        raise Bad(_("Format isian tidak sesuai."), "pattern")
    return value


NUMBER = re.compile(r"[+-]?\d{1,15}([.,]\d{1,10})?")


def _number(field: dict[str, Any], raw: Any, ctx: Context) -> int | float:
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        raise Bad(_("Isian harus berupa angka."), "number")
    if isinstance(raw, str):
        text = raw.strip().replace(" ", "")
        if not NUMBER.fullmatch(text):
            raise Bad(_("Isian harus berupa angka."), "number")
        raw = float(text.replace(",", ".")) if re.search(r"[.,]", text) else int(text)
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise Bad(_("Isian harus berupa angka."), "number")
        if raw.is_integer() and abs(raw) < 2**53:
            raw = int(raw)
    if field.get("integer") and not isinstance(raw, int):
        raise Bad(_("Isian harus bilangan bulat."), "integer")
    if "min" in field and raw < field["min"]:
        raise Bad(_("Paling kecil %(n)s.") % {"n": field["min"]}, "min")
    if "max" in field and raw > field["max"]:
        raise Bad(_("Paling besar %(n)s.") % {"n": field["max"]}, "max")
    return raw


DATE_FORMATS = (r"(\d{4})-(\d{2})-(\d{2})", r"(\d{2})[-/](\d{2})[-/](\d{4})")


def _date(field: dict[str, Any], raw: Any, ctx: Context) -> str:
    text = _scalar_text(raw)
    day = None
    for position, pattern in enumerate(DATE_FORMATS):
        match = re.fullmatch(pattern, text)
        if match:
            parts = [int(p) for p in match.groups()]
            y, m, d = parts if position == 0 else parts[::-1]
            try:
                day = datetime.date(y, m, d)
            except ValueError:
                raise Bad(_("Tanggal tidak ada di kalender."), "date") from None
    if day is None:
        raise Bad(_("Tulis tanggal sebagai TTTT-BB-HH, misalnya 2024-08-17."), "date")
    if field.get("not_future") and day > timezone.localdate():
        raise Bad(_("Tanggal tidak boleh di masa depan."), "not_future")
    return day.isoformat()


def _time(field: dict[str, Any], raw: Any, ctx: Context) -> str:
    match = re.fullmatch(r"([01]?\d|2[0-3])[:.]([0-5]\d)(:[0-5]\d)?", _scalar_text(raw))
    if not match:
        raise Bad(_("Tulis jam sebagai JJ:MM, misalnya 07:45."), "time")
    return f"{int(match[1]):02d}:{match[2]}"


def _choice(field: dict[str, Any], raw: Any, ctx: Context) -> str | list[str]:
    allowed = [o["value"] for o in field["options"]]
    picked = raw if isinstance(raw, list) else [raw]
    if not field.get("multiple") and len(picked) != 1:
        raise Bad(_("Pilih satu opsi saja."), "choice")
    values = {_scalar_text(item) for item in picked if not is_empty(item)}
    if not values <= set(allowed):
        raise Bad(_("Pilih salah satu opsi yang tersedia."), "choice")
    ordered = [value for value in allowed if value in values]
    return ordered if field.get("multiple") else ordered[0]


def _nik(field: dict[str, Any], raw: Any, ctx: Context) -> str:
    try:
        return check_nik(_scalar_text(raw), sex=field.get("sex")).nik
    except InvalidInput as exc:
        raise Bad(str(exc.message), "nik") from None


def _phone(field: dict[str, Any], raw: Any, ctx: Context) -> str:
    try:
        number = phonenumbers.parse(_scalar_text(raw), "ID")
    except phonenumbers.NumberParseException:
        raise Bad(_("Nomor telepon tidak dapat dibaca."), "phone") from None
    if not phonenumbers.is_valid_number(number):
        raise Bad(_("Nomor telepon tidak sah."), "phone")
    if phonenumbers.region_code_for_number(number) != "ID":
        raise Bad(_("Gunakan nomor telepon Indonesia (+62)."), "phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _email(field: dict[str, Any], raw: Any, ctx: Context) -> str:
    value = _scalar_text(raw)
    try:
        validate_email(value)
    except ValidationError:
        raise Bad(_("Alamat email tidak sah."), "email") from None
    local, _sep, domain = value.rpartition("@")
    return f"{local}@{domain.lower()}"


def _document_id(raw: Any) -> int:
    if isinstance(raw, str) and raw.strip().isdecimal() and len(raw.strip()) < 19:
        raw = int(raw.strip())
    if isinstance(raw, bool) or not isinstance(raw, int) or not 0 < raw < 2**63:
        raise Bad(_("Lampiran tidak dikenali."), "invalid")
    return raw


def _file(field: dict[str, Any], raw: Any, ctx: Context) -> int | list[int]:
    if not field.get("multiple"):
        return _document_id(raw)
    ids = raw if isinstance(raw, list) else [raw]
    return list(dict.fromkeys(_document_id(item) for item in ids if not is_empty(item)))


TRUE, FALSE = {"true", "on", "1", "ya", "yes"}, {"false", "off", "0", "tidak", "no", ""}


def _checkbox(field: dict[str, Any], raw: Any, ctx: Context) -> bool:
    if isinstance(raw, bool):
        return raw
    text = _scalar_text(raw).lower()
    if text in TRUE | FALSE:
        return text in TRUE
    raise Bad(_("Centang atau kosongkan kotak ini."), "invalid")


def _address(field: dict[str, Any], raw: Any, ctx: Context) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise Bad(_("Alamat harus diisi per bagian."), "invalid")
    problems, value = [], {}
    for part, limit in ADDRESS_LIMITS.items():
        try:
            text = " ".join(_scalar_text(raw.get(part) or "").split())
        except Bad as bad:
            problems.append(Bad(bad.message, bad.code, part))
            continue
        if not text:
            if part in ADDRESS_REQUIRED:
                problems.append(Bad(_("Wajib diisi."), "required", part))
            continue
        if len(text) > limit:
            problems.append(Bad(_("Maksimal %(n)s karakter.") % {"n": limit}, "too_long", part))
            continue
        value[part] = text
    if "rt_rw" in value:
        match = re.fullmatch(r"(\d{1,3})\s*/\s*(\d{1,3})", value["rt_rw"])
        if match:
            value["rt_rw"] = f"{int(match[1]):03d}/{int(match[2]):03d}"
        else:
            problems.append(Bad(_("Tulis RT/RW seperti 003/005."), "pattern", "rt_rw"))
    region = value.get("region")
    if region and not ctx.is_kabkota(region):
        problems.append(Bad(_("Kabupaten/kota tidak dikenal."), "unknown_region", "region"))
    elif region and field.get("same_region") and ctx.region_code and region != ctx.region_code:
        message = _("Alamat harus di wilayah layanan ini (%(code)s).") % {"code": ctx.region_code}
        problems.append(Bad(message, "region_mismatch", "region"))
    elif region and "district" in value:
        official = official_district(region, value["district"])
        if official is None:
            message = _("Kecamatan ini tidak ada di kabupaten/kota yang dipilih.")
            problems.append(Bad(message, "unknown_district", "district"))
        else:
            value["district"] = official
    if problems:
        raise BadParts(problems)
    return value


CLEANERS: dict[str, Callable[[dict[str, Any], Any, Context], Any]] = {
    "text": _text,
    "textarea": _text,
    "number": _number,
    "date": _date,
    "time": _time,
    "choice": _choice,
    "nik": _nik,
    "phone": _phone,
    "email": _email,
    "file": _file,
    "checkbox": _checkbox,
    "address": _address,
}
