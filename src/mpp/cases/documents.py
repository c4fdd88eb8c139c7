"""Documents: uploaded once, checked by content, scanned, reused across applications.

A file is accepted only when its bytes are a PDF, JPEG or PNG (`cases/filecheck.py`), whatever
its name. The uploader's file name is kept for display only; the stored
name is random and the storage is Django's default (local files or S3-compatible).

The same citizen uploading the same bytes again gets the document they already have.
"""

import hashlib
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mpp.accounts.models import Citizen, RoleGrant
from mpp.accounts.profile import citizen_of
from mpp.cases import formdefs, queries, scanning
from mpp.cases.filecheck import content_type_of, display_name, too_large
from mpp.cases.models import Application, ApplicationDocument, Document
from mpp.catalog.models import DocumentType
from mpp.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from mpp.core.identifiers import normalise_tracking
from mpp.integrations import events

logger = logging.getLogger(__name__)

PAGE = 50


@dataclass(frozen=True)
class Stored:
    document: Document
    created: bool  # False: the same bytes were already there, this is that document


@dataclass(frozen=True)
class Attached:
    attachment: ApplicationDocument
    created: bool


@dataclass(frozen=True)
class Readable:
    document: Document
    # Set when the reader is an officer: the application that gives them the right to read.
    application: Application | None


def _read(upload: File) -> bytes:
    """The whole file, refusing it before reading when it says it is too big."""
    limit = settings.MPP_UPLOAD_MAX_BYTES
    if (upload.size or 0) > limit:
        raise too_large(upload.size or 0)
    upload.seek(0)
    data = b"".join(upload.chunks())
    if len(data) > limit:
        raise too_large(len(data))
    return data


# --- Storing ----------------------------------------------------------------------------------


def _twin(owner: Citizen, digest: str) -> Document | None:
    return Document.objects.filter(owner=owner, sha256=digest).order_by("created_at", "id").first()


def _store(
    *, owner: Citizen, user: Any, upload: File, document_type: DocumentType | None
) -> Stored:
    data = _read(upload)
    content_type = content_type_of(data)
    digest = hashlib.sha256(data).hexdigest()
    twin = _twin(owner, digest)
    if twin is not None:
        return Stored(twin, created=False)
    document = Document(
        owner=owner,
        document_type=document_type,
        original_name=display_name(upload.name or "", content_type),
        content_type=content_type,
        size=len(data),
        sha256=digest,
        uploaded_by=user,
        created_at=timezone.now(),
    )
    # Written to storage before the transaction: no network I/O (S3) while rows are locked.
    document.file.save("upload", ContentFile(data), save=False)
    try:
        with transaction.atomic():
            # One upload per citizen at a time, so the twin check below is exact.
            Citizen.objects.select_for_update().filter(pk=owner.pk).first()
            twin = _twin(owner, digest)
            if twin is None:
                document.save()
                _enqueue_scan(document.pk)
    except BaseException:
        document.file.delete(save=False)
        raise
    if twin is not None:
        document.file.delete(save=False)
        return Stored(twin, created=False)
    return Stored(document, created=True)


def _enqueue_scan(document_id: int) -> None:
    from mpp.cases.tasks import scan_document  # tasks import this module

    scan_document.enqueue(document_id=document_id)  # a task row in the upload's transaction


def upload_document(*, user: Any, upload: File, document_type: str | None = None) -> Stored:
    """A citizen uploads a file to their own documents (reusable in any application)."""
    owner = citizen_of(user)
    kind = None
    if document_type:
        kind = DocumentType.objects.filter(slug=document_type).first()
        if kind is None:
            raise InvalidInput(_("Jenis dokumen tidak dikenal."), field="document_type")
    return _store(owner=owner, user=user, upload=upload, document_type=kind)


