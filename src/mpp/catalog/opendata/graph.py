"""The rdflib graph builder: a shared node (region, agency, concept…) is described once."""

from typing import Any

from django.utils import translation
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, FOAF, RDF, SKOS, XSD
from rdflib.namespace import DCTERMS as DCT

from mpp.catalog.models import Agency, AgencyKind, Channel, LifeEvent, Requirement
from mpp.catalog.opendata.facts import ChannelFacts, ServiceFacts
from mpp.catalog.opendata.texts import (
    channel_descriptions,
    cost_descriptions,
    service_descriptions,
)
from mpp.catalog.opendata.vocab import (
    AUTHORITY_NODES,
    BAHASA,
    CHANNEL_EN,
    CHANNEL_SCHEME,
    CPSV,
    CPSV_AP,
    CV,
    INDONESIA,
    LOCN,
    PREFIXES,
    PRIORITY_SCHEME,
    REGIONAL_LABELS,
    REGIONAL_SCHEME,
    RUPIAH,
    iso_duration,
)
from mpp.regions.models import Region


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
        description_id, description_en = service_descriptions(facts)
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
                (CV.isClassifiedBy, self.concept(PRIORITY_SCHEME, tag.slug, tag.name, tag.name_en))
                for tag in template.priority_tags.all()
            ),
            *(
                (CV.isClassifiedBy, self.concept(REGIONAL_SCHEME, key, *REGIONAL_LABELS[key]))
                for key in facts.regional
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
            cost = self._cost(node, f"{ident}/biaya/{number}", number, tariff, facts.tariffs_demo)
            self.add(node, (CV.hasCost, cost))
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
        self, service: URIRef, ident: str, number: int, tariff: dict[str, Any], demo: bool
    ) -> URIRef:
        text_id, text_en = cost_descriptions(tariff, demo=demo)
        amount = tariff.get("amount_idr")
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
        text_id, text_en = channel_descriptions(channel, label_id, label_en)
        page = self.once(URIRef(channel.url), (RDF.type, FOAF.Document)) if channel.url else None
        return self.add(
            URIRef(f"{service}/channel/{channel.kind}"),
            (RDF.type, CV.Channel),
            (DCT.identifier, Literal(f"{ident}/kanal/{channel.kind}")),
            (DCT.type, self.concept(CHANNEL_SCHEME, channel.kind, label_id, label_en)),
            (DCT.description, Literal(text_id, lang="id")),
            (DCT.description, Literal(text_en, lang="en")),
            (FOAF.page, page),
        )

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
