"""What one exported service says, its effective values already chosen (override or standard)."""

from dataclasses import dataclass
from typing import Any

from rdflib import URIRef

from mpp.catalog.models import ServiceTemplate, StandardVersion
from mpp.catalog.opendata.vocab import DURATIONS


@dataclass(frozen=True)
class ChannelFacts:
    kind: str
    url: str = ""
    note: str = ""  # where (site, address) and the region's note, as written (Indonesian)
    is_demo: bool = False


@dataclass(frozen=True)
class ServiceFacts:
    """One public service with its effective values (a region's override, else the standard)."""

    uri: URIRef
    identifier: str
    template: ServiceTemplate
    version: StandardVersion
    tariffs: list[dict[str, Any]]
    tariffs_demo: bool
    duration: tuple[int, str] | None
    duration_demo: bool
    authority: URIRef
    spatial: URIRef
    channels: list[ChannelFacts]
    notes: str = ""
    source: URIRef | None = None  # the national service a regional offering follows
    regional: tuple[str, ...] = ()  # REGIONAL_TARIFF, REGIONAL_DURATION: the region's own values


def duration_or_none(value: int | None, unit: str) -> tuple[int, str] | None:
    return (value, unit) if value and unit in DURATIONS else None
