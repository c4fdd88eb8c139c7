"""Documents an agency's own system issues and attaches to an application (inbound API).

The file is checked like an upload (a whole PDF judged by its bytes, at most
MPP_UPLOAD_MAX_BYTES), stored in default storage with its SHA-256, and becomes an `Output` with
a fresh verification code, so `/verify/<code>` and the applicant's download work as for the
platform's own PDF. Approval renders no platform PDF when a valid output already exists
(`outputs.issue_output` hands back the existing one).
"""

import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from mpp.cases.documents import _read
from mpp.cases.filecheck import content_type_of
from mpp.cases.models import Application, Output
from mpp.cases.notify import notify_output_issued
from mpp.cases.outputs import _title, new_code
from mpp.catalog.models import Agency
from mpp.core.errors import Conflict, InvalidInput

MAX_TITLE = 200
CLOSED_WITHOUT_OUTPUT = (Application.Status.REJECTED, Application.Status.CANCELLED)


def read_pdf(upload: Any) -> bytes:
    """The uploaded bytes when they are a whole PDF within the size limit; refused otherwise."""
    if upload is None:
        raise InvalidInput(_("Pilih berkas PDF."), field="file")
    data = _read(upload)
    if content_type_of(data) != "application/pdf":
        raise InvalidInput(_("Berkas ini bukan PDF."), field="file")
    return data


def clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if len(title) > MAX_TITLE:
        raise InvalidInput(
            _("Judul terlalu panjang (maksimal %(n)s karakter).") % {"n": MAX_TITLE},
            field="title",
        )
    return title


def attach(
    application: Application, *, agency: Agency, data: bytes, sha256: str, title: str,
    at: datetime.datetime,
) -> Output:  # fmt: skip
    """Record the agency's document as an output of the (locked) application and tell the
    citizen. The caller deletes `output.file` if its transaction fails."""
    if application.status in CLOSED_WITHOUT_OUTPUT:
        raise Conflict(_("Permohonan ini sudah ditolak atau dibatalkan; tidak ada produk layanan."))
    code = new_code()
    output = Output(
        application=application,
        code=code,
        title=title or _title(application)[:MAX_TITLE],
        sha256=sha256,
        agency=agency,
        issued_by=None,
        issued_at=at,
    )
    output.file.save(f"{code}.pdf", ContentFile(data), save=False)
    output.save()
    notify_output_issued(output)
    return output
