"""Expiring download links for documents: `/berkas/<signed token>`.

A link is signed (TimestampSigner) with the document and the user it was made for, and lives
MPP_DOWNLOAD_LINK_SECONDS. Opening it checks again, at that moment, that the requester is that
user and still may read the document: its owner, or staff who may read an application it is
attached to (`queries.staff_scope`: the responsible agencies' officers, the region's manager,
the counter officer who filed it). Every officer download is written to the citizen's
"who used my data" log.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from mpp.accounts.bearer import AccessToken
from mpp.accounts.privacy import record_access
from mpp.cases import documents, queries
from mpp.cases.formdefs.display import ShownDocument
from mpp.cases.models import Application, Document
from mpp.core.errors import DomainError

_SALT = "mpp.cases.download"


@dataclass(frozen=True)
class Link:
    path: str
    expires_at: datetime.datetime


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=_SALT)


def make_download_link(*, user: Any, document_id: int) -> Link:
    """A link for this user only; refused (404) when they may not read the document now."""
    readable = documents.readable_document(user=user, document_id=document_id)
    documents.require_safe(readable.document)
    token = _signer().sign_object({"d": readable.document.pk, "u": user.pk})
    return Link(
        path=reverse("cases:download", args=[token]),
        expires_at=timezone.now() + datetime.timedelta(seconds=settings.MPP_DOWNLOAD_LINK_SECONDS),
    )


def links_for(*, user: Any, documents: Iterable[Document]) -> dict[int, Link]:
    """Links for documents the caller already knows this user may read (the officer's
    application page: the application was found in the user's reach). No query; an infected
    document gets none. Opening a link checks again, as any link does."""
    expires_at = timezone.now() + datetime.timedelta(seconds=settings.MPP_DOWNLOAD_LINK_SECONDS)
    signer = _signer()
    return {
        document.pk: Link(
            path=reverse(
                "cases:download", args=[signer.sign_object({"d": document.pk, "u": user.pk})]
            ),
            expires_at=expires_at,
        )
        for document in documents
        if document.scan != Document.Scan.INFECTED
    }


def shown_attachments(
    user: Any, application: Application, labels: dict[str, str]
) -> dict[int, ShownDocument]:
    """The application's attached documents as its pages list them, by id, each with a link for
    `user` (who may read the application) unless it is infected. Two queries, none per document."""
    attachments = queries.attachments_of(application)
    links = links_for(user=user, documents=[a.document for a in attachments])
    formats = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}
    shown: dict[int, ShownDocument] = {}
    for attachment in attachments:
        document = attachment.document
        link = links.get(document.pk)
        shown.setdefault(document.pk, ShownDocument(
            id=document.pk, name=document.original_name, field=attachment.field,
            field_label=labels.get(attachment.field, attachment.field),
            kind=document.document_type.name if document.document_type else "",
            format=formats.get(document.content_type, document.content_type),
            size=document.size, scan=document.scan, scan_label=str(document.get_scan_display()),
            url=link.path if link else "",
        ))  # fmt: skip
    return shown


def _refused(status: int, message: str) -> HttpResponse:
    response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _requester(request: HttpRequest) -> Any:
    """The signed-in user, or the user of an `applications` bearer token (mobile apps)."""
    if request.user.is_authenticated:
        return request.user
    if request.headers.get("Authorization", "").lower().startswith("bearer "):
        return AccessToken("applications")(request)
    return None


@never_cache
@require_GET
def download(request: HttpRequest, token: str) -> HttpResponseBase:
    try:
        claims = _signer().unsign_object(token, max_age=settings.MPP_DOWNLOAD_LINK_SECONDS)
    except signing.SignatureExpired:
        return _refused(410, _("Tautan unduhan sudah kedaluwarsa. Minta tautan baru."))
    except signing.BadSignature:
        return _refused(404, _("Tautan unduhan tidak sah."))
    user = _requester(request)
    if user is None:
        return redirect_to_login(request.get_full_path())
    if not isinstance(claims, dict) or claims.get("u") != user.pk:
        return _refused(404, _("Tautan unduhan tidak sah."))
    try:
        readable = documents.readable_document(user=user, document_id=int(claims["d"]))
        documents.require_safe(readable.document)
    except DomainError as error:
        return _refused(error.status, str(error.message))
    document = readable.document
    if readable.application is not None:
        _log_officer_read(user, document, readable.application)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def _log_officer_read(user: Any, document: Document, application: Any) -> None:
    fields = sorted(
        set(document.attachments.filter(application=application).values_list("field", flat=True))
    )
    record_access(
        citizen=document.owner,
        accessor=user,
        purpose=f"Mengunduh dokumen permohonan {application.tracking}",
        fields=[f"{field}: {document.original_name}" for field in fields],
        region_code=application.region_id,
    )
