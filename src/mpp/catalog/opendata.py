"""The service catalogue as open data in CPSV-AP 3.2.0 (EU Core Public Service Vocabulary
Application Profile): an rdflib graph, serialised to Turtle or JSON-LD.

One `dcat:Dataset` holds (`dct:hasPart`) a `cpsv:PublicService` per published national template
(the national catalogue) or per active offering of one kabupaten/kota, with the region's
overrides applied. Every URI hangs under the `base` the caller passes in (the request's absolute
root), never a domain written here. An export runs a fixed number of queries whatever its size.
"""

import json
from dataclasses import dataclass
from typing import Any, cast
from typing import Literal as TypingLiteral

from django.db.models import Prefetch, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, FOAF, RDF, SKOS, XSD
from rdflib.namespace import DCTERMS as DCT

from mpp.catalog.models import (
    Agency,
    AgencyKind,
    Channel,
    LifeEvent,
    Offering,
    OfferingChannel,
    Requirement,
    ServiceTemplate,
    StandardVersion,
)
from mpp.core.errors import NotFound
from mpp.regions.models import Region

CV = Namespace("http://data.europa.eu/m8g/")
CPSV = Namespace("http://purl.org/vocab/cpsv#")
LOCN = Namespace("http://www.w3.org/ns/locn#")
PREFIXES = {
    "cpsv": CPSV,
    "cv": CV,
    "dcat": DCAT,
    "dct": DCT,
    "foaf": FOAF,
    "locn": LOCN,
    "skos": SKOS,
    "xsd": XSD,
}
CPSV_AP = URIRef("https://semiceu.github.io/CPSV-AP/releases/3.2.0/")
# Nodes from the EU Publications Office authority tables, which CPSV-AP recommends.
EU = "http://publications.europa.eu/resource/authority/"
INDONESIA, RUPIAH, BAHASA = (
    URIRef(f"{EU}country/IDN"),
    URIRef(f"{EU}currency/IDR"),
    URIRef(f"{EU}language/IND"),
)
AUTHORITY_NODES = {
    INDONESIA: (DCT.Location, "Indonesia", "IDN"),
    RUPIAH: (SKOS.Concept, "Rupiah", "IDR"),
    BAHASA: (DCT.LinguisticSystem, "Bahasa Indonesia", "IND"),
}
CHANNEL_EN = {
    Channel.ONLINE: "Online at MPP Digital",
    Channel.INTEGRATED: "Online, processed by the agency's own system",
    Channel.LINK_OUT: "Online in the agency's own application",
    Channel.COUNTER: "Counter in the MPP building",
    Channel.MOBILE: "Mobile service",
}
# unit -> (ISO 8601 duration, Indonesian, English singular, English plural)
DURATIONS = {
    "minutes": ("PT{}M", "menit", "minute", "minutes"),
    "hours": ("PT{}H", "jam", "hour", "hours"),
    "working_days": ("P{}D", "hari kerja", "working day", "working days"),
    "days": ("P{}D", "hari kalender", "calendar day", "calendar days"),
}
WORKING_DAYS_ID = (
    "hari kerja adalah Senin–Jumat di luar hari libur nasional dan cuti bersama; "
    "nilai cv:processingTime {iso} menghitung hari kerja, bukan hari kalender"
)
WORKING_DAYS_EN = (
    "working days are Monday to Friday excluding national public holidays and "
    "cuti bersama (collective leave days); the cv:processingTime value {iso} "
    "counts working days, not calendar days"
)
DEMO_ID, DEMO_EN = " (nilai demo, bukan data resmi)", " (demo value, not official data)"

Format = TypingLiteral["turtle", "json-ld"]


def _requirements(path: str) -> Prefetch:
    queryset = Requirement.objects.select_related("document_type").order_by("position")
    return Prefetch(path, queryset=queryset)


def list_published_templates() -> QuerySet[ServiceTemplate]:
    """National templates with a standard in force, with everything the export reads."""
    return (
        ServiceTemplate.objects.filter(current_version__isnull=False)
        .select_related("current_version", "agency_kind")
        .prefetch_related(
            "life_events", "priority_tags", _requirements("current_version__requirements")
        )
        .order_by("slug")
    )


