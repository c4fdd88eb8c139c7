"""Documents: uploaded once, checked by content, scanned, reused across applications.

A file is accepted only when its bytes are a PDF, JPEG or PNG: the type is sniffed from the magic
bytes (`filetype`) and the structure checked (PDF header and trailer; JPEG segments up to the
image data; every PNG chunk with its checksum), so a renamed .exe or an HTML page called foto.jpg
is refused whatever its name. The uploader's file name is kept for display only; the stored
name is random and the storage is Django's default (local files or S3-compatible).

The same citizen uploading the same bytes again gets the document they already have.
"""

import hashlib
import logging
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import filetype
from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from mpp.accounts.models import Citizen, RoleGrant
from mpp.accounts.profile import citizen_of
from mpp.cases import formdefs, scanning
from mpp.cases.models import Application, ApplicationDocument, Document
from mpp.catalog.models import DocumentType
from mpp.core.errors import Conflict, InvalidInput, NotFound, TooLarge
from mpp.core.identifiers import normalise_tracking

logger = logging.getLogger(__name__)

PAGE = 50
KINDS = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}
EXTENSIONS = {"application/pdf": (".pdf",), "image/jpeg": (".jpg", ".jpeg"), "image/png": (".png",)}
TAIL = 1024  # a PDF's %%EOF and a JPEG's end marker must sit this close to the end


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


# --- What the bytes are -----------------------------------------------------------------------


def _pdf_is_whole(data: bytes) -> bool:
    return data.startswith(b"%PDF-") and b"%%EOF" in data[-TAIL:]


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _png_is_whole(data: bytes) -> bool:
    """IHDR first, at least one IDAT, IEND last and at the very end, every chunk's CRC right."""
    if not data.startswith(_PNG_SIGNATURE) or len(data) < 8 + 25:
        return False
    position, kinds = len(_PNG_SIGNATURE), set()
    first = last = b""
    while position + 12 <= len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        end = position + 12 + length
        if end > len(data):
            return False
        (crc,) = struct.unpack(">I", data[end - 4 : end])
        if zlib.crc32(data[position + 4 : end - 4]) != crc:
            return False
        first, last = first or kind, kind
        kinds.add(kind)
        position = end
        if kind == b"IEND":
            break
    width, height = struct.unpack(">II", data[16:24])
    return (
        first == b"IHDR"
        and last == b"IEND"
        and b"IDAT" in kinds
        and position == len(data)
        and width > 0
        and height > 0
    )


# Start-of-frame markers carry the image size; C4, C8 and CC are other segments.
_JPEG_FRAMES = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def _jpeg_is_whole(data: bytes) -> bool:
    """Walk the segments from SOI to the start of scan: a frame with a size must come first."""
    if not data.startswith(b"\xff\xd8") or b"\xff\xd9" not in data[-TAIL:]:
        return False
    position, framed = 2, False
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            return False
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # markers without a length
            position += 2
            continue
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        if length < 2 or position + 2 + length > len(data):
            return False
        if marker in _JPEG_FRAMES:
            if length < 8:
                return False
            height, width = struct.unpack(">HH", data[position + 5 : position + 9])
            framed = width > 0 and height > 0
        if marker == 0xDA:  # start of scan: entropy-coded data follows
            return framed
        position += 2 + length
    return False


_WHOLE: dict[str, Callable[[bytes], bool]] = {
    "application/pdf": _pdf_is_whole,
    "image/jpeg": _jpeg_is_whole,
    "image/png": _png_is_whole,
}


def _too_large(size: int) -> TooLarge:
    return TooLarge(
        _("Berkas terlalu besar (%(size)s). Ukuran maksimal %(limit)s.")
        % {
            "size": filesizeformat(size),
            "limit": filesizeformat(settings.MPP_UPLOAD_MAX_BYTES),
        },
        field="file",
    )


def _read(upload: File) -> bytes:
    """The whole file, refusing it before reading when it says it is too big."""
    limit = settings.MPP_UPLOAD_MAX_BYTES
    if (upload.size or 0) > limit:
        raise _too_large(upload.size or 0)
    upload.seek(0)
    data = b"".join(upload.chunks())
    if len(data) > limit:
        raise _too_large(len(data))
    return data


def content_type_of(data: bytes) -> str:
    """What the bytes really are (PDF, JPEG or PNG), or a refusal the citizen can act on."""
    if not data:
        raise InvalidInput(_("Berkas kosong. Pilih berkas yang berisi dokumen."), field="file")
    if len(data) > settings.MPP_UPLOAD_MAX_BYTES:
        raise _too_large(len(data))
    kind = filetype.guess(data[:8192])
    mime = kind.mime if kind is not None else ""
    if mime not in KINDS:
        raise InvalidInput(
            _(
                "Jenis berkas tidak didukung. Unggah PDF, JPEG, atau PNG; jenis berkas dinilai "
                "dari isinya, bukan dari namanya."
            ),
            field="file",
        )
    if not _WHOLE[mime](data):
        raise InvalidInput(
            _("Berkas %(kind)s ini rusak atau tidak utuh. Unggah ulang dari berkas aslinya.")
            % {"kind": KINDS[mime]},
            field="file",
        )
    return mime


def display_name(name: str, content_type: str) -> str:
    """The uploader's name without folders or control characters, its extension matching the
    content, so a download opens in the right program. Only ever shown, never a path."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    clean = "".join(ch for ch in base if ch.isprintable()).strip().lstrip(".") or _("berkas")
    extensions = EXTENSIONS[content_type]
    if not clean.lower().endswith(extensions):
        clean += extensions[0]
    stem, dot, extension = clean.rpartition(".")
    return f"{stem[: 199 - len(extension)]}{dot}{extension}"


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
    """The applicant's own application, or one in a region where the user holds a grant."""
    reach = Q(region_id__in=RoleGrant.objects.filter(user_id=user.pk).values("region_id"))
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
    file field of its form. The applicant may, and so may officers of the application's region
    (a counter officer scanning paper for a walk-in citizen); the document is the citizen's."""
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
    return Attached(attachment, created=True)


# --- Reading ----------------------------------------------------------------------------------


def list_my_documents(*, user: Any, page: int = 1) -> list[Document]:
    """The citizen's own documents, newest first, to reuse in a new application."""
    start = (max(page, 1) - 1) * PAGE
    rows = Document.objects.filter(owner=citizen_of(user)).select_related("document_type")
    return list(rows.order_by("-created_at", "-id")[start : start + PAGE])


def readable_document(*, user: Any, document_id: int) -> Readable:
    """The document when the user owns it, or holds a grant in the region of an application it
    is attached to; "not found" otherwise, so nobody learns that it exists."""
    if not getattr(user, "is_authenticated", False):
        raise NotFound(_("Dokumen tidak ditemukan."))
    document = Document.objects.select_related("owner").filter(pk=document_id).first()
    if document is None:
        raise NotFound(_("Dokumen tidak ditemukan."))
    if document.owner.user_id == user.pk:
        return Readable(document, application=None)
    application = (
        Application.objects.filter(
            attachments__document=document,
            region_id__in=RoleGrant.objects.filter(user_id=user.pk).values("region_id"),
        )
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
