"""Checking a form definition: its shape against schema.json (Draft 2020-12), then the rules a
schema cannot say (unique keys, known condition targets, options, prefill keys, no cycles)."""

import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator
from jsonschema.exceptions import (
    ValidationError as SchemaError,
)
from jsonschema.exceptions import best_match

from mpp.accounts.vault import ATTRIBUTES
from mpp.core.errors import InvalidInput

SCHEMA_FILE = Path(__file__).with_name("schema.json")
FIELD = "definition"
# What a field may prefill from: the vault, the Citizen/User, and "address" (the five address_*).
ADDRESS_PARTS = {
    "street": "address_street",
    "rt_rw": "address_rt_rw",
    "village": "address_village",
    "district": "address_district",
    "region": "address_region",
}
CITIZEN_KEYS = ("nik", "full_name", "birth_date", "sex", "email", "phone")
PROFILE_KEYS = frozenset({*ATTRIBUTES, *CITIZEN_KEYS, "address"})


@cache
def _validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _where(path: str, key: str | None = None) -> str:
    return f"{path} ({key})" if key else path


def _schema_message(error: SchemaError) -> str:
    path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
    where = path.lstrip(".") or _("akar definisi")
    reasons = {
        "required": lambda: _("bagian wajib tidak ada (%(detail)s)") % {"detail": error.message},
        "enum": lambda: (
            _("nilai harus salah satu dari: %(values)s")
            % {"values": ", ".join(map(str, error.validator_value))}
        ),
        "type": lambda: _("jenis nilai harus %(type)s") % {"type": error.validator_value},
        "additionalProperties": lambda: (
            _("bagian tidak dikenal (%(detail)s)") % {"detail": error.message}
        ),
        "pattern": lambda: (
            _("format tidak sesuai pola %(pattern)s") % {"pattern": error.validator_value}
        ),
        "minItems": lambda: _("minimal %(n)s butir") % {"n": error.validator_value},
        "maxItems": lambda: _("maksimal %(n)s butir") % {"n": error.validator_value},
        "minLength": lambda: _("tidak boleh kosong"),
        "maxLength": lambda: _("maksimal %(n)s karakter") % {"n": error.validator_value},
        "oneOf": lambda: _("syarat harus {field, equals}, {field, in}, {all} atau {any}"),
    }
    reason = reasons.get(str(error.validator), lambda: error.message)()
    return _("Definisi formulir tidak sah di %(where)s: %(reason)s.") % {
        "where": where,
        "reason": reason,
    }


def _fail(message: str) -> InvalidInput:
    return InvalidInput(message, field=FIELD)