def upload_for_citizen(
    *, officer: Any, citizen: Citizen, region_code: str, upload: File, document_type: str | None
) -> Stored:
    """A counter officer scans a walk-in citizen's paper into the citizen's documents (owned by
    the citizen, uploaded_by the officer); the citizen sees it in "who used my data"."""
    from mpp.accounts.privacy import record_access
    from mpp.core.roles import Role

    if not RoleGrant.objects.filter(
        user_id=officer.pk, role=Role.COUNTER_OFFICER, region_id=region_code
    ).exists():
        raise Forbidden(_("Hanya petugas loket wilayah ini yang dapat mengunggah untuk warga."))
    kind = DocumentType.objects.filter(slug=document_type).first() if document_type else None
    stored = _store(owner=citizen, user=officer, upload=upload, document_type=kind)
    record_access(
        citizen=citizen, accessor=officer, purpose=_("Mengunggah dokumen warga di loket MPP"),
        fields=["documents"], region_code=region_code,
    )  # fmt: skip
    logger.info("counter upload: document %s for citizen %s", stored.document.pk, citizen.pk)
    return stored


def discard_new_uploads(*, user: Any, stored: list[Stored]) -> int:
    """Undo the uploads of a form POST that then failed, so a failed attempt leaves no document
    behind: delete each document this POST created (`created`, uploaded by `user`) that no
    application uses. A twin the dedupe returned was there before and is kept. Returns how many
    were deleted."""
    ids = [item.document.pk for item in stored if item.created]
    if not ids:
        return 0
    owners = {item.document.owner_id for item in stored if item.created}
    with transaction.atomic():
        # The owner lock of `_store`: no upload of the same bytes picks one of these as its twin
        # while they go.
        list(Citizen.objects.select_for_update().filter(pk__in=owners).order_by("pk"))
        doomed = list(
            Document.objects.filter(pk__in=ids, uploaded_by_id=user.pk).exclude(
                pk__in=ApplicationDocument.objects.values("document_id")
            )
        )
        Document.objects.filter(pk__in=[document.pk for document in doomed]).delete()
    for document in doomed:  # after the rows: storage I/O (S3) never holds a lock
        document.file.delete(save=False)
    return len(doomed)


def scan_document(*, document_id: int) -> str | None:
    """Run the configured scanner on a document still waiting for it; a scanned one is left as
    it is, so running twice has one effect. A scanner error leaves it pending (the task fails)."""
    document = Document.objects.filter(pk=document_id, scan=Document.Scan.PENDING).first()
    if document is None:
        return None
    with document.file.open("rb") as stream:
        verdict = scanning.scanner().scan(stream)
    Document.objects.filter(pk=document.pk, scan=Document.Scan.PENDING).update(scan=verdict.scan)
    if verdict.scan == Document.Scan.INFECTED:
        logger.warning("document %s infected: %s", document.pk, verdict.signature)
    return verdict.scan


# --- Attaching to an application ---------------------------------------------------------------


def _application_for(user: Any, tracking: str) -> Application:
    """The applicant's own application, or one within the user's `queries.staff_scope`."""
    reach = queries.staff_scope(user)
    citizen = Citizen.objects.filter(user_id=user.pk).first()
    if citizen is not None:
        reach |= Q(applicant=citizen)
    application = (
        Application.objects.select_related("form_definition", "offering__form_extension")
        .filter(reach, tracking=normalise_tracking(tracking))
        .first()
    )
    if application is None:
        raise NotFound(_("Permohonan tidak ditemukan."))
    return application


def _file_field(application: Application, key: str) -> dict[str, Any]:
    form = application.form_definition
    extension = getattr(application.offering, "form_extension", None)
    fields = (
        formdefs.effective_fields(form.definition, extension.fields if extension else None)
        if form is not None
        else []
    )
    spec = next((f for f in formdefs.file_fields(fields) if f["key"] == key), None)
    if spec is None:
        raise InvalidInput(
            _("Isian ini bukan isian berkas pada formulir permohonan."), field="field"
        )
    return spec


def _require_open(application: Application) -> None:
    if not application.is_open:
        raise Conflict(_("Permohonan ini sudah selesai; dokumen tidak dapat ditambahkan lagi."))


