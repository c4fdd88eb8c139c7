"""The profile vault: attributes a citizen gives once and every service may reuse (with consent).

Each attribute has a source and a verified flag; a verified attribute is not overwritten by the
citizen: the change becomes a request an officer decides on. Every change is kept.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mpp.core.errors import InvalidInput

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise
from mpp.regions.models import Region


@dataclass(frozen=True)
class Attribute:
    key: str
    label: "StrOrPromise"
    check: Callable[[str], str] | None = None
    max_length: int = 200


def _digits16(value: str) -> str:
    digits = re.sub(r"\s", "", value)
    if not (digits.isascii() and digits.isdigit() and len(digits) == 16):
        raise InvalidInput(_("Nomor KK harus 16 angka."), field="kk_number")
    return digits


def _kabkota(value: str) -> str:
    if not Region.objects.filter(code=value, level=Region.Level.KABKOTA).exists():
        raise InvalidInput(_("Kode kabupaten/kota tidak dikenal."), field="address_region")
    return value


def _choice(field: str, options: tuple[str, ...]) -> Callable[[str], str]:
    def check(value: str) -> str:
        if value not in options:
            raise InvalidInput(
                _("Pilih salah satu: %(options)s.") % {"options": ", ".join(options)}, field=field
            )
        return value

    return check


MARITAL = ("belum_kawin", "kawin", "cerai_hidup", "cerai_mati")
ATTRIBUTES: dict[str, Attribute] = {
    a.key: a
    for a in [
        Attribute("full_name", gettext_lazy("Nama lengkap"), max_length=150),
        Attribute("birth_place", gettext_lazy("Tempat lahir"), max_length=100),
        Attribute("address_street", gettext_lazy("Alamat (jalan, nomor)")),
        Attribute("address_rt_rw", gettext_lazy("RT/RW"), max_length=20),
        Attribute("address_village", gettext_lazy("Desa/kelurahan"), max_length=100),
        Attribute("address_district", gettext_lazy("Kecamatan"), max_length=100),
        Attribute("address_region", gettext_lazy("Kabupaten/kota (kode)"), _kabkota, max_length=5),
        Attribute("kk_number", gettext_lazy("Nomor KK"), _digits16, max_length=20),
        Attribute(
            "marital_status", gettext_lazy("Status perkawinan"), _choice("marital_status", MARITAL)
        ),
        Attribute("occupation", gettext_lazy("Pekerjaan"), max_length=100),
        Attribute("education", gettext_lazy("Pendidikan terakhir"), max_length=100),
    ]
}


def field_labels() -> dict[str, str]:
    """What each profile key is called on pages: consents, receipts, the prefill question."""
    labels = {key: str(a.label) for key, a in ATTRIBUTES.items()}
    labels.update({"nik": "NIK", "birth_date": _("Tanggal lahir"),
                   "sex": _("Jenis kelamin"), "email": _("E-mail"), "phone": _("Nomor ponsel"),
                   "address": _("Alamat"),
                   "assurance_level": _("Tingkat kepastian identitas")})  # fmt: skip
    return labels


def clean_value(key: str, raw: str) -> str:
    attribute = ATTRIBUTES.get(key)
    if attribute is None:
        raise InvalidInput(_("Data profil tidak dikenal: %(key)s.") % {"key": key}, field=key)
    value = (raw or "").strip()
    if len(value) > attribute.max_length:
        raise InvalidInput(
            _("Terlalu panjang (maksimal %(n)s karakter).") % {"n": attribute.max_length}, field=key
        )
    if value and attribute.check:
        value = attribute.check(value)
    return value
