"""The two catalogues: the national templates, and one kabupaten/kota's active offerings."""

from typing import Any, cast

from rdflib import Graph
from rdflib.namespace import DCTERMS as DCT

from mpp.catalog.models import Channel, OfferingChannel, StandardVersion
from mpp.catalog.opendata.facts import ChannelFacts, ServiceFacts, duration_or_none
from mpp.catalog.opendata.graph import CatalogGraph
from mpp.catalog.opendata.queries import list_published_offerings, list_published_templates
from mpp.catalog.opendata.vocab import INDONESIA, REGIONAL_DURATION, REGIONAL_TARIFF
from mpp.regions.models import Region


def national_catalog(*, base: str) -> Graph:
    """Every published national template, a service of its kind of agency across Indonesia."""
    builder = CatalogGraph(base=base)
    dataset = builder.dataset(
        path="catalog",
        title=("Katalog layanan nasional MPP Digital", "MPP Digital national service catalogue"),
        spatial=builder.authority(INDONESIA),
    )
    for template in list_published_templates():
        version = cast(StandardVersion, template.current_version)  # the query filters nulls out
        facts = ServiceFacts(
            uri=builder.uri(f"service/{template.slug}"),
            identifier=template.slug,
            template=template,
            version=version,
            tariffs=version.tariffs,
            tariffs_demo="tariffs" in version.demo_fields,
            duration=duration_or_none(version.duration_value, version.duration_unit),
            duration_demo="duration" in version.demo_fields,
            authority=builder.agency_kind(template.agency_kind),
            spatial=builder.authority(INDONESIA),
            channels=[
                ChannelFacts(kind, url=template.link_out_url if kind == Channel.LINK_OUT else "")
                for kind in template.default_channels
                if kind in Channel.values
            ],
        )
        builder.add(dataset, (DCT.hasPart, builder.service(facts, dataset)))
    return builder.graph


def _channel_facts(channel: OfferingChannel) -> ChannelFacts:
    site = channel.site
    where = [site.name, site.address] if site else []
    note = ", ".join(part for part in [*where, channel.notes] if part)
    return ChannelFacts(
        channel.kind, url=channel.url, note=note, is_demo=bool(site and site.is_demo)
    )


def regional_catalog(*, base: str, region: Region, page: str = "") -> Graph:
    """A kabupaten/kota's active offerings; `page` is the region's page for people. Values are
    the effective ones; those the region set itself are marked (cv:isClassifiedBy)."""
    builder = CatalogGraph(base=base)
    dataset = builder.dataset(
        path=f"catalog/{region.code}",
        title=(
            f"Katalog layanan MPP Digital {region.name}",
            f"MPP Digital service catalogue: {region.name}",
        ),
        spatial=builder.region(region),
        page=page,
    )
    for offering in list_published_offerings(region=region):
        template = offering.template
        version = cast(StandardVersion, template.current_version)  # the query filters nulls out
        own_tariffs: list[dict[str, Any]] | None = offering.tariffs_override
        own_duration = bool(offering.duration_value_override)
        duration = (
            duration_or_none(offering.duration_value_override, offering.duration_unit_override)
            if own_duration
            else duration_or_none(version.duration_value, version.duration_unit)
        )
        facts = ServiceFacts(
            uri=builder.uri(f"service/{region.code}/{template.slug}"),
            identifier=f"{region.code}/{template.slug}",
            template=template,
            version=version,
            tariffs=version.tariffs if own_tariffs is None else own_tariffs,
            tariffs_demo=own_tariffs is None and "tariffs" in version.demo_fields,
            duration=duration,
            duration_demo=not own_duration and "duration" in version.demo_fields,
            authority=builder.agency(offering.agency),
            spatial=builder.region(region),
            channels=[_channel_facts(channel) for channel in offering.channels.all()],
            notes=offering.notes,
            source=builder.uri(f"service/{template.slug}"),
            regional=(
                *((REGIONAL_TARIFF,) if own_tariffs is not None else ()),
                *((REGIONAL_DURATION,) if own_duration and duration else ()),
            ),
        )
        builder.add(dataset, (DCT.hasPart, builder.service(facts, dataset)))
    return builder.graph