def attach_document(
    *,
    user: Any,
    tracking: str,
    field: str,
    document_id: int | None = None,
    upload: File | None = None,
) -> Attached:
    """Attach one of the applicant's documents (or a new upload) to an open application for a
    file field of its form. The applicant may, and so may staff who may read the application
    (`queries.staff_scope`: a counter officer scanning paper for the walk-in citizen they filed
    for, an officer of an agency with a step in it); the document is the citizen's."""
    if (document_id is None) == (upload is None):
        raise InvalidInput(
            _("Kirim salah satu: dokumen yang sudah diunggah atau berkas baru."),
            field="document_id",
        )
    application = _application_for(user, tracking)
    spec = _file_field(application, field)
    _require_open(application)
    if upload is not None:
        kind = DocumentType.objects.filter(slug=spec.get("document_type") or "").first()
        document = _store(
            owner=application.applicant, user=user, upload=upload, document_type=kind
        ).document
        problem_field = "file"
    else:
        found = Document.objects.filter(
            pk=int(document_id or 0), owner_id=application.applicant_id
        ).first()
        if found is None:
            raise InvalidInput(
                _("Dokumen tidak ditemukan atau bukan milik pemohon."), field="document_id"
            )
        document, problem_field = found, "document_id"
    if document.scan == Document.Scan.INFECTED:
        raise InvalidInput(
            _("Dokumen ini terdeteksi berisi program berbahaya dan tidak dapat dilampirkan."),
            field=problem_field,
        )
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        _require_open(locked)
        existing = ApplicationDocument.objects.filter(
            application=locked, document=document, field=field
        ).first()
        if existing is not None:
            return Attached(existing, created=False)
        attachment = ApplicationDocument.objects.create(
            application=locked, document=document, field=field, added_by=user
        )
        events.emit(
            locked, "document.added",
            extra={"document": {"id": document.pk, "field": field, "sha256": document.sha256}},
        )  # fmt: skip
    return Attached(attachment, created=True)


# --- Reading ----------------------------------------------------------------------------------


def list_my_documents(*, user: Any, page: int = 1) -> list[Document]:
    """The citizen's own documents, newest first, to reuse in a new application."""
    start = (max(page, 1) - 1) * PAGE
    rows = Document.objects.filter(owner=citizen_of(user)).select_related("document_type")
    return list(rows.order_by("-created_at", "-id")[start : start + PAGE])


def kept_documents(citizen: Citizen, *, limit: int = 50) -> list[formdefs.KeptDocument]:
    """The citizen's documents that a form may offer again (not the infected), newest first."""
    rows = (
        Document.objects.filter(owner=citizen)
        .exclude(scan=Document.Scan.INFECTED)
        .order_by("-created_at", "-id")
        .values_list("pk", "original_name", "document_type__slug", "created_at", "scan")[:limit]
    )
    return [
        formdefs.KeptDocument(
            id=pk,
            name=name,
            type=slug or "",
            created_at=created,
            pending=scan == Document.Scan.PENDING,
        )
        for pk, name, slug, created, scan in rows
    ]


def readable_document(*, user: Any, document_id: int) -> Readable:
    """The document when the user owns it, or may read (`queries.staff_scope`) an application
    it is attached to; "not found" otherwise, so nobody learns that it exists."""
    if not getattr(user, "is_authenticated", False):
        raise NotFound(_("Dokumen tidak ditemukan."))
    document = Document.objects.select_related("owner").filter(pk=document_id).first()
    if document is None:
        raise NotFound(_("Dokumen tidak ditemukan."))
    if document.owner.user_id == user.pk:
        return Readable(document, application=None)
    application = (
        Application.objects.filter(queries.staff_scope(user), attachments__document=document)
        .order_by("-submitted_at")
        .first()
    )
    if application is None:
        raise NotFound(_("Dokumen tidak ditemukan."))
    return Readable(document, application=application)


def require_safe(document: Document) -> None:
    if document.scan == Document.Scan.INFECTED:
        raise Conflict(
            _("Dokumen ini terdeteksi berisi program berbahaya dan tidak dapat diunduh.")
        )