def iter_fields(fields: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Every field, depth first, group members after their group."""
    for field in fields:
        yield field
        if field.get("type") == "group":
            yield from iter_fields(field.get("fields") or [])


def condition_targets(condition: dict[str, Any] | None) -> Iterator[str]:
    if not condition:
        return
    if "field" in condition:
        yield condition["field"]
    for part in (*condition.get("all", []), *condition.get("any", [])):
        yield from condition_targets(part)


def _check_scope(
    fields: list[dict[str, Any]], outer: dict[str, dict[str, Any]], path: str, nested: bool
) -> None:
    """Keys unique among siblings; conditions name a sibling or (inside a group) an outer field."""
    scope: dict[str, dict[str, Any]] = {}
    for field in fields:
        if field["key"] in scope:
            raise _fail(
                _("Kunci isian ganda: %(key)s (%(where)s).") % {"key": field["key"], "where": path}
            )
        scope[field["key"]] = field
    visible = {**outer, **scope}
    for field in fields:
        where = _where(path, field["key"])
        kind = field["type"]
        for rule in ("visible_if", "required_if"):
            for target in condition_targets(field.get(rule)):
                if target not in visible:
                    raise _fail(
                        _("Syarat %(rule)s pada %(where)s menyebut isian yang tidak ada: %(t)s.")
                        % {"rule": rule, "where": where, "t": target}
                    )
                if target == field["key"] or visible[target]["type"] in ("group", "file"):
                    raise _fail(
                        _("Syarat %(rule)s pada %(where)s tidak dapat memakai isian %(t)s.")
                        % {"rule": rule, "where": where, "t": target}
                    )
        if kind == "choice":
            values = [o["value"] for o in field.get("options") or []]
            if not values:
                raise _fail(_("Isian pilihan %(where)s tidak mempunyai opsi.") % {"where": where})
            if len(set(values)) != len(values):
                raise _fail(_("Opsi ganda pada isian %(where)s.") % {"where": where})
        if kind == "file" and nested:
            # A document attaches to the application under its field's key (ApplicationDocument
            # .field), which a row of a group does not have.
            raise _fail(
                _("Isian berkas tidak dapat berada dalam kelompok (%(where)s); taruh di luar.")
                % {"where": where}
            )
        if "prefill" in field:
            if nested:
                raise _fail(
                    _("Isian dalam kelompok tidak dapat diisi dari profil (%(where)s).")
                    % {"where": where}
                )
            if field["prefill"] not in PROFILE_KEYS:
                raise _fail(
                    _("Kunci prefill tidak dikenal pada %(where)s: %(p)s.")
                    % {"where": where, "p": field["prefill"]}
                )
        if "pattern" in field:
            try:
                re.compile(field["pattern"])
            except re.error:
                raise _fail(_("Pola pada %(where)s tidak sah.") % {"where": where}) from None
        if "min" in field and "max" in field and field["min"] > field["max"]:
            raise _fail(_("Nilai min melebihi max pada %(where)s.") % {"where": where})
        if kind == "group":
            _check_group(field, visible, where, nested)


def _check_group(
    field: dict[str, Any], visible: dict[str, dict[str, Any]], where: str, nested: bool
) -> None:
    if nested:
        raise _fail(
            _("Kelompok tidak boleh berada di dalam kelompok (%(where)s).") % {"where": where}
        )
    members = field.get("fields") or []
    if not members:
        raise _fail(_("Kelompok %(where)s tidak mempunyai isian.") % {"where": where})
    repeat = field.get("repeat") or {}
    if repeat.get("min", 0) > repeat.get("max", 50):
        raise _fail(_("Jumlah baris min melebihi max pada %(where)s.") % {"where": where})
    _check_scope(members, visible, where, nested=True)


def _check_cycles(fields: list[dict[str, Any]]) -> None:
    """visible_if A -> B -> A would make visibility undecidable."""
    graph = {
        f["key"]: set(condition_targets(f.get("visible_if"))) for f in fields if f.get("visible_if")
    }
    for start in graph:
        seen, stack = set(), [start]
        while stack:
            for target in graph.get(stack.pop(), ()):
                if target == start:
                    raise _fail(_("Syarat tampil berputar pada isian %(key)s.") % {"key": start})
                if target not in seen:
                    seen.add(target)
                    stack.append(target)
    for field in fields:
        if field["type"] == "group":
            _check_cycles(field.get("fields") or [])


def validate_definition(definition: dict[str, Any]) -> None:
    """Raise InvalidInput (field "definition") with the first problem found, in Indonesian."""
    if not isinstance(definition, dict):
        raise _fail(_("Definisi formulir harus berupa objek JSON."))
    error = best_match(_validator().iter_errors(definition))
    if error is not None:
        raise _fail(_schema_message(error))
    _check_scope(definition["fields"], {}, "fields", nested=False)
    _check_cycles(definition["fields"])


def validate_extension(definition: dict[str, Any] | None, extension_fields: list[Any]) -> None:
    """A region's added fields: valid fields whose keys are not the national form's."""
    national = (definition or {}).get("fields") or []
    keys = {f.get("key") for f in national if isinstance(f, dict)}
    for field in extension_fields:
        if isinstance(field, dict) and field.get("key") in keys:
            raise _fail(
                _("Isian daerah tidak boleh memakai kunci isian nasional: %(key)s.")
                % {"key": field["key"]}
            )
    validate_definition({"fields": [*national, *extension_fields]})


def effective_fields(
    definition: dict[str, Any], extension_fields: list[dict[str, Any]] | None
) -> list[dict[str, Any]]:
    """The national fields, then the region's (a region field reusing a national key is skipped:
    the national form may have gained that key after the region saved its extension)."""
    national = list(definition.get("fields") or [])
    keys = {f["key"] for f in national}
    regional = [f for f in extension_fields or [] if f.get("key") not in keys]
    if regional and "section" not in regional[0]:
        heading = {"id": "Isian tambahan daerah", "en": "Additional regional fields"}
        regional[0] = {**regional[0], "section": heading}
    return national + regional


def file_fields(fields: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The file fields, each with `document_type` (optional) and `required`; always at the top
    level (a definition with one inside a group is refused)."""
    return [f for f in fields if f.get("type") == "file"]
