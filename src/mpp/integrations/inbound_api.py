"""The inbound API for agency systems (`/api/v1/agency/…`), OAuth2 client credentials only."""

import datetime
from typing import Any

from django.db.models import Q
from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.security import HttpBearer
from oauth2_provider.models import Application as OAuthApplication
from oauth2_provider.oauth2_backends import get_oauthlib_core

from mpp.cases.models import Application
from mpp.core.errors import NotFound
from mpp.integrations import inbound


class AgencyClientToken(HttpBearer):
    """A client-credentials token with the `agency` scope of an app registered to an agency."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        valid, oauth_request = get_oauthlib_core().verify_request(request, scopes=["agency"])
        if not valid or getattr(oauth_request, "user", None) is not None:
            return None  # a person's token never acts as an agency system
        client = oauth_request.client
        if client.authorization_grant_type != OAuthApplication.GRANT_CLIENT_CREDENTIALS:
            return None
        return inbound.client_for(client)


router = Router(tags=["sistem instansi"], auth=AgencyClientToken())
PAGE = 500


def _client(request: HttpRequest) -> inbound.AgencyClient:
    return request.auth  # type: ignore[attr-defined]  # set by ninja from AgencyClientToken


class StepState(Schema):
    key: str
    status: str
    agency_id: int | None
    due_at: str | None


class ApplicationState(Schema):
    tracking: str
    status: str
    version: int
    steps: list[StepState]
    actions: dict[str, list[str]] = Field(
        ..., description="Per langkah yang terbuka untuk instansi ini: aksi yang boleh diambil"
    )
    applicant_subs: dict[str, str] = Field(
        default_factory=dict,
        description="`sub` OpenID Connect pemohon per aplikasi masuk (SSO) instansi ini",
    )


class ApplicationRow(Schema):
    tracking: str
    status: str
    version: int
    submitted_at: datetime.datetime


class AgencyActionIn(Schema):
    event_id: str = Field(..., description="Id kejadian dari sistem instansi (idempoten)")
    step: str
    reason: str = ""
    fields: list[str] = Field(default_factory=list, description="Isian yang perlu diperbaiki")


class CommentIn(Schema):
    event_id: str = Field(..., description="Id kejadian dari sistem instansi (idempoten)")
    body: str
    to_citizen: bool = Field(False, description="true: dikirim ke pemohon; false: catatan internal")


class CommentOut(Schema):
    comment_id: int
    tracking: str


class AgencyOutputOut(Schema):
    tracking: str
    code: str = Field(..., description="Kode verifikasi: /verify/{code}")
    title: str
    sha256: str
    issued_at: str
    verify_url: str


class ListFilter(Schema):
    status: Application.Status | None = None
    open: bool | None = Field(None, description="Hanya yang masih berjalan")
    after: str = Field("", description="Nomor lacak terakhir halaman sebelumnya (urut waktu ajuan)")


@router.get("/applications", response=list[ApplicationRow])
def list_applications(request: HttpRequest, filters: Query[ListFilter]) -> Any:
    rows = inbound.applications_of(_client(request))
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.open:
        rows = rows.filter(status__in=Application.OPEN_STATUSES)
    if filters.after:  # keyset paging on (submitted_at, id): stable while new ones arrive
        last = rows.filter(tracking=filters.after).values("submitted_at", "id").first()
        if last is None:
            raise NotFound(_("Permohonan tidak ditemukan."))
        rows = rows.filter(
            Q(submitted_at__gt=last["submitted_at"])
            | Q(submitted_at=last["submitted_at"], id__gt=last["id"])
        )
    return rows.order_by("submitted_at", "id")[:PAGE]


@router.get("/applications/{tracking}", response=ApplicationState)
def get_application(request: HttpRequest, tracking: str) -> Any:
    client = _client(request)
    return inbound.state_of(client, inbound.application_for(client, tracking))


@router.post("/applications/{tracking}/actions/{action}", response=ApplicationState)
def take_action(request: HttpRequest, tracking: str, action: str, body: AgencyActionIn) -> Any:
    return inbound.act(
        _client(request), tracking=tracking, step_key=body.step, action=action,
        event_id=body.event_id, reason=body.reason, fields=body.fields,
    )  # fmt: skip


@router.post("/applications/{tracking}/comments", response=CommentOut)
def add_comment(request: HttpRequest, tracking: str, body: CommentIn) -> Any:
    return inbound.comment(
        _client(request), tracking=tracking, body=body.body, to_citizen=body.to_citizen,
        event_id=body.event_id,
    )  # fmt: skip


@router.post("/applications/{tracking}/outputs", response=AgencyOutputOut)
def attach_output(
    request: HttpRequest,
    tracking: str,
    file: File[UploadedFile],
    event_id: Form[str],
    title: Form[str] = "",
) -> Any:
    """Attach the document the agency issued (PDF, multipart); idempotent by `event_id`."""
    return inbound.attach_output(
        _client(request), tracking=tracking, upload=file, title=title, event_id=event_id
    )


@router.get("/applications/{tracking}/documents/{document_id}")
def get_document(request: HttpRequest, tracking: str, document_id: int) -> Any:
    """The file of a document attached to the application; logged for the citizen."""
    document = inbound.document_of(_client(request), tracking=tracking, document_id=document_id)
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
