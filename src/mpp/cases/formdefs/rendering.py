"""From a definition to what the templates in cases/form/ draw, and from a POST back to data.

The page works without JavaScript: conditional fields are shown with a note saying when they
apply, and repeating groups add or remove rows through submit buttons (`row_action`).
form.js (static/cases/form.js) only makes the same rules happen as the citizen types.
"""

import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from mpp.cases.formdefs.submission import FieldError
from mpp.regions.models import Region
from mpp.regions.reference import districts_of

ROW_ACTION = "_row"  # name of the add/remove-row submit buttons
MAX_ROWS_READ = 50
RADIO_MAX_OPTIONS = 6
REUSE_MAX = 5  # kept documents offered per file field
INPUT_TYPES = {"phone": "tel", "email": "email", "number": "number", "date": "date", "time": "time"}
ADDRESS_PARTS = [
    ("street", "Alamat (jalan, nomor)", "Address (street, number)"),
    ("rt_rw", "RT/RW", "RT/RW (neighbourhood)"),
    ("village", "Desa/kelurahan", "Village"),
    ("district", "Kecamatan", "District"),
    ("region", "Kabupaten/kota", "Regency/city"),
]


def pick(text: dict[str, str] | None) -> str:
    """A bilingual text in the active language, falling back to Indonesian."""
    if not text:
        return ""
    language = (get_language() or "id").split("-")[0]
    return text.get(language) or text.get("id", "")


@dataclass(frozen=True)
class KeptDocument:
    """A document the citizen uploaded before, offered again in file fields."""

    id: int
    name: str
    type: str = ""  # document type slug, "" when none
    created_at: Any = None
    pending: bool = False  # its malware scan has not finished


@dataclass
class BoundField:
    key: str
    type: str
    name: str  # "saksi.0.nik"
    id: str  # "f-saksi-0-nik"
    label: str
    hint: str = ""
    section: str = ""
    prefix: str = ""  # "saksi.0." inside a group row: where form.js looks for siblings first
    value: Any = None
    errors: list[str] = field(default_factory=list)
    required: bool = False  # always, when shown
    native_required: bool = False  # safe for the browser to enforce (no condition above it)
    visible_if: str = ""  # the rule as JSON, for form.js
    required_if: str = ""
    condition_note: str = ""
    prefill_source: str = ""
    options: list[dict[str, Any]] = field(default_factory=list)
    multiple: bool = False
    attrs: dict[str, Any] = field(default_factory=dict)
    parts: list["BoundField"] = field(default_factory=list)  # address parts
    rows: list[list["BoundField"]] = field(default_factory=list)  # group rows
    row_template: list["BoundField"] = field(default_factory=list)
    can_add: bool = False
    repeat_min: int = 0
    repeat_max: int = 20
    reusable: list[dict[str, Any]] = field(default_factory=list)  # file fields: kept documents

    @property
    def described_by(self) -> str:
        ids = [f"{self.id}-hint" if self.hint else "", f"{self.id}-cond" if self.condition_note else "",
               f"{self.id}-src" if self.prefill_source else "", f"{self.id}-error" if self.errors else ""]  # fmt: skip
        return " ".join(i for i in ids if i)

    @property
    def input_type(self) -> str:
        return INPUT_TYPES.get(self.type, "text")

    @property
    def file_ids(self) -> list[int]:
        ids = self.value if isinstance(self.value, list) else [self.value]
        return [int(i) for i in ids if isinstance(i, int | str) and str(i).isdecimal()]

    @property
    def reuses(self) -> bool:
        return any(d["chosen"] for d in self.reusable)

    @property
    def widget(self) -> str:
        if self.type == "choice":
            if self.multiple:
                return "checkboxes"
            return "radios" if len(self.options) <= RADIO_MAX_OPTIONS else "select"
        return self.type


@dataclass
class Section:
    title: str
    fields: list[BoundField]