def list_published_offerings(*, region: Region) -> QuerySet[Offering]:
    """A region's active offerings of templates with a standard in force."""
    channels = OfferingChannel.objects.select_related("site").order_by("kind")
    return (
        Offering.objects.filter(
            region=region, is_active=True, template__current_version__isnull=False
        )
        .select_related(
            "template__current_version", "template__agency_kind", "agency__kind", "agency__region"
        )
        .prefetch_related(
            Prefetch("channels", queryset=channels),
            _requirements("template__current_version__requirements"),
            "template__life_events",
            "template__priority_tags",
            "agency__service_area",
        )
        .order_by("template__slug")
    )


def get_kabkota(*, code: str) -> Region:
    region = Region.objects.filter(code=code, level=Region.Level.KABKOTA).first()
    if region is None:
        raise NotFound(_("Kabupaten/kota dengan kode %(code)s tidak ditemukan.") % {"code": code})
    return region


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


def iso_duration(value: int, unit: str) -> str:
    """ISO 8601 duration; working days are written as days and explained in the description."""
    return DURATIONS[unit][0].format(value)


def _duration(value: int | None, unit: str) -> tuple[int, str] | None:
    return (value, unit) if value and unit in DURATIONS else None


def _text(value: str, lang: str) -> Literal | None:
    return Literal(value.strip(), lang=lang) if value and value.strip() else None


