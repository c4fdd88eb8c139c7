import datetime
from typing import Any, Literal

from ninja import Field, Schema

from mpp.catalog.models import Channel, format_duration

ChannelKind = Literal["online", "integrated", "link_out", "counter", "mobile"]


class Ref(Schema):
    slug: str
    name: str


class AgencyOut(Schema):
    id: int
    name: str
    kind: Ref
    region: str = Field(..., alias="region_id")


class LifeEventOut(Schema):
    slug: str
    name: str
    name_en: str


class Duration(Schema):
    value: int | None
    unit: str
    label: str


class Tariff(Schema):
    label: str
    amount_idr: int | None
    legal_basis: str
    source: str = ""


class ChannelOut(Schema):
    kind: str
    label: str
    url: str
    site: str | None = Field(None, description="Nama lokasi MPP untuk kanal loket")


class RequirementOut(Schema):
    document_type: str | None
    description: str


class ServiceSummary(Schema):
    id: int | None = Field(..., description="ID layanan daerah; null di katalog nasional")
    slug: str
    name: str
    name_en: str
    agency: Ref
    region: str | None
    channels: list[str]
    is_digital: bool
    duration: Duration
    is_free: bool
    life_events: list[str]


class ServicePage(Schema):
    count: int
    page: int
    page_size: int
    items: list[ServiceSummary]


class ServiceDetail(ServiceSummary):
    version: int
    effective_from: datetime.date | None
    requirements: list[RequirementOut]
    procedure: list[str]
    tariffs: list[Tariff]
    output: str
    complaints: str
    channel_details: list[ChannelOut]
    priority_tags: list[str]
    overrides: dict[str, Any] = Field(..., description="Nilai yang ditetapkan daerah")
    notes: str
    demo_fields: list[str] = Field(..., description="Komponen bernilai demo, bukan data resmi")
    min_assurance_level: int = Field(
        ..., description="Tingkat identitas minimal akun pemohon (1–3)"
    )
    sources: list[str]


class CatalogQuery(Schema):
    region: str | None = Field(None, pattern=r"^\d{2}\.\d{2}$", examples=["35.10"])
    q: str | None = Field(None, max_length=100)
    agency: str | None = Field(None, max_length=50, description="Jenis instansi, mis. disdukcapil")
    life_event: str | None = Field(None, max_length=50)
    channel: ChannelKind | None = None
    tag: str | None = Field(None, max_length=50)
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(50, ge=1, le=200)


def duration_label(value: int | None, unit: str) -> str:
    return format_duration(value, unit)


def channel_label(kind: str) -> str:
    return str(Channel(kind).label)