@dataclass
class FormView:
    sections: list[Section]
    error_summary: list[tuple[str, str, str]]  # (anchor id, label, message)
    row_action: str = ROW_ACTION


def _id(name: str) -> str:
    return "f-" + re.sub(r"[^a-zA-Z0-9_-]", "-", name)


class _Builder:
    def __init__(
        self,
        fields: list[dict[str, Any]],
        errors: list[FieldError],
        prefilled: dict[str, Any],
        documents: list[KeptDocument],
    ) -> None:
        self.top = {f["key"]: f for f in fields}
        self.documents = documents
        self.errors: dict[str, list[str]] = {}
        for error in errors:
            self.errors.setdefault(error.field, []).append(error.message)
        self.prefilled = prefilled
        self.regions: list[dict[str, Any]] | None = None
        self.labels: dict[str, str] = {}  # anchor id -> label, for the error summary

    def region_options(self) -> list[dict[str, Any]]:
        if self.regions is None:  # one query, and only when a form has an address
            groups: dict[str, dict[str, Any]] = {}
            for region in Region.objects.filter(level=Region.Level.KABKOTA).select_related(
                "province"
            ):
                group = groups.setdefault(
                    region.province_id or "", {"label": region.province.name if region.province else "", "options": []}
                )  # fmt: skip
                group["options"].append({"value": region.code, "label": region.name})
            self.regions = list(groups.values())
        return self.regions

    def describe(self, condition: dict[str, Any], scope: dict[str, dict[str, Any]]) -> str:
        if "all" in condition or "any" in condition:
            joiner = _(" dan ") if "all" in condition else _(" atau ")
            return joiner.join(
                self.describe(c, scope) for c in condition.get("all") or condition["any"]
            )
        target = scope.get(condition["field"]) or self.top.get(condition["field"]) or {}
        labels = {o["value"]: pick(o["label"]) for o in target.get("options") or []}
        wanted = [condition["equals"]] if "equals" in condition else condition["in"]
        shown = [labels.get(v, _("ya") if v is True else str(v)) for v in wanted]
        return _("%(label)s: %(values)s") % {
            "label": pick(target.get("label")) or condition["field"],
            "values": _(" atau ").join(f"«{v}»" for v in shown),
        }

    def bind(
        self,
        spec: dict[str, Any],
        data: dict[str, Any],
        prefix: str,
        scope: dict[str, dict[str, Any]],
        conditional: bool,
        label_prefix: str = "",
    ) -> BoundField:
        name = f"{prefix}{spec['key']}"
        bound = BoundField(
            key=spec["key"], type=spec["type"], name=name, id=_id(name), label=pick(spec["label"]),
            hint=pick(spec.get("hint")), section=pick(spec.get("section")), prefix=prefix,
            value=data.get(spec["key"]), errors=self.errors.get(name, []),
            required=bool(spec.get("required")), multiple=bool(spec.get("multiple")),
        )  # fmt: skip
        self.labels[bound.id] = f"{label_prefix}{bound.label}"
        conditional = conditional or "visible_if" in spec
        bound.native_required = bound.required and not conditional and bound.type != "group"
        notes = []
        if spec.get("visible_if"):
            bound.visible_if = json.dumps(spec["visible_if"])
            notes.append(_("Diisi bila %(c)s.") % {"c": self.describe(spec["visible_if"], scope)})
        if spec.get("required_if"):
            bound.required_if = json.dumps(spec["required_if"])
            notes.append(_("Wajib bila %(c)s.") % {"c": self.describe(spec["required_if"], scope)})
        bound.condition_note = " ".join(notes)
        if not prefix and bound.value is None and spec["key"] in self.prefilled:
            bound.value = self.prefilled[spec["key"]]["value"]
            bound.prefill_source = self.prefilled[spec["key"]]["source"]
        self._attrs(bound, spec)
        if spec["type"] == "address":
            self._address(bound, conditional)
        if spec["type"] == "group":
            self._group(bound, spec, data, scope, label_prefix)
        return bound

    def _attrs(self, bound: BoundField, spec: dict[str, Any]) -> None:
        selected = bound.value if isinstance(bound.value, list) else [bound.value]
        bound.options = [
            {"value": o["value"], "label": pick(o["label"]), "selected": o["value"] in selected,
             "id": f"{bound.id}-{i}"}
            for i, o in enumerate(spec.get("options") or [])
        ]  # fmt: skip
        attrs: dict[str, Any] = {}
        if spec["type"] in ("text", "textarea") and "max_length" in spec:
            attrs["maxlength"] = spec["max_length"]
        if spec["type"] == "number":
            attrs.update({k: spec[k] for k in ("min", "max") if k in spec})
            attrs["step"] = "1" if spec.get("integer") else "any"
        if spec["type"] == "file":
            attrs["accept"] = "application/pdf,image/jpeg,image/png"
            attrs["document_type"] = spec.get("document_type", "")
            bound.reusable = self._reusable(bound, attrs["document_type"])
        if spec["type"] == "nik":
            attrs.update({"inputmode": "numeric", "maxlength": 20, "autocomplete": "off"})
        if spec["type"] == "phone":
            attrs["autocomplete"] = "tel"
        if spec["type"] == "date" and spec.get("not_future"):
            attrs["max"] = timezone.localdate().isoformat()
        bound.attrs = attrs

    def _reusable(self, bound: BoundField, document_type: str) -> list[dict[str, Any]]:
        """The kept documents a file field offers: those already attached, then the newest
        REUSE_MAX of its document type (of any, when it names none)."""
        chosen = bound.file_ids
        known = {d.id: d for d in self.documents}
        # An attached document is always a choice, checked, even one not among the citizen's
        # kept documents (another page, an infected scan): exactly one value is posted, the
        # citizen's pick, never a hidden id that would win over it.
        attached = [
            known.get(i) or KeptDocument(id=i, name=_("Dokumen nomor %(n)s") % {"n": i})
            for i in chosen
        ]
        others = [
            d for d in self.documents
            if d.id not in chosen and (not document_type or d.type == document_type)
        ]  # fmt: skip
        return [
            {"id": d.id, "name": d.name, "created_at": d.created_at, "pending": d.pending,
             "chosen": d.id in chosen, "input_id": f"{bound.id}-doc-{d.id}"}
            for d in attached + others[:REUSE_MAX]
        ]  # fmt: skip

    def _address(self, bound: BoundField, conditional: bool) -> None:
        value = bound.value if isinstance(bound.value, dict) else {}
        for part, label_id, label_en in ADDRESS_PARTS:
            name = f"{bound.name}.{part}"
            sub = BoundField(
                key=part, type="select" if part == "region" else "text", name=name, id=_id(name),
                label=pick({"id": label_id, "en": label_en}), value=value.get(part),
                errors=self.errors.get(name, []),
                required=bound.required and part != "rt_rw",
            )  # fmt: skip
            sub.native_required = sub.required and not conditional
            if part == "region":
                sub.options = self.region_options()
            if part == "district":  # suggestions for the region chosen; form.js follows changes
                region = value.get("region")
                names = districts_of(region) if isinstance(region, str) else ()
                sub.options = [{"value": name} for name in names]
            if part == "rt_rw":
                sub.hint = _("Contoh: 003/005")
            self.labels[sub.id] = f"{bound.label} · {sub.label}"
            bound.parts.append(sub)

    def _group(
        self,
        bound: BoundField,
        spec: dict[str, Any],
        data: dict[str, Any],
        scope: dict[str, dict[str, Any]],
        label_prefix: str,
    ) -> None:
        members = {f["key"]: f for f in spec["fields"]}
        repeat = spec.get("repeat") or {}
        bound.repeat_min, bound.repeat_max = repeat.get("min", 0), repeat.get("max", 20)
        raw_rows = bound.value if isinstance(bound.value, list) else []
        rows = [r if isinstance(r, dict) else {} for r in raw_rows[:MAX_ROWS_READ]]
        least = max(bound.repeat_min, 1 if bound.required else 0)
        rows += [{} for _ in range(least - len(rows))]
        for index, row in enumerate(rows):
            row_label = f"{label_prefix}{bound.label} {index + 1} · "
            bound.rows.append(
                [self.bind(m, row, f"{bound.name}.{index}.", members, True, row_label)
                 for m in spec["fields"]]
            )  # fmt: skip
        bound.row_template = [
            self.bind(m, {}, f"{bound.name}.__i__.", members, True) for m in spec["fields"]
        ]
        bound.can_add = len(rows) < bound.repeat_max


