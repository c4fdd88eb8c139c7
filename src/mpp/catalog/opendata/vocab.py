"""Namespaces, authority nodes and the fixed wording the export writes (and the import reads)."""

from typing import Literal as TypingLiteral

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, FOAF, SKOS, XSD
from rdflib.namespace import DCTERMS as DCT

from mpp.catalog.models import Channel

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

# Our own concept schemes, under <base>open-data/concept/<scheme>/<notation>.
CHANNEL_SCHEME = "channel"  # how a service is reached: the notation is the channel kind
PRIORITY_SCHEME = "priority"  # national priority tags
# cv:isClassifiedBy on a regional offering: which of its values are the region's own (an
# override of the national standard) rather than inherited. The import reads only these.
REGIONAL_SCHEME = "regional-standard"
REGIONAL_TARIFF, REGIONAL_DURATION = "tariff", "duration"
REGIONAL_LABELS = {  # notation -> (Indonesian, English)
    REGIONAL_TARIFF: ("Tarif daerah (Perda)", "Regional tariff (Perda)"),
    REGIONAL_DURATION: ("Jangka waktu daerah", "Regional processing time"),
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
# Lead-ins of the Indonesian descriptions that the import reads back.
TIME_ID = "Jangka waktu penyelesaian: "  # in the service's description
NOTES_ID = "Catatan daerah: "  # in the service's description, always its last part
LEGAL_BASIS_ID = "Dasar hukum: "  # in a cost's description

Format = TypingLiteral["turtle", "json-ld"]


def iso_duration(value: int, unit: str) -> str:
    """ISO 8601 duration; working days are written as days and explained in the description."""
    return DURATIONS[unit][0].format(value)
