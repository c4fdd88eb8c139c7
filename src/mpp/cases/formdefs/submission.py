"""Server-side checking of a submission against its fields: every error at once, each at its path
("saksi.1.nik", "alamat.region"), hidden fields dropped, values normalised."""

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mpp.cases.formdefs.conditions import holds
from mpp.cases.formdefs.values import CLEANERS, Bad, BadParts, Context, is_empty
from mpp.core.errors import InvalidInput

DEFAULT_MAX_ROWS = 20
_PENDING = object()


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str
    code: str


class FormInvalid(InvalidInput):
    """Every field error of one submission; the API renders `errors` into problem+json."""

    code = "form_invalid"

    def __init__(self, errors: list[FieldError]) -> None:
        message = ngettext(
            "Periksa kembali formulir: %(n)s isian belum benar.",
            "Periksa kembali formulir: %(n)s isian belum benar.",
            len(errors),
        ) % {"n": len(errors)}
        super().__init__(message, field=errors[0].field if errors else None)
        self.errors = [asdict(error) for error in errors]


def raise_for_errors(errors: list[FieldError]) -> None:
    if errors:
        raise FormInvalid(errors)


def is_required(field: dict[str, Any], value_of: Callable[[str], Any]) -> bool:
    if field.get("required"):
        return True
    return "required_if" in field and holds(field["required_if"], value_of)


class _Scope:
    """The fields of the form, or of one row of a group, with their tentative values."""

    def __init__(
        self,
        fields: list[dict[str, Any]],
        data: dict[str, Any],
        outer: Callable[[str], Any] | None,
        ctx: Context,
    ) -> None:
        self.fields = {f["key"]: f for f in fields}
        self.data, self.outer, self.ctx = data, outer, ctx
        self.values: dict[str, Any] = {}
        self.problems: dict[str, list[Bad]] = {}
        self.visible: dict[str, Any] = {}
        for key, field in self.fields.items():
            raw = data.get(key)
            if field["type"] == "group" or is_empty(raw):
                continue
            try:
                value = CLEANERS[field["type"]](field, raw, ctx)
            except BadParts as bad:
                self.problems[key] = bad.problems
            except Bad as bad:
                self.problems[key] = [bad]
            else:
                if value is not False:  # an unticked box ("false", "0") is no answer
                    self.values[key] = value

    def value_of(self, key: str) -> Any:
        if key in self.fields:
            if not self.is_visible(key):
                return None
            unticked = False if self.fields[key]["type"] == "checkbox" else None
            return self.values.get(key, unticked)
        return self.outer(key) if self.outer else None

    def is_visible(self, key: str) -> bool:
        known = self.visible.get(key)
        if known is _PENDING:  # a cycle; validate_definition refuses them, so never in practice
            return True
        if known is None:
            self.visible[key] = _PENDING
            self.visible[key] = holds(self.fields[key].get("visible_if"), self.value_of)
        return bool(self.visible[key])


def _clean_scope(
    fields: list[dict[str, Any]],
    data: dict[str, Any],
    prefix: str,
    outer: Callable[[str], Any] | None,
    ctx: Context,
    errors: list[FieldError],
) -> dict[str, Any]:
    scope = _Scope(fields, data, outer, ctx)
    cleaned: dict[str, Any] = {}
    for key, field in scope.fields.items():
        path = f"{prefix}{key}"
        if not scope.is_visible(key):
            continue
        if field["type"] == "group":
            rows = _clean_group(field, data.get(key), path, scope.value_of, ctx, errors)
            if rows:
                cleaned[key] = rows
            continue
        for bad in scope.problems.get(key, []):
            errors.append(
                FieldError(f"{path}.{bad.part}" if bad.part else path, bad.message, bad.code)
            )
        if key in scope.problems:
            continue
        if key in scope.values:
            cleaned[key] = scope.values[key]
        elif is_required(field, scope.value_of):
            errors.extend(_missing(field, path, ctx))
        elif field["type"] == "checkbox":
            cleaned[key] = False
    return cleaned


def _missing(field: dict[str, Any], path: str, ctx: Context) -> list[FieldError]:
    if field["type"] == "address":  # point at each part the citizen still has to fill
        try:
            CLEANERS["address"](field, {}, ctx)
        except BadParts as bad:
            return [FieldError(f"{path}.{b.part}", b.message, b.code) for b in bad.problems]
    if field["type"] == "checkbox":
        return [FieldError(path, _("Centang kotak ini untuk melanjutkan."), "required")]
    return [FieldError(path, _("Wajib diisi."), "required")]


def _clean_group(
    field: dict[str, Any],
    raw: Any,
    path: str,
    outer: Callable[[str], Any],
    ctx: Context,
    errors: list[FieldError],
) -> list[dict[str, Any]]:
    if raw is not None and not isinstance(raw, list):
        errors.append(FieldError(path, _("Isian kelompok harus berupa daftar baris."), "invalid"))
        return []
    # Blank rows (the page offers one more) are skipped; paths keep the index the client sent.
    rows = [(index, row) for index, row in enumerate(raw or []) if not is_empty(row)]
    repeat = field.get("repeat") or {}
    least = repeat.get("min", 0)
    if is_required(field, outer):
        least = max(least, 1)
    most = repeat.get("max", DEFAULT_MAX_ROWS)
    if len(rows) < least:
        message = _("Isi paling sedikit %(n)s baris.") % {"n": least}
        errors.append(FieldError(path, message, "min_rows"))
    if len(rows) > most:
        message = _("Paling banyak %(n)s baris.") % {"n": most}
        errors.append(FieldError(path, message, "max_rows"))
        rows = rows[:most]
    cleaned = []
    for index, row in rows:
        if not isinstance(row, dict):
            errors.append(FieldError(f"{path}.{index}", _("Baris tidak terbaca."), "invalid"))
            continue
        cleaned.append(_clean_scope(field["fields"], row, f"{path}.{index}.", outer, ctx, errors))
    return cleaned


def clean_submission(
    fields: list[dict[str, Any]], data: dict[str, Any], *, region_code: str | None = None
) -> tuple[dict[str, Any], list[FieldError]]:
    """(cleaned data, every field error). `region_code` is the serving region: an address field
    with `same_region` must lie in it."""
    errors: list[FieldError] = []
    if not isinstance(data, dict):
        errors.append(FieldError("", _("Isian formulir harus berupa objek."), "invalid"))
        data = {}
    ctx = Context(region_code=region_code, kabkota={})
    cleaned = _clean_scope(fields, data, "", None, ctx, errors)
    return cleaned, errors
