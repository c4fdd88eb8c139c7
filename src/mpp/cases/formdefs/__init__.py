"""Form definitions as data: check a definition, clean a submission, prefill from the profile.

A definition is JSON (schema.json): `{"title", "intro", "sources", "fields": [...]}`; each field
has a snake_case `key`, a `type`, a bilingual `label` and optional `hint`, `section`,
`required`, `visible_if` / `required_if` and `prefill`. The field types are listed in schema.json; the rules a schema cannot say, in definition.py.
"""

from mpp.cases.formdefs.definition import (
    PROFILE_KEYS,
    effective_fields,
    file_fields,
    iter_fields,
    validate_definition,
    validate_extension,
)
from mpp.cases.formdefs.prefill import prefill, prefill_keys
from mpp.cases.formdefs.rendering import KeptDocument, data_from_post, form_view, row_action
from mpp.cases.formdefs.submission import (
    FieldError,
    FormInvalid,
    clean_submission,
    raise_for_errors,
)

__all__ = [
    "PROFILE_KEYS",
    "FieldError",
    "FormInvalid",
    "KeptDocument",
    "clean_submission",
    "data_from_post",
    "effective_fields",
    "file_fields",
    "form_view",
    "iter_fields",
    "prefill",
    "prefill_keys",
    "raise_for_errors",
    "row_action",
    "validate_definition",
    "validate_extension",
]
