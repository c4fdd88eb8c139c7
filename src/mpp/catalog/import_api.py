from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.security import django_auth

from mpp.catalog import queries, services
from mpp.catalog.models import CatalogImport

router = Router(tags=["impor katalog"], auth=django_auth)


class ImportRowError(Schema):
    row: int | None
    field: str | None
    message: str


class ImportOut(Schema):
    id: int
    filename: str
    format: str
    region: str | None
    status: str
    total_rows: int
    processed_rows: int
    applied_rows: int
    progress_percent: int
    report: list[ImportRowError]


def _out(job: CatalogImport) -> dict[str, Any]:
    return {
        **{f: getattr(job, f) for f in ImportOut.model_fields if f != "region"},
        "region": job.region_id,
    }


@router.post("", response={202: ImportOut}, summary="Impor layanan daerah (CSV, XLSX, CPSV-AP)")
def start_import(
    request: HttpRequest, file: File[UploadedFile], region: Form[str | None] = None
) -> Status[dict[str, Any]]:
    job = services.start_import(actor=request.user, upload=file, region_code=region or None)
    return Status(202, _out(job))


@router.get("/{import_id}", response=ImportOut, summary="Status dan laporan satu impor")
def get_import(request: HttpRequest, import_id: int) -> dict[str, Any]:
    return _out(queries.get_import_for_user(user=request.user, import_id=import_id))