class CatalogGraph:
    """Builds the graph; a shared node (region, agency, concept…) is described once."""

    def __init__(self, *, base: str) -> None:
        self.base = base if base.endswith("/") else base + "/"
        self.graph = Graph(bind_namespaces="none")
        for prefix, namespace in PREFIXES.items():
            self.graph.bind(prefix, namespace)
        self._described: set[URIRef] = set()
        with translation.override("id"):
            self.channel_id = {kind.value: str(kind.label) for kind in Channel}

    def uri(self, path: str) -> URIRef:
        return URIRef(f"{self.base}open-data/{path}")

    def add(self, subject: URIRef, *pairs: tuple[URIRef, Any]) -> URIRef:
        for predicate, value in pairs:
            if value is not None:
                self.graph.add((subject, predicate, value))
        return subject

    def once(self, node: URIRef, *pairs: tuple[URIRef, Any]) -> URIRef:
        if node not in self._described:
            self._described.add(node)
            self.add(node, *pairs)
        return node

    def authority(self, node: URIRef) -> URIRef:
        kind, label, code = AUTHORITY_NODES[node]
        return self.once(
            node,
            (RDF.type, kind),
            (SKOS.prefLabel, Literal(label, lang="id")),
            (SKOS.notation, Literal(code)),
        )

    def region(self, region: Region) -> URIRef:
        return self.once(
            self.uri(f"region/{region.code}"),
            (RDF.type, DCT.Location),
            (DCT.identifier, Literal(region.code)),
            (SKOS.prefLabel, _text(region.name, "id")),
            (LOCN.geographicName, _text(region.name, "id")),
        )

    def agency_kind(self, kind: AgencyKind) -> URIRef:
        """For a national template: the kind of agency competent across Indonesia."""
        return self.once(
            self.uri(f"agency-kind/{kind.slug}"),
            (RDF.type, CV.PublicOrganisation),
            (DCT.identifier, Literal(kind.slug)),
            (SKOS.prefLabel, _text(kind.name, "id")),
            (SKOS.prefLabel, _text(kind.name_en, "en")),
            (SKOS.altLabel, _text(kind.short_name, "id")),
            (DCT.spatial, self.authority(INDONESIA)),
        )

    def agency(self, agency: Agency) -> URIRef:
        """For an offering: the region's office, located in the regions it serves."""
        node = self.uri(f"agency/{agency.region_id}/{agency.kind.slug}")
        if node in self._described:
            return node
        served = list(agency.service_area.all()) or [agency.region]
        return self.once(
            node,
            (RDF.type, CV.PublicOrganisation),
            (DCT.identifier, Literal(f"{agency.region_id}/{agency.kind.slug}")),
            (SKOS.prefLabel, _text(agency.name, "id")),
            *((DCT.spatial, self.region(region)) for region in served),
        )

    def concept(self, scheme: str, slug: str, label_id: str, label_en: str) -> URIRef:
        scheme_node = self.once(self.uri(f"concept/{scheme}"), (RDF.type, SKOS.ConceptScheme))
        return self.once(
            self.uri(f"concept/{scheme}/{slug}"),
            (RDF.type, SKOS.Concept),
            (SKOS.prefLabel, _text(label_id, "id")),
            (SKOS.prefLabel, _text(label_en, "en")),
            (SKOS.notation, Literal(slug)),
            (SKOS.inScheme, scheme_node),
        )

    def life_event(self, event: LifeEvent) -> URIRef:
        """A cv:LifeEvent, typed cv:Event too: cv:isGroupedBy asks for that class by name."""
        return self.once(
            self.uri(f"life-event/{event.slug}"),
            (RDF.type, CV.Event),
            (RDF.type, CV.LifeEvent),
            (DCT.identifier, Literal(event.slug)),
            (DCT.title, _text(event.name, "id")),
            (DCT.title, _text(event.name_en, "en")),
        )

    def service(self, facts: ServiceFacts, dataset: URIRef) -> URIRef:
        node, template, version, ident = facts.uri, facts.template, facts.version, facts.identifier
        description_id, description_en = self._descriptions(facts)
        self.add(
            node,
            (RDF.type, CPSV.PublicService),
            (DCT.identifier, Literal(ident)),
            (DCT.title, _text(template.name, "id")),
            (DCT.title, _text(template.name_en, "en")),
            (DCT.description, Literal(description_id, lang="id")),
            (DCT.description, Literal(description_en, lang="en")),
            (CV.hasCompetentAuthority, facts.authority),
            (DCT.spatial, facts.spatial),
            (DCT.language, self.authority(BAHASA)),
            (DCT.isPartOf, dataset),
            (DCT.source, facts.source),
            *((DCAT.keyword, _text(name, "id")) for name in template.common_names),
            *((CV.isGroupedBy, self.life_event(event)) for event in template.life_events.all()),
            *(
                (CV.isClassifiedBy, self.concept("priority", tag.slug, tag.name, tag.name_en))
                for tag in template.priority_tags.all()
            ),
        )
        if facts.duration:
            iso = iso_duration(*facts.duration)
            self.add(
                node, (CV.processingTime, Literal(iso, datatype=XSD.duration, normalize=False))
            )
        for number, requirement in enumerate(version.requirements.all(), start=1):
            self._requirement(node, f"{ident}/persyaratan/{number}", number, requirement)
        if version.output.strip():
            output = self.add(
                URIRef(f"{node}/output"),
                (RDF.type, CV.Output),
                (DCT.identifier, Literal(f"{ident}/produk")),
                (DCT.title, _text(version.output, "id")),
            )
            self.add(node, (CPSV.produces, output))
        for number, tariff in enumerate(facts.tariffs, start=1):
            self.add(
                node,
                (CV.hasCost, self._cost(node, f"{ident}/biaya/{number}", number, tariff, facts)),
            )
        for channel in facts.channels:
            self.add(node, (CV.hasChannel, self._channel(node, ident, channel)))
        return node

    def _requirement(self, service: URIRef, ident: str, number: int, row: Requirement) -> None:
        """A document asked for is Evidence of a type; a condition (no document) a Requirement."""
        title = (DCT.title, Literal(row.description, lang="id"))
        if row.document_type is None:
            node = self.add(
                URIRef(f"{service}/requirement/{number}"),
                (RDF.type, CV.Requirement),
                (DCT.identifier, Literal(ident)),
                title,
            )
            self.add(service, (CV.holdsRequirement, node))
            return
        document = row.document_type
        evidence_type = self.once(
            self.uri(f"document-type/{document.slug}"),
            (RDF.type, CV.EvidenceType),
            (DCT.identifier, Literal(document.slug)),
            (DCT.title, _text(document.name, "id")),
        )
        evidence = self.add(
            URIRef(f"{service}/evidence/{number}"),
            (RDF.type, CV.Evidence),
            (DCT.identifier, Literal(ident)),
            title,
            (DCT.conformsTo, evidence_type),
        )
        self.add(service, (CPSV.hasInput, evidence), (CV.hasInputType, evidence_type))

    def _cost(
        self, service: URIRef, ident: str, number: int, tariff: dict[str, Any], facts: ServiceFacts
    ) -> URIRef:
        """Amount in Rupiah (0 = free; none when set by the regulation) and its legal basis."""
        amount, basis, label = (
            tariff.get("amount_idr"),
            tariff.get("legal_basis") or "",
            tariff.get("label"),
        )
        if amount is None:
            text_id, text_en = "Besaran ditetapkan menurut peraturan.", "Amount set by regulation."
        elif amount == 0:
            text_id, text_en = "Gratis (Rp0).", "Free of charge (IDR 0)."
        else:
            text_id, text_en = "Rp" + f"{amount:,}".replace(",", ".") + ".", f"IDR {amount:,}."
        text_id, text_en = (
            f"{text_id} Dasar hukum: {basis}",
            f"{text_en} Legal basis (in Indonesian): {basis}",
        )
        if label:
            text_id, text_en = f"{label}: {text_id}", f"{label}: {text_en}"
        if facts.tariffs_demo:
            text_id, text_en = text_id + DEMO_ID, text_en + DEMO_EN
        value = None if amount is None else Literal(float(amount), datatype=XSD.double)
        return self.add(
            URIRef(f"{service}/cost/{number}"),
            (RDF.type, CV.Cost),
            (DCT.identifier, Literal(ident)),
            (DCT.description, Literal(text_id, lang="id")),
            (DCT.description, Literal(text_en, lang="en")),
            (CV.hasValue, value),
            (CV.currency, self.authority(RUPIAH) if value is not None else None),
        )

    def _channel(self, service: URIRef, ident: str, channel: ChannelFacts) -> URIRef:
        label_id, label_en = self.channel_id[channel.kind], CHANNEL_EN[Channel(channel.kind)]
        where = "; ".join(part for part in (channel.note, channel.url) if part)
        text_id, text_en = (
            (f"{label_id}: {where}", f"{label_en}: {where}") if where else (label_id, label_en)
        )
        if channel.is_demo:
            text_id, text_en = text_id + DEMO_ID, text_en + DEMO_EN
        page = self.once(URIRef(channel.url), (RDF.type, FOAF.Document)) if channel.url else None
        return self.add(
            URIRef(f"{service}/channel/{channel.kind}"),
            (RDF.type, CV.Channel),
            (DCT.identifier, Literal(f"{ident}/kanal/{channel.kind}")),
            (DCT.type, self.concept("channel", channel.kind, label_id, label_en)),
            (DCT.description, Literal(text_id, lang="id")),
            (DCT.description, Literal(text_en, lang="en")),
            (FOAF.page, page),
        )

    def _descriptions(self, facts: ServiceFacts) -> tuple[str, str]:
        """Indonesian: name, output, procedure, processing time, the region's note. English: name
        and processing time (the standard itself is published in Indonesian only)."""
        template, version = facts.template, facts.version
        parts_id = [f"{template.name}."]
        parts_en = [f"{template.name_en or template.name}."]
        if version.output.strip():
            parts_id.append(f"Produk layanan: {version.output.strip()}.")
        steps = [str(step).strip() for step in version.procedure if str(step).strip()]
        if steps:
            parts_id.append(
                "Prosedur: " + "; ".join(f"{n}. {s}" for n, s in enumerate(steps, 1)) + "."
            )
        if facts.duration:
            value, unit = facts.duration
            _iso, word_id, one_en, many_en = DURATIONS[unit]
            time_id = f"Jangka waktu penyelesaian: {value} {word_id}"
            time_en = f"Processing time: {value} {one_en if value == 1 else many_en}"
            if unit == "working_days":
                iso = iso_duration(value, unit)
                time_id += f" ({WORKING_DAYS_ID.format(iso=iso)})"
                time_en += f" ({WORKING_DAYS_EN.format(iso=iso)})"
            if facts.duration_demo:
                time_id, time_en = time_id + DEMO_ID, time_en + DEMO_EN
            parts_id.append(time_id + ".")
            parts_en.append(time_en + ".")
        if facts.notes.strip():
            parts_id.append(f"Catatan daerah: {facts.notes.strip()}")
        parts_en.append("Requirements, procedure and output are published in Indonesian.")
        return " ".join(parts_id), " ".join(parts_en)

    def dataset(
        self, *, path: str, title: tuple[str, str], spatial: URIRef, page: str = ""
    ) -> URIRef:
        """The dcat:Dataset CPSV-AP wraps a catalogue in, published by the platform."""
        publisher = self.once(
            self.uri("publisher"),
            (RDF.type, FOAF.Agent),
            (DCT.identifier, Literal(self.base)),
            (DCT.title, Literal("MPP Digital", lang="id")),
            (DCT.title, Literal("MPP Digital", lang="en")),
        )
        landing = self.once(URIRef(page), (RDF.type, FOAF.Document)) if page else None
        node = self.uri(path)
        return self.add(
            node,
            (RDF.type, DCAT.Dataset),
            (DCT.identifier, Literal(str(node))),
            (DCT.title, Literal(title[0], lang="id")),
            (DCT.title, Literal(title[1], lang="en")),
            (
                DCT.description,
                Literal(f"{title[0]}, dalam CPSV-AP 3.2.0 (Standar Pelayanan).", lang="id"),
            ),
            (
                DCT.description,
                Literal(f"{title[1]}, in CPSV-AP 3.2.0 (service standards).", lang="en"),
            ),
            (DCT.publisher, publisher),
            (DCT.spatial, spatial),
            (DCT.conformsTo, CPSV_AP),
            (DCAT.landingPage, landing),
        )


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
            duration=_duration(version.duration_value, version.duration_unit),
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
    """A kabupaten/kota's active offerings; `page` is the region's page for people."""
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
        facts = ServiceFacts(
            uri=builder.uri(f"service/{region.code}/{template.slug}"),
            identifier=f"{region.code}/{template.slug}",
            template=template,
            version=version,
            tariffs=version.tariffs if own_tariffs is None else own_tariffs,
            tariffs_demo=own_tariffs is None and "tariffs" in version.demo_fields,
            duration=_duration(offering.duration_value_override, offering.duration_unit_override)
            if own_duration
            else _duration(version.duration_value, version.duration_unit),
            duration_demo=not own_duration and "duration" in version.demo_fields,
            authority=builder.agency(offering.agency),
            spatial=builder.region(region),
            channels=[_channel_facts(channel) for channel in offering.channels.all()],
            notes=offering.notes,
            source=builder.uri(f"service/{template.slug}"),
        )
        builder.add(dataset, (DCT.hasPart, builder.service(facts, dataset)))
    return builder.graph


def _sorted_json(value: Any) -> Any:
    """Keys and arrays in a fixed order (no @list is written, so array order carries nothing)."""
    if isinstance(value, dict):
        return {key: _sorted_json(item) for key, item in sorted(value.items())}
    if isinstance(value, list):
        items = [_sorted_json(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    return value


def serialize(graph: Graph, fmt: Format) -> bytes:
    """Turtle, or JSON-LD compacted with the prefixes as its inline context (nothing to fetch).
    The same graph gives the same bytes in every process, so every web node sends one ETag."""
    if fmt == "json-ld":
        context = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
        document = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
        return json.dumps(_sorted_json(document), ensure_ascii=False, indent=1).encode()
    return graph.serialize(format="turtle", encoding="utf-8")
