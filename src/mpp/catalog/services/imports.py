"""Catalogue imports: accept a file, check every row, then apply all of it or none of it."""

import logging
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mpp.catalog.imports import (
    FileRejected,
    OfferingRow,
    RowError,
    parse_row,
    read_table,
    sniff_format,
)
from mpp.catalog.models import CatalogImport
from mpp.catalog.services.offerings import check_offering, save_offering
from mpp.core.errors import DomainError, Forbidden, InvalidInput
from mpp.core.roles import Perm
from mpp.core.tenancy import require_region, scope_for
from mpp.regions.queries import get_kabkota

PROGRESS_EVERY = 100
logger = logging.getLogger(__name__)


@transaction.atomic
def start_import(*, actor: Any, upload: UploadedFile, region_code: str | None) -> CatalogImport:
    """Keep the file and queue its processing (the task row commits with the import row)."""
    from mpp.catalog.tasks import process_catalog_import

    if region_code:
        require_region(actor, Perm.MANAGE_OFFERINGS, region_code)
        get_kabkota(code=region_code)  # 404 for an unknown or provincial code
    elif not scope_for(actor, Perm.MANAGE_TEMPLATES).everywhere:
        raise Forbidden(_("Impor tanpa wilayah hanya untuk admin nasional."))
    limit = settings.MPP_UPLOAD_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise InvalidInput(
            _("Berkas terlalu besar (maksimal %(mb)s MB).") % {"mb": limit // (1024 * 1024)},
            field="file",
        )
    try:
        file_format = sniff_format(upload.read(2048))
    except FileRejected as exc:
        raise InvalidInput(str(exc), field="file") from exc
    upload.seek(0)
    job = CatalogImport.objects.create(
        region_id=region_code or None,
        uploaded_by=actor,
        filename=(upload.name or "import")[:200],
        format=file_format,
        file=upload,
    )
    process_catalog_import.enqueue(import_id=job.pk)
    return job


def _rows(job: CatalogImport, data: bytes) -> list[tuple[int, dict[str, str]]]:
    if job.format in (CatalogImport.Format.TURTLE, CatalogImport.Format.JSONLD):
        from mpp.catalog import opendata

        reader = getattr(opendata, "rows_from_cpsv", None)
        if reader is None:
            raise FileRejected(_("Impor CPSV-AP belum tersedia; gunakan CSV atau XLSX."))
        return list(reader(data, job.format))
    return list(read_table(data, job.format))


def _check(
    job: CatalogImport, rows: list[tuple[int, dict[str, str]]]
) -> tuple[list[OfferingRow], list[dict[str, Any]]]:
    parsed: list[OfferingRow] = []
    errors: list[dict[str, Any]] = []
    seen: dict[tuple[str, str], int] = {}
    for index, (line, cells) in enumerate(rows, start=1):
        try:
            row = parse_row(line, cells, default_region=job.region_id)
            if (row.region, row.service) in seen:
                raise RowError(
                    "service",
                    _("Layanan ini sudah ada di baris %(line)s.")
                    % {"line": seen[(row.region, row.service)]},
                )
            check_offering(actor=job.uploaded_by, **row.offering_terms())
            seen[(row.region, row.service)] = line
            parsed.append(row)
        except RowError as exc:
            errors.append({"row": line, "field": exc.field, "message": exc.message})
        except DomainError as exc:
            errors.append(
                {"row": line, "field": exc.field or "region", "message": str(exc.message)}
            )
        if index % PROGRESS_EVERY == 0:
            CatalogImport.objects.filter(pk=job.pk).update(processed_rows=index)
    return parsed, errors


def process_import(*, job: CatalogImport) -> CatalogImport:
    """Check every row (progress is visible meanwhile), then apply them in one transaction.
    Whatever goes wrong, the job ends rejected with a reason: never stuck, never half-applied."""
    try:
        return _process(job)
    except DomainError as exc:
        message = str(exc.message)
    except Exception:
        logger.exception("catalogue import %s failed", job.pk)
        message = _("Impor gagal karena kesalahan sistem; tidak ada yang diimpor.")
    return _finish(
        job,
        CatalogImport.Status.REJECTED,
        report=[{"row": None, "field": "file", "message": message}],
    )


def _process(job: CatalogImport) -> CatalogImport:
    CatalogImport.objects.filter(pk=job.pk).update(status=CatalogImport.Status.CHECKING)
    with job.file.open("rb") as handle:
        data = handle.read()
    try:
        rows = _rows(job, data)
    except FileRejected as exc:
        return _finish(
            job,
            CatalogImport.Status.REJECTED,
            report=[{"row": None, "field": "file", "message": str(exc)}],
        )
    CatalogImport.objects.filter(pk=job.pk).update(total_rows=len(rows))
    parsed, errors = _check(job, rows)
    if errors or not parsed:
        if not parsed and not errors:
            errors = [
                {"row": None, "field": "file", "message": _("Berkas tidak berisi baris data.")}
            ]
        return _finish(job, CatalogImport.Status.REJECTED, report=errors, total=len(rows))
    with transaction.atomic():  # all rows and the job's end, or none of it
        for row in parsed:
            save_offering(
                actor=job.uploaded_by,
                notes=row.notes,
                is_active=row.is_active,
                **row.offering_terms(),
            )
        return _finish(
            job, CatalogImport.Status.DONE, report=[], total=len(rows), applied=len(parsed)
        )


def _finish(
    job: CatalogImport,
    status: str,
    *,
    report: list[dict[str, Any]],
    total: int = 0,
    applied: int = 0,
) -> CatalogImport:
    CatalogImport.objects.filter(pk=job.pk).update(
        status=status, report=report, total_rows=total, processed_rows=total,
        applied_rows=applied, finished_at=timezone.now(),
    )  # fmt: skip
    job.refresh_from_db()
    return job
