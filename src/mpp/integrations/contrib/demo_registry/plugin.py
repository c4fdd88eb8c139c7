"""A synthetic population registry for demo mode and tests: deterministic made-up people.

Every valid NIK whose last four digits are below 5000 "exists"; its name comes from the NIK so
tests can predict it. Its family card (KK) number is the NIK reordered (region, serial, birth
date), so the card's members can be derived from the card alone: the person (head of the family
if a man, else the wife), a spouse, and one or two children, the first one born 26 years after
the person (a minor for people born after about 1993). Members get serials of 5000 and up, so
they are never looked up as registered people themselves. The real Dukcapil web service would
be another adapter with the same interface, configured by MPP_POPULATION_REGISTRY.
"""

import datetime

from django.conf import settings
from stdnum.id import nik as stdnum_nik

from mpp.core.registry import PluginConfigError
from mpp.integrations.registry import (
    FamilyRecord,
    PopulationRegistry,
    RegistryRecord,
    population_registries,
)

GIVEN = ["Siti", "Budi", "Ayu", "Agus", "Dewi", "Rudi", "Sri", "Joko", "Putri", "Adi"]
FAMILY = ["Aminah", "Santoso", "Lestari", "Wijaya", "Rahayu", "Saputra", "Wahyuni", "Hidayat"]


def kk_of(nik: str) -> str:
    return nik[:6] + nik[12:] + nik[6:12]


def _nik_of(kk: str) -> str:
    return kk[:6] + kk[10:] + kk[6:10]


def _name(serial: int) -> str:
    return f"{GIVEN[serial % 10]} {FAMILY[serial % 8]}"


def _member_nik(region: str, born: datetime.date, sex: str, serial: int) -> str:
    day = born.day + (40 if sex == "F" else 0)
    return f"{region}{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


@population_registries.register("demo")
class DemoPopulationRegistry(PopulationRegistry):
    def look_up(self, nik: str) -> RegistryRecord | None:
        if not stdnum_nik.is_valid(nik) or int(nik[-4:]) >= 5000:
            return None
        serial = int(nik[-4:])
        day = int(nik[6:8])
        return RegistryRecord(
            full_name=_name(serial),
            birth_date=stdnum_nik.get_birth_date(nik),
            birth_place="Banyuwangi" if nik.startswith("3510") else "Kota Demo",
            sex="F" if day > 40 else "M",
            kk_number=kk_of(nik),
        )

    def family(self, kk_number: str) -> list[FamilyRecord]:
        nik = _nik_of(kk_number) if len(kk_number) == 16 and kk_number.isdigit() else ""
        person = self.look_up(nik) if nik else None
        if person is None:
            return []
        serial, region, born = int(nik[-4:]), nik[:6], person.birth_date
        surname = FAMILY[serial % 8]
        mine = "kepala_keluarga" if person.sex == "M" else "istri"
        spouse_sex = "F" if person.sex == "M" else "M"
        members = [
            FamilyRecord(nik, person.full_name, born, person.sex, mine),
            self._member(region, serial, 1, born.replace(year=born.year - 2, day=1), spouse_sex,
                         "istri" if spouse_sex == "F" else "kepala_keluarga", surname),
        ]  # fmt: skip
        children = [(min(born.year + 26, 2019), "M"), (born.year + 14, "F")][: 1 + serial % 2]
        for number, (year, sex) in enumerate(children, start=2):
            birthday = datetime.date(year, 1 + (serial + number) % 12, 1 + (serial * number) % 28)
            members.append(self._member(region, serial, number, birthday, sex, "anak", surname))
        return members

    @staticmethod
    def _member(
        region: str, serial: int, number: int, born: datetime.date, sex: str, relation: str,
        surname: str,
    ) -> FamilyRecord:  # fmt: skip
        member_serial = 5000 + (serial * 4 + number) % 5000
        return FamilyRecord(
            nik=_member_nik(region, born, sex, member_serial),
            full_name=f"{GIVEN[(serial + number * 3) % 10]} {surname}",
            birth_date=born,
            sex=sex,
            relationship=relation,
        )

    def check_config(self) -> None:
        if not (settings.MPP_DEMO or settings.DEBUG):
            raise PluginConfigError("the demo population registry is for demo mode only")
