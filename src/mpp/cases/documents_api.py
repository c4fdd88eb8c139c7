"""Documents over HTTP: upload once, list mine, attach to an application, get a download link.

Uploads are multipart (`file`); PDF, JPEG or PNG judged by content, at most MPP_UPLOAD_MAX_BYTES.
"""

import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.security import django_auth

from mpp.accounts.bearer import AccessToken
from mpp.cases import documents
from mpp.cases.download import make_download_link
from mpp.cases.models import ApplicationDocument, Document

# Bearer first: django_auth refuses any unsafe request without a CSRF token (403) instead of
# passing it on, which would shut out mobile and partner apps.
AUTH = [AccessToken("applications"), django_auth]
router = Router(tags=["dokumen"], auth=AUTH)


class DocumentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str
    document_type: str | None = Field(None, description="slug jenis dokumen, bila diketahui")
    scan: str = Field(..., description="pending | clean | infected | skipped")
    scan_label: str
    created_at: datetime.datetime


class AttachmentOut(Schema):
    tracking: str
    field: str
    document: DocumentOut
    added_at: datetime.datetime


class LinkOut(Schema):
    url: str
    expires_at: datetime.datetime


def _document(document: Document) -> dict[str, Any]:
    return {
        "id": document.pk,
        "name": document.original_name,
        "content_type": document.content_type,
        "size": document.size,
        "sha256": document.sha256,
        "document_type": document.document_type.slug if document.document_type else None,
        "scan": document.scan,
        "scan_label": document.get_scan_display(),
        "created_at": document.created_at,
    }


def _attachment(attachment: ApplicationDocument) -> dict[str, Any]:
    return {
        "tracking": attachment.application.tracking,
        "field": attachment.field,
        "document": _document(attachment.document),
        "added_at": attachment.added_at,
    }


@router.post(
    "/documents",
    response={200: DocumentOut, 201: DocumentOut},
    summary="Unggah dokumen (PDF, JPEG, PNG); berkas yang sama dua kali: dokumen yang sama",
)
def upload(
    request: HttpRequest,
    response: HttpResponse,
    file: File[UploadedFile],
    document_type: Form[str | None] = None,
) -> Any:
    stored = documents.upload_document(
        user=request.user, upload=file, document_type=document_type or None
    )
    response["Location"] = f"/api/v1/documents/{stored.document.pk}/link"
    return Status(201 if stored.created else 200, _document(stored.document))


@router.get("/documents", response=list[DocumentOut], summary="Dokumen saya (dapat dipakai ulang)")
def mine(request: HttpRequest, page: int = Query(1, ge=1, le=1000)) -> list[dict[str, Any]]:
    return [_document(d) for d in documents.list_my_documents(user=request.user, page=page)]


@router.post(
    "/applications/{tracking}/documents",
    response={200: AttachmentOut, 201: AttachmentOut},
    summary="Lampirkan dokumen saya (document_id) atau berkas baru (file) pada isian berkas",
)
def attach(
    request: HttpRequest,
    tracking: str,
    field: Form[str],
    document_id: Form[int | None] = None,
    file: File[UploadedFile | None] = None,
) -> Any:
    attached = documents.attach_document(
        user=request.user, tracking=tracking, field=field, document_id=document_id, upload=file
    )
    return Status(201 if attached.created else 200, _attachment(attached.attachment))


@router.get(
    "/documents/{document_id}/link",
    response=LinkOut,
    summary="Tautan unduhan yang segera kedaluwarsa (hanya untuk Anda)",
)
def link(request: HttpRequest, document_id: int) -> dict[str, Any]:
    made = make_download_link(user=request.user, document_id=document_id)
    return {"url": request.build_absolute_uri(made.path), "expires_at": made.expires_at}
