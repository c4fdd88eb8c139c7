"""An apply form, one way for the citizen's, the bundle's and the counter's pages: drawing it
(`form_for_citizen`) and handling its POST.

Files chosen in the form's file fields are stored first (the form's check needs their document
ids); then a group-row button ("add:saksi") redraws the form, or the page's own `file(data)`
files it. A field error comes back as a 400 with every error, a domain error as a message with
its status; either way the documents the POST stored are taken back (`Uploads.discard`).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse

from mpp.cases import documents, formdefs
from mpp.cases.formdefs.rendering import ROW_ACTION
from mpp.core.errors import DomainError

Store = Callable[[Any, str | None], documents.Stored]  # (upload, document_type) -> the document
File = Callable[[dict[str, Any]], HttpResponse | None]  # data -> the page after filing, or None
SaveDraft = Callable[[dict[str, Any], str], Any]  # (data, the page's Idempotency-Key)

AUTOSAVE_HEADER = "X-MPP-Autosave"


@dataclass
class Uploads:
    """The files of one form POST, stored as documents, with their ids put into the data."""

    data: dict[str, Any]
    errors: list[formdefs.FieldError]
    stored: list[documents.Stored]
    before: dict[str, Any]  # the posted value of each file field that got files, before them

    def discard(self, user: Any) -> dict[str, Any]:
        """The POST failed: delete the documents it created (`documents.discard_new_uploads`)
        and give back the data without this POST's files, so the page shown again does not
        point at a deleted document; the files are chosen again for the next attempt."""
        documents.discard_new_uploads(user=user, stored=self.stored)
        data = {key: value for key, value in self.data.items() if key not in self.before}
        return data | {key: value for key, value in self.before.items() if value is not None}


def store_uploads(
    request: HttpRequest, fields: list[dict], data: dict[str, Any], store: Store | None = None
) -> Uploads:
    """Store the files chosen in the form's file fields; their document ids go into the data.
    A refused file becomes that field's error, and the rest of the form is kept. `store(upload,
    document_type)` keeps one file (default: as the signed-in citizen's own document). When the
    POST then fails, `Uploads.discard` takes the new documents back."""
    if store is None:

        def store(upload: Any, document_type: str | None) -> documents.Stored:
            return documents.upload_document(
                user=request.user, upload=upload, document_type=document_type
            )

    errors: list[formdefs.FieldError] = []
    stored: list[documents.Stored] = []
    before: dict[str, Any] = {}
    for field in formdefs.file_fields(fields):
        ids = []
        for upload in request.FILES.getlist(field["key"]):
            try:
                kept = store(upload, field.get("document_type"))
            except DomainError as exc:
                errors.append(
                    formdefs.FieldError(field=field["key"], message=str(exc.message), code=exc.code)
                )
                break
            stored.append(kept)
            ids.append(kept.document.pk)
        if ids:
            key = field["key"]
            before[key] = data.get(key)
            if field.get("multiple"):  # new files join the kept documents ticked beside them
                ticked = [int(v) for v in data.get(key) or [] if str(v).isdecimal()]
                data[key] = list(dict.fromkeys([*ticked, *ids]))
            else:  # one document: a new file wins over a kept one picked
                data[key] = ids[0]
    return Uploads(data=data, errors=errors, stored=stored, before=before)


@dataclass(frozen=True)
class Posted:
    """What the page draws after the POST, or `response` (where filing leads) to return."""

    data: dict[str, Any]
    errors: list[formdefs.FieldError]
    status: int
    response: HttpResponse | None = None


def handle_apply_post(
    request: HttpRequest, fields: list[dict], file: File, *, store: Store | None = None
) -> Posted:
    """Store the files, then redraw for a group-row button or `file(data)`; errors as above."""
    uploads = store_uploads(request, fields, formdefs.data_from_post(fields, request.POST), store)
    data, errors, status = uploads.data, uploads.errors, 200
    try:
        if errors:
            status = 400
        elif request.POST.get(ROW_ACTION):
            data = formdefs.row_action(fields, data, request.POST[ROW_ACTION])
        elif (response := file(data)) is not None:
            return Posted(data=data, errors=[], status=200, response=response)
    except formdefs.FormInvalid as exc:
        errors = [formdefs.FieldError(**e) for e in exc.errors]
        status = 400
    except DomainError as exc:
        messages.error(request, str(exc.message))
        status = exc.status
    if status >= 400:
        data = uploads.discard(request.user)
    return Posted(data=data, errors=errors, status=status)


def form_for_citizen(
    fields: list[dict],
    citizen: Any,
    *,
    data: dict[str, Any],
    errors: list[formdefs.FieldError],
    prefilled: dict[str, Any],
) -> formdefs.rendering.FormView:
    """The form to draw, its file fields offering the citizen's documents on file."""
    kept = documents.kept_documents(citizen) if formdefs.file_fields(fields) else []
    return formdefs.form_view(fields, data=data, errors=errors, prefilled=prefilled, documents=kept)


def is_autosave(request: HttpRequest) -> bool:
    """The page saving its own draft as the citizen types (cases/static/cases/draft.js)."""
    return (
        request.method == "POST"
        and request.POST.get("action") == "draft"
        and bool(request.headers.get(AUTOSAVE_HEADER))
    )


def autosave(request: HttpRequest, fields: list[dict], save: SaveDraft) -> HttpResponse:
    """Keep the answers so far, without files (they upload with the form), and answer 204: no
    page back. The save carries the page's Idempotency-Key, so one landing after the page was
    filed stays dead (cases/drafts.py)."""
    data = formdefs.data_from_post(fields, request.POST)
    try:
        save(data, request.POST.get("idempotency_key", ""))
    except DomainError as exc:
        return HttpResponse(str(exc.message), status=exc.status, content_type="text/plain")
    return HttpResponse(status=204)
