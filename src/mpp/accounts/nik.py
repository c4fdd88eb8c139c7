"""NIK checks: the number's shape (python-stdnum), its region prefix, and the birth date and sex
it encodes (day + 40 for women). Each kind of mistake gets its own message."""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.id import nik as stdnum_nik

from mpp.core.errors import InvalidInput
from mpp.regions.models import Region

FIELD = "nik"
# Region codes seen to exist, per process: a form with five NIK fields (mother, father, applicant,
# witnesses) asked the database five times for the same two codes. Regions are reference data
# and never deleted (PROTECT everywhere); unknown codes are not cached.
_KNOWN_REGIONS: set[str] = set()


def _known(codes: list[str]) -> set[str]:
    missing = [code for code in codes if code not in _KNOWN_REGIONS]
    if missing:
        _KNOWN_REGIONS.update(
            Region.objects.filter(code__in=missing).values_list("code", flat=True)
        )
    return _KNOWN_REGIONS.intersection(codes)


@dataclass(frozen=True)
class NikFacts:
    nik: str
    region_code: str  # the kabupaten/kota of issue, "35.10"
    birth_date: datetime.date
    sex: str  # "M" | "F"


def check_nik(
    raw: str, *, birth_date: datetime.date | None = None, sex: str | None = None
) -> NikFacts:
    """Validate a NIK; with `birth_date`/`sex`, also check they match what it encodes."""
    nik = stdnum_nik.compact(raw or "")
    if not (nik.isascii() and nik.isdigit()):
        raise InvalidInput(_("NIK hanya berisi angka."), field=FIELD)
    if len(nik) != 16:
        raise InvalidInput(
            _("NIK harus 16 angka; yang diisi %(n)s angka.") % {"n": len(nik)}, field=FIELD
        )
    province, kabkota = nik[:2], f"{nik[:2]}.{nik[2:4]}"
    known = _known([province, kabkota])
    if province not in known:
        raise InvalidInput(
            _("Kode provinsi %(code)s pada NIK tidak dikenal.") % {"code": province}, field=FIELD
        )
    if kabkota not in known:
        raise InvalidInput(
            _("Kode kabupaten/kota %(code)s pada NIK tidak dikenal.") % {"code": kabkota},
            field=FIELD,
        )
    try:
        encoded = stdnum_nik.get_birth_date(nik)
    except StdnumError:
        raise InvalidInput(_("Tanggal lahir pada NIK tidak mungkin."), field=FIELD) from None
    encoded_sex = "F" if int(nik[6:8]) > 40 else "M"
    if encoded > datetime.date.today():
        raise InvalidInput(_("Tanggal lahir pada NIK ada di masa depan."), field=FIELD)
    if birth_date is not None and (encoded.day, encoded.month, encoded.year % 100) != (
        birth_date.day, birth_date.month, birth_date.year % 100,
    ):  # fmt: skip
        raise InvalidInput(
            _("Tanggal lahir tidak sesuai dengan NIK (NIK menyebut %(date)s).")
            % {"date": encoded.strftime("%d-%m-%y")},
            field="birth_date",
        )
    if sex is not None and sex != encoded_sex:
        raise InvalidInput(
            _("Jenis kelamin tidak sesuai dengan NIK (tanggal lahir perempuan ditambah 40)."),
            field="sex",
        )
    return NikFacts(nik=nik, region_code=kabkota, birth_date=birth_date or encoded, sex=encoded_sex)
