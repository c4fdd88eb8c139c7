"""Outputs and receipts over HTTP: public verification of an issued output (no sign-in), a
check that a PDF is the issued one, an application's outputs with expiring download links, and
the submission receipt as PDF for its applicant."""

import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema
from ninja.files import UploadedFile

from mpp.cases import output_access, receipts
from mpp.cases.api import AUTH
from mpp.cases.models import Output
from mpp.core.errors import InvalidInput

public_router = Router(tags=["verifikasi"])
router = Router(tags=["permohonan"], auth=AUTH)  # bearer first (see cases/api.py)


class VerificationOut(Schema):
    code: str
    title: str
    agency: str
    region: str
    issued_at: datetime.datetime
    sha256: str
    status: str  # valid | revoked
    status_label: str
    revoked_at: datetime.datetime | None
    revoked_reason: str = Field(
        ..., description="Alasan publik pencabutan (label); kosong bila sah"
    )
    revoked_reason_code: str = Field(
        ...,
        description="kesalahan_data | diterbitkan_ulang | permintaan_pemegang | "
        "putusan_instansi | lainnya; kosong bila sah",
    )
    holder: str  # masked: "S*** A***"
    verify_url: str


class MatchOut(Schema):
    code: str
    match: bool


def verification(output: Output) -> dict[str, Any]:
    revoked = output.revoked_at is not None
    return {
        "code": output.code,
        "title": output.title,
        "agency": output.agency.name,
        "region": output.application.region.name,
        "issued_at": output.issued_at,
        "sha256": output.sha256,
        "status": "revoked" if revoked else "valid",
        "status_label": _("Dicabut") if revoked else _("Sah"),
        "revoked_at": output.revoked_at,
        "revoked_reason": output.get_revoked_public_reason_display() if revoked else "",
        "revoked_reason_code": output.revoked_public_reason if revoked else "",
        "holder": output_access.masked_name(output.application.applicant.full_name),
        "verify_url": output_access.verify_url(output.code),
    }


@public_router.get(
    "/verify/{code}",
    response=VerificationOut,
    summary="Periksa produk layanan dengan kode verifikasinya (tanpa data pribadi)",
)
def verify(request: HttpRequest, code: str, response: HttpResponse) -> dict[str, Any]:
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "no-store"
    return verification(output_access.for_verification(code))


@public_router.post(
    "/verify/{code}/match",
    response=MatchOut,
    summary="Cocokkan berkas PDF dengan produk yang diterbitkan (berkas tidak disimpan)",
)
def match(request: HttpRequest, code: str, file: File[UploadedFile]) -> dict[str, Any]:
    output = output_access.for_verification(code)
    output_access.throttle_file_checks(request)
    if file is None:
        raise InvalidInput(_("Pilih berkas PDF yang akan diperiksa."), field="file")
    return {"code": output.code, "match": output_access.matches(output, file)}


class OutputOut(VerificationOut):
    revoked_note: str = Field(..., description="Catatan petugas saat mencabut (tidak publik)")
    download_url: str = Field(..., description="Tautan unduhan untuk Anda saja, segera kedaluwarsa")
    download_expires_at: datetime.datetime


@router.get(
    "/applications/{tracking}/outputs",
    response=list[OutputOut],
    summary="Produk layanan permohonan (pemohon; petugas wilayahnya)",
)
def application_outputs(request: HttpRequest, tracking: str) -> list[dict[str, Any]]:
    _application, issued = output_access.readable_outputs(user=request.user, tracking=tracking)
    rows = []
    for output in issued:
        path, expires_at = output_access.make_link(user=request.user, output=output)
        rows.append(
            {
                **verification(output),
                "revoked_note": output.revoked_note,
                "download_url": request.build_absolute_uri(path),
                "download_expires_at": expires_at,
            }
        )
    return rows


@router.get(
    "/applications/{tracking}/receipt.pdf",
    response={200: None},
    summary="Tanda terima permohonan (PDF)",
    openapi_extra={"responses": {200: {"description": "PDF", "content": {"application/pdf": {}}}}},
)
def receipt(request: HttpRequest, tracking: str) -> HttpResponse:
    application = receipts.receipt_application(user=request.user, tracking=tracking)
    response = HttpResponse(receipts.render_receipt(application), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="tanda-terima-{application.tracking}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response