def form_view(
    fields: list[dict[str, Any]],
    *,
    data: dict[str, Any] | None = None,
    errors: list[FieldError] | None = None,
    prefilled: dict[str, dict[str, Any]] | None = None,
    documents: list[KeptDocument] | None = None,
) -> FormView:
    """What cases/form/fields.html draws: sections of bound fields and an error summary.

    `data` is what the citizen sent (or a draft); `prefilled` (from `prefill`) fills the gaps;
    file fields offer the citizen's kept `documents` (`documents.kept_documents`) to use again.
    """
    builder = _Builder(fields, errors or [], prefilled or {}, documents or [])
    sections: list[Section] = []
    for spec in fields:
        bound = builder.bind(spec, data or {}, "", builder.top, False)
        if not sections or bound.section:
            sections.append(Section(title=bound.section, fields=[]))
        sections[-1].fields.append(bound)
    summary = [
        (_id(error.field), builder.labels.get(_id(error.field), error.field), error.message)
        for error in errors or []
    ]
    return FormView(sections=sections, error_summary=summary)


def _read(spec: dict[str, Any], post: QueryDict, name: str) -> Any:
    kind = spec["type"]
    if kind == "group":
        pattern = re.compile(rf"^{re.escape(name)}\.(\d{{1,3}})\.")
        indexes = sorted({int(m[1]) for key in post for m in [pattern.match(key)] if m})
        return [data_from_post(spec["fields"], post, prefix=f"{name}.{i}.") for i in indexes][
            :MAX_ROWS_READ
        ]
    if kind == "address":
        return {part: post.get(f"{name}.{part}", "") for part, _id_label, _en in ADDRESS_PARTS}
    if spec.get("multiple"):
        return [v for v in post.getlist(name) if v]
    if kind == "file":
        # The kept document's id travels in a hidden input beside the file input, which a browser
        # also sends, empty, when no new file is chosen: the id must win over that empty value.
        return next((v for v in post.getlist(name) if v), post.get(name))
    return post.get(name)


def data_from_post(
    fields: list[dict[str, Any]], post: QueryDict, *, prefix: str = ""
) -> dict[str, Any]:
    """The nested data of a form POST ("saksi.0.nama" -> {"saksi": [{"nama": …}]})."""
    data = {}
    for spec in fields:
        value = _read(spec, post, f"{prefix}{spec['key']}")
        if value is not None:
            data[spec["key"]] = value
    return data


def row_action(fields: list[dict[str, Any]], data: dict[str, Any], action: str) -> dict[str, Any]:
    """Apply an add/remove-row button ("add:saksi", "remove:saksi.1") to posted data."""
    verb, _sep, target = action.partition(":")
    group, _dot, index = target.partition(".")
    spec = next((f for f in fields if f["key"] == group and f["type"] == "group"), None)
    if spec is None:
        return data
    rows = list(data.get(group) or [])
    if verb == "add" and len(rows) < (spec.get("repeat") or {}).get("max", 20):
        rows.append({})
    elif verb == "remove" and index.isdecimal() and int(index) < len(rows):
        del rows[int(index)]
    return {**data, group: rows}
