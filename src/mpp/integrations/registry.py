"""Adapters to systems outside the platform, each behind a typed interface."""

import datetime
from dataclasses import dataclass

from django.conf import settings

from mpp.core.registry import Plugin, PluginConfigError, Registry


@dataclass(frozen=True)
class RegistryRecord:
    full_name: str
    birth_date: datetime.date
    birth_place: str
    sex: str
    kk_number: str


@dataclass(frozen=True)
class FamilyRecord:
    """One person on a family card (KK); `relationship` is to the head of the family, with the
    KK's own words: kepala_keluarga, istri, suami, anak, orang_tua, mertua, cucu, famili_lain."""

    nik: str
    full_name: str
    birth_date: datetime.date
    sex: str
    relationship: str


class PopulationRegistry(Plugin):
    """Looks a NIK up in the population registry (Dukcapil). Called from background tasks only."""

    def look_up(self, nik: str) -> RegistryRecord | None:
        raise NotImplementedError

    def family(self, kk_number: str) -> list[FamilyRecord]:
        """Everybody on the family card `kk_number`; empty when the registry does not know it."""
        raise NotImplementedError


population_registries: Registry[PopulationRegistry] = Registry()


def population_registry() -> PopulationRegistry:
    name = settings.MPP_POPULATION_REGISTRY
    if name not in population_registries:
        raise PluginConfigError(f"MPP_POPULATION_REGISTRY={name!r} is not a registered adapter")
    return population_registries[name]
