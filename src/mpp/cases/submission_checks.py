"""What a submission (cases/services.py) and a correction (cases/application_moves.py) both check: the
documents the citizen attached, against the form the application was filed on. Not Django system
checks (those are the apps' checks.py)."""

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


def _check_documents(citizen: Citizen, fields: list[dict], data: dict) -> list[tuple[str, int]]:
    wanted: list[tuple[str, int]] = []
    for field in formdefs.file_fields(fields):
        value = data.get(field["key"])
        ids = value if isinstance(value, list) else [value] if value is not None else []
        wanted += [(field["key"], int(i)) for i in ids]
    if not wanted:
        return []
    owned = set(
        Document.objects.filter(owner=citizen, pk__in=[i for _f, i in wanted])
        .exclude(scan=Document.Scan.INFECTED)
        .values_list("pk", flat=True)
    )
    missing = [key for key, doc in wanted if doc not in owned]
    if missing:
        raise InvalidInput(_("Dokumen tidak ditemukan atau bukan milik pemohon."), field=missing[0])
    return wanted
