"""What a submission (cases/services.py) and a correction (cases/application_moves.py) both check: the
documents the citizen attached, against the form the application was filed on; and the fields a
send-back names. Not Django system checks (those are the apps' checks.py)."""

from django.utils.translation import gettext as _

from mpp.accounts.models import Citizen
from mpp.cases import formdefs
from mpp.cases.models import Application, Document
from mpp.core.errors import InvalidInput


def fields_filed_on(application: Application) -> list[dict]:
    """A correction is checked against the form the application was filed on, not a newer one."""
    form = application.form_definition
    if form is None:
        return []
    extension = getattr(application.offering, "form_extension", None)
    return formdefs.effective_fields(form.definition, extension.fields if extension else None)


def check_named_fields(application: Application, names: list[str] | tuple[str, ...]) -> None:
    """Corrections asked of the citizen name fields of the form the application was filed on;
    any other name is refused (the citizen could not find or fix it)."""
    fields = fields_filed_on(application)
    if not names or not fields:
        return
    unknown = sorted(set(names) - {field["key"] for field in fields})
    if unknown:
        raise InvalidInput(
            _("Isian ini tidak ada pada formulir permohonan: %(names)s.")
            % {"names": ", ".join(unknown)},
            field="fields",
        )


def attached_documents(
    citizen: Citizen, fields: list[dict], data: dict, errors: list[formdefs.FieldError]
) -> tuple[list[tuple[str, int]], list[formdefs.FieldError]]:
    """The (field, document id) pairs the data attaches, and the form's field `errors` plus one
    for each other file field naming a document that is not the citizen's (or is infected), so
    the citizen sees every error at once."""
    wanted: list[tuple[str, int]] = []
    for field in formdefs.file_fields(fields):
        value = data.get(field["key"])
        ids = value if isinstance(value, list) else [value] if value is not None else []
        wanted += [(field["key"], int(i)) for i in ids]
    if not wanted:
        return [], errors
    owned = set(
        Document.objects.filter(owner=citizen, pk__in=[i for _f, i in wanted])
        .exclude(scan=Document.Scan.INFECTED)
        .values_list("pk", flat=True)
    )
    flagged = {error.field for error in errors}
    missing = dict.fromkeys(  # in form order, once per field
        key for key, doc in wanted if doc not in owned and key not in flagged
    )
    message = _("Dokumen tidak ditemukan atau bukan milik pemohon.")
    return wanted, errors + [formdefs.FieldError(key, message, "document") for key in missing]
