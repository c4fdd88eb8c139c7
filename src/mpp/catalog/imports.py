"""Reading an offerings file (CSV, XLSX; CPSV-AP through catalog.opendata) into rows.

A row is a dict with the columns below; `region` may be empty when the import names one.
Column names are documented in docs/catalog-import.md.
"""

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from mpp.catalog.services.offerings import ChannelSpec

COLUMNS = (
    "region", "service", "channels", "link_out_url", "fee_idr", "fee_legal_basis",
    "duration_value", "duration_unit", "notes", "active",
)  # fmt: skip
TRUE = {"", "1", "true", "ya", "yes", "aktif", "y"}
FALSE = {"0", "false", "tidak", "no", "nonaktif", "n"}


class RowError(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class FileRejected(Exception):
    """The file as a whole cannot be read; nothing is imported."""


@dataclass(frozen=True)
class OfferingRow:
    line: int
    region: str
    service: str
    channels: list[ChannelSpec]
    tariffs_override: list[dict[str, Any]] | None
    duration_value_override: int | None
    duration_unit_override: str
    notes: str
    is_active: bool

    def offering_terms(self) -> dict[str, Any]:
        """What check_offering and save_offering both take."""
        return {
            "region_code": self.region,
            "template_slug": self.service,
            "channels": self.channels,
            "tariffs_override": self.tariffs_override,
            "duration_value_override": self.duration_value_override,
            "duration_unit_override": self.duration_unit_override,
        }


def sniff_format(head: bytes) -> str:
    """Judge by content, not by name: XLSX is a zip; Turtle and JSON-LD are text."""
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if b"\x00" in head:
        raise FileRejected(_("Berkas bukan CSV, XLSX, Turtle, atau JSON-LD."))
    text = head.decode("utf-8-sig", errors="replace").lstrip()
    if text.startswith(("{", "[")):
        return "jsonld"
    if text.startswith(("@prefix", "@base", "PREFIX", "BASE")):
        return "ttl"
    return "csv"


def read_table(data: bytes, file_format: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, {column: text}) for every data row of a CSV or XLSX file."""
    if file_format == "xlsx":
        rows = _xlsx_rows(data)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise FileRejected(_("CSV harus berenkode UTF-8.")) from exc
        rows = _csv_rows(text)
    header = [str(cell or "").strip().lower() for cell in next(rows, [])]
    missing = {"service", "channels"} - set(header)
    if missing:
        raise FileRejected(
            _("Kolom wajib tidak ada: %(columns)s.") % {"columns": ", ".join(sorted(missing))}
        )
    unknown = set(header) - set(COLUMNS) - {""}
    if unknown:
        raise FileRejected(
            _("Kolom tidak dikenal: %(columns)s.") % {"columns": ", ".join(sorted(unknown))}
        )
    for line, cells in enumerate(rows, start=2):
        values = ["" if cell is None else str(cell).strip() for cell in cells]
        if not any(values):
            continue
        yield line, dict(zip(header, values, strict=False))


def _csv_rows(text: str) -> Iterator[list[str]]:
    try:
        yield from csv.reader(io.StringIO(text))
    except csv.Error as exc:
        raise FileRejected(_("CSV tidak dapat dibaca: %(error)s.") % {"error": exc}) from exc


def _xlsx_rows(data: bytes) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a corrupt file
        raise FileRejected(_("Berkas XLSX rusak atau tidak dapat dibaca.")) from exc
    try:
        yield from (list(row) for row in workbook.worksheets[0].iter_rows(values_only=True))
    except Exception as exc:  # a sheet that opens but cannot be read to the end
        raise FileRejected(_("Berkas XLSX rusak atau tidak dapat dibaca.")) from exc


def _int(value: str, field: str) -> int | None:
    if value == "":
        return None
    if not re.fullmatch(r"-?\d{1,15}", value):
        raise RowError(field, _("Harus berupa bilangan bulat."))
    return int(value)


def parse_row(line: int, cells: dict[str, str], *, default_region: str | None) -> OfferingRow:
    region = cells.get("region", "") or (default_region or "")
    if not region:
        raise RowError("region", _("Kode wilayah wajib diisi."))
    if default_region and region != default_region:
        raise RowError("region", _("Baris ini untuk wilayah lain dari wilayah impor."))
    service = cells.get("service", "")
    if not service:
        raise RowError("service", _("Kode layanan wajib diisi."))
    kinds = [kind.strip() for kind in cells.get("channels", "").split("|") if kind.strip()]
    url = cells.get("link_out_url", "")
    channels = [ChannelSpec(kind, url=url if kind == "link_out" else "") for kind in kinds]
    fee = _int(cells.get("fee_idr", ""), "fee_idr")
    tariffs = None
    if fee is not None:
        tariffs = [
            {"label": "", "amount_idr": fee, "legal_basis": cells.get("fee_legal_basis", "")}
        ]
    active_text = cells.get("active", "").lower()
    if active_text not in TRUE | FALSE:
        raise RowError("active", _("Isi ya atau tidak."))
    return OfferingRow(
        line=line,
        region=region,
        service=service,
        channels=channels,
        tariffs_override=tariffs,
        duration_value_override=_int(cells.get("duration_value", ""), "duration_value"),
        duration_unit_override=cells.get("duration_unit", ""),
        notes=cells.get("notes", "")[:2000],
        is_active=active_text in TRUE,
    )
