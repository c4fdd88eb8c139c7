"""An application's answers as a person reads them: each through its field in the definition.

The one place that turns stored values into text: the field's label in the active language,
choice labels instead of codes, dates written out, an address as lines with the region's name,
a repeating group as rows, a file field as its documents (name and, when allowed, a link).
Values the definition no longer knows (a field since removed) are shown as they are, last.
"""

import datetime
import json
from dataclasses import dataclass, field
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from mpp.cases.formdefs.rendering import pick
from mpp.regions.models import Region


@dataclass(frozen=True)
class ShownDocument:
    """An attached document as a page lists it; `url` is empty when it may not be downloaded."""

    id: int
    name: str
    field: str = ""
    field_label: str = ""
    kind: str = ""  # the document type's name, "" when none
    format: str = ""  # "PDF", "JPEG", "PNG"
    size: int = 0
    scan: str = ""  # Document.Scan value
    scan_label: str = ""
    url: str = ""


@dataclass
class Answer:
    """One answer. `lines` is the text (one line for most types, several for an address);
    a group has `columns` and `rows` (each row a list of (column, text) cells);
    a file field has `documents`."""

    key: str
    label: str
    type: str
    section: str = ""
    lines: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    rows: list[list[tuple[str, str]]] = field(default_factory=list)
    documents: list[ShownDocument] = field(default_factory=list)

    @property
    def text(self) -> str:
        return ", ".join(self.lines)


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


class _Reader:
    def __init__(self, documents: dict[int, ShownDocument], regions: dict[str, str]) -> None:
        self.documents = documents
        self.regions = regions

    def lines(self, spec: dict[str, Any], value: Any) -> list[str]:
        """The value of a non-group, non-file field as lines of text."""
        kind = spec.get("type")
        if kind == "choice":
            labels = {o["value"]: pick(o.get("label")) for o in spec.get("options") or []}
            picked = value if isinstance(value, list) else [value]
            return [", ".join(labels.get(str(v)) or str(v) for v in picked)]
        if kind == "checkbox":
            return [_("Ya") if value is True or value in ("true", "on", "1") else _("Tidak")]
        if kind == "date":
            return [self.date(value)]
        if kind == "number" and isinstance(value, int | float) and not isinstance(value, bool):
            return [formats.number_format(value, use_l10n=True)]
        if kind == "address" and isinstance(value, dict):
            return self.address(value)
        if isinstance(value, list | dict):
            return [json.dumps(value, ensure_ascii=False)]
        return [str(value)]

    def date(self, value: Any) -> str:
        try:
            day = datetime.date.fromisoformat(str(value))
        except ValueError:
            return str(value)
        return formats.date_format(day, "j F Y")

    def address(self, value: dict[str, Any]) -> list[str]:
        street, rt_rw = value.get("street") or "", value.get("rt_rw") or ""
        first = (
            f"{street}, RT/RW {rt_rw}"
            if street and rt_rw
            else street or (rt_rw and f"RT/RW {rt_rw}")
        )
        region = value.get("region") or ""
        rest = [
            value.get("village") or "",
            value.get("district") and _("Kec. %(name)s") % {"name": value["district"]},
            self.regions.get(region, region),
        ]
        return [line for line in (first, *rest) if line]

    def cell(self, spec: dict[str, Any], value: Any) -> str:
        return "—" if _empty(value) else ", ".join(self.lines(spec, value))

    def files(self, value: Any) -> list[ShownDocument]:
        ids = value if isinstance(value, list) else [value]
        shown = []
        for raw in ids:
            if not str(raw).isdecimal():
                continue
            known = self.documents.get(int(raw))
            name = _("Dokumen nomor %(n)s") % {"n": raw}
            shown.append(known or ShownDocument(id=int(raw), name=name))
        return shown

    def answer(self, spec: dict[str, Any], value: Any) -> Answer:
        answer = Answer(
            key=spec["key"], label=pick(spec.get("label")) or spec["key"], type=spec["type"],
            section=pick(spec.get("section")),
        )  # fmt: skip
        if spec["type"] == "file":
            answer.documents = self.files(value)
            answer.lines = [d.name for d in answer.documents]
        elif spec["type"] == "group":
            members = spec.get("fields") or []
            answer.columns = [pick(m.get("label")) or m["key"] for m in members]
            rows = value if isinstance(value, list) else []
            answer.rows = [
                [
                    (column, self.cell(m, row.get(m["key"])))
                    for column, m in zip(answer.columns, members, strict=True)
                ]
                for row in rows
                if isinstance(row, dict)
            ]
            answer.lines = [" · ".join(text for _column, text in row) for row in answer.rows]
        else:
            answer.lines = self.lines(spec, value)
        return answer


def _region_codes(fields: list[dict[str, Any]], data: dict[str, Any]) -> set[str]:
    codes: set[str] = set()

    def visit(specs: list[dict[str, Any]], values: dict[str, Any]) -> None:
        for spec in specs:
            value = values.get(spec["key"])
            if spec.get("type") == "address" and isinstance(value, dict) and value.get("region"):
                codes.add(str(value["region"]))
            if spec.get("type") == "group" and isinstance(value, list):
                for row in value:
                    if isinstance(row, dict):
                        visit(spec.get("fields") or [], row)

    visit(fields, data)
    return codes


def labels(fields: list[dict[str, Any]]) -> dict[str, str]:
    """Each top-level field's label in the active language, by key."""
    return {spec["key"]: pick(spec.get("label")) or spec["key"] for spec in fields}


def answers(
    fields: list[dict[str, Any]],
    data: dict[str, Any],
    documents: dict[int, ShownDocument] | None = None,
) -> list[Answer]:
    """Every answered field of `data`, in the definition's order, as text. `documents` are the
    application's attachments by id (from the caller, with links it may give); a file field names
    each of its documents. One query at most (the names of the regions of addresses)."""
    codes = _region_codes(fields, data)
    regions = (
        dict(Region.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}
    )
    reader = _Reader(documents or {}, regions)
    shown = [reader.answer(spec, data[spec["key"]]) for spec in fields
             if not _empty(data.get(spec["key"]))]  # fmt: skip
    known = {spec["key"] for spec in fields}
    for key, value in data.items():
        if key not in known and not _empty(value):
            shown.append(Answer(key=key, label=key, type="unknown", lines=reader.lines({}, value)))
    return shown
