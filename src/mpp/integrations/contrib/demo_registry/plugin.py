"""A synthetic population registry for demo mode and tests: deterministic made-up people.

Every valid NIK whose last four digits are below 5000 "exists"; its name comes from the NIK so
tests can predict it. The real Dukcapil web service would be another adapter with the same
interface, configured by MPP_POPULATION_REGISTRY.
"""

from django.conf import settings
from stdnum.id import nik as stdnum_nik

from mpp.core.registry import PluginConfigError
from mpp.integrations.registry import PopulationRegistry, RegistryRecord, population_registries

GIVEN = ["Siti", "Budi", "Ayu", "Agus", "Dewi", "Rudi", "Sri", "Joko", "Putri", "Adi"]
FAMILY = ["Aminah", "Santoso", "Lestari", "Wijaya", "Rahayu", "Saputra", "Wahyuni", "Hidayat"]


@population_registries.register("demo")
class DemoPopulationRegistry(PopulationRegistry):
    def look_up(self, nik: str) -> RegistryRecord | None:
        if not stdnum_nik.is_valid(nik) or int(nik[-4:]) >= 5000:
            return None
        serial = int(nik[-4:])
        day = int(nik[6:8])
        return RegistryRecord(
            full_name=f"{GIVEN[serial % 10]} {FAMILY[serial % 8]}",
            birth_date=stdnum_nik.get_birth_date(nik),
            birth_place="Banyuwangi" if nik.startswith("3510") else "Kota Demo",
            sex="F" if day > 40 else "M",
            kk_number=nik[:6] + "0101" + nik[-6:],
        )

    def check_config(self) -> None:
        if not (settings.MPP_DEMO or settings.DEBUG):
            raise PluginConfigError("the demo population registry is for demo mode only")
