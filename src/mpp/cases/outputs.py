"""Issuing and revoking outputs (produk layanan): the document an agency issues when an
application is approved.

`issue_output` runs inside the approving transaction (workflow engine `_complete`, for officers
and for automatic decisions alike): it records the output with an unguessable code (80 random
bits, base32 in groups of four) and queues `render` in the same transaction. `render` draws the
PDF with a QR code to `/verify/<code>`, stores the bytes in Django's default storage (S3 in
production: never while the application row is locked) and records their SHA-256. Whoever asks
first (download, verification, the task) gets it rendered; twins keep one file.

`revoke_output` withdraws an output: staff of the issuing agency in the application's region,
the region's MPP managers and national admins may; a public reason from a fixed list and an
internal note are required; once only.
Who may see an output, verification by code and the file check are in `output_access.py`.
"""

import base64
import datetime
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mpp.cases import pdfs
from mpp.cases.models import Application, Output
from mpp.cases.notify import notify_revoked
from mpp.cases.output_access import may_revoke, may_see, normalise_code, stamp, verify_url
from mpp.catalog.models import Agency
from mpp.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from mpp.integrations import events
from mpp.workflow.models import Step

CODE_BYTES = 10  # 80 bits: guessing a valid code is hopeless, so the page needs no login
MAX_NOTE = 300


# --- Codes and addresses ------------------------------------------------------------------------


def new_code() -> str:
    raw = base64.b32encode(secrets.token_bytes(CODE_BYTES)).decode()  # 16 characters
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


# --- Issuing ------------------------------------------------------------------------------------


def _issuing_agency(application: Application) -> Agency:
    """The agency of the step that completed the application (the one that issues), else the
    offering's own agency."""
    last = (
        Step.objects.filter(application=application, status=Step.Status.DONE)
        .select_related("agency")
        .order_by("-completed_at", "-id")
        .first()
    )
    return last.agency if last is not None else application.offering.agency


def _title(application: Application) -> str:
    promised = (application.standard_version.output or "").strip().splitlines()
    return (promised[0].strip() if promised else "") or application.offering.template.name


def _output_sheet(
    application: Application, *, code: str, title: str, agency: Agency, at: Any
) -> pdfs.Sheet:
    region = application.region
    rows = [
        (_("Layanan"), application.offering.template.name),
        (_("Nama pemohon"), application.applicant.full_name),
        (_("Nomor lacak"), application.tracking),
        (_("Instansi penerbit"), agency.name),
        (_("Wilayah"), region.name),
        (_("Tanggal terbit"), stamp(at, region.code)),
        (_("Kode verifikasi"), code),
    ]
    return pdfs.Sheet(
        kicker=_("Mal Pelayanan Publik Digital - %(region)s") % {"region": region.name},
        title=title,
        rows=rows,
        qr_url=verify_url(code),
        qr_caption=_(
            "Pindai kode QR ini atau buka alamat di bawahnya untuk memeriksa keaslian dan "
            "status dokumen ini."
        ),
        created_at=at,
        demo=settings.MPP_DEMO,
    )


def issue_output(application: Application, *, actor_user: Any, at: datetime.datetime) -> Output:
    """Record the output of an approved application (inside the approving transaction) and queue
    its rendering; the PDF is drawn and stored outside the transaction."""
    from mpp.cases.tasks import render_output

    if application.status != Application.Status.APPROVED:
        raise Conflict(_("Produk layanan hanya diterbitkan untuk permohonan yang disetujui."))
    existing = Output.objects.filter(application=application, revoked_at__isnull=True).first()
    if existing is not None:
        return existing
    output = Output.objects.create(
        application=application,
        code=new_code(),
        title=_title(application)[:200],
        sha256="",
        agency=_issuing_agency(application),
        issued_by=actor_user,
        issued_at=at,
    )
    render_output.enqueue(output_id=output.pk)
    return output


def render(output: Output) -> Output:
    """Draw and store the PDF of an output recorded without a file yet (idempotent)."""
    if output.file:
        return output
    application = Application.objects.select_related(
        "offering__template", "region", "applicant"
    ).get(pk=output.application_id)
    with translation.override(settings.LANGUAGE_CODE):  # official papers are in Indonesian
        data = pdfs.render(
            _output_sheet(
                application, code=output.code, title=output.title, agency=output.agency,
                at=output.issued_at,
            )
        )  # fmt: skip
    name = output.file.storage.save(
        f"outputs/{output.issued_at:%Y/%m}/{output.code}.pdf", ContentFile(data)
    )
    with transaction.atomic():
        current = Output.objects.select_for_update().get(pk=output.pk)
        if current.file:  # a twin rendered it first: keep theirs
            output.file.storage.delete(name)
            return current
        current.file.name = name
        current.sha256 = hashlib.sha256(data).hexdigest()
        current.save(update_fields=["file", "sha256"])
    return current


# --- Revoking -----------------------------------------------------------------------------------


def revoke_output(*, user: Any, code: str, public_reason: str, note: str) -> Output:
    """Withdraw an output. The verification page says "Dicabut" with the date and the public
    reason (one of `Output.RevocationReason`); the note stays with staff and the holder."""
    normalised = normalise_code(code)
    note = (note or "").strip()
    with transaction.atomic():
        output = (
            Output.objects.select_for_update()
            .select_related("application__applicant")
            .filter(code=normalised or "")
            .first()
        )
        if output is None or not may_see(user, output):
            raise NotFound(_("Produk layanan tidak ditemukan."))
        if not may_revoke(user, output):
            raise Forbidden(
                _("Hanya petugas instansi penerbit atau pengelola MPP yang dapat mencabut.")
            )
        if output.revoked_at is not None:
            raise Conflict(_("Produk layanan ini sudah dicabut."))
        if public_reason not in Output.RevocationReason.values:
            raise InvalidInput(_("Pilih alasan pencabutan dari daftar."), field="public_reason")
        if not note:
            raise InvalidInput(_("Tuliskan catatan pencabutan."), field="note")
        if len(note) > MAX_NOTE:
            raise InvalidInput(
                _("Catatan terlalu panjang (maksimal %(n)s karakter).") % {"n": MAX_NOTE},
                field="note",
            )
        output.revoked_at = timezone.now()
        output.revoked_public_reason = public_reason
        output.revoked_note = note
        output.revoked_by = user
        output.save(
            update_fields=["revoked_at", "revoked_public_reason", "revoked_note", "revoked_by"]
        )
        notify_revoked(output)
        events.emit(
            output.application, "output.revoked",
            extra={"output": {"code": output.code, "sha256": output.sha256,
                              "revoked_at": output.revoked_at.isoformat()}},
        )  # fmt: skip
        return output
