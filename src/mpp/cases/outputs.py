"""Outputs (produk layanan): the document an agency issues when an application is approved.

`issue_output` runs inside the approving transaction (workflow engine `_complete`, for officers
and for automatic decisions alike): it records the output with an unguessable code (80 random
bits, base32 in groups of four) and queues `render` in the same transaction. `render` draws the
PDF with a QR code to `/verify/<code>`, stores the bytes in Django's default storage (S3 in
production: never while the application row is locked) and records their SHA-256. Whoever asks
first (download, verification, the task) gets it rendered; twins keep one file. Anyone holding the paper (or the file)
can check it at that address without signing in; the page shows no personal data beyond a
masked holder name.

`revoke_output` withdraws an output: staff of the issuing agency in the application's region,
the region's MPP managers and national admins may; a reason is required; once only.
"""

import base64
import contextlib
import datetime
import hashlib
import re
import secrets
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mpp.accounts.models import RoleGrant
from mpp.cases import pdfs
from mpp.cases.filecheck import too_large
from mpp.cases.models import Application, Output
from mpp.cases.notify import notify_revoked
from mpp.catalog.models import Agency
from mpp.core import throttle
from mpp.core.calendar import timezone_for
from mpp.core.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from mpp.core.roles import AGENCY_ROLES, Role
from mpp.integrations import events
from mpp.workflow.models import Step

CODE_BYTES = 10  # 80 bits: guessing a valid code is hopeless, so the page needs no login
MAX_REASON = 300


class Gone(DomainError):
    status = 410
    code = "gone"


_CODE_CHARS = re.compile(r"[^A-Z2-7]")
# What people mistype when copying a code from paper (base32 has no 0, 1 or 8).
_LOOKALIKES = str.maketrans({"0": "O", "1": "I", "8": "B"})


# --- Codes and addresses ------------------------------------------------------------------------


def new_code() -> str:
    raw = base64.b32encode(secrets.token_bytes(CODE_BYTES)).decode()  # 16 characters
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def normalise_code(text: str) -> str | None:
    """`abcd efgh-ijkl mnop` → `ABCD-EFGH-IJKL-MNOP`; None when it cannot be a code."""
    plain = _CODE_CHARS.sub("", (text or "").upper().translate(_LOOKALIKES))
    if len(plain) != 16:
        return None
    return "-".join(plain[i : i + 4] for i in range(0, 16, 4))


def verify_url(code: str) -> str:
    return settings.MPP_PUBLIC_URL + reverse("verify:page", args=[code])


def masked_name(name: str) -> str:
    """ "Siti Aminah" → "S*** A***": enough to match a face to a paper, not to learn a name."""
    return " ".join(f"{word[0]}***" for word in (name or "").split()) or "***"


def local(moment: datetime.datetime, region_code: str) -> datetime.datetime:
    return moment.astimezone(timezone_for(region_code))


def stamp(moment: datetime.datetime | None, region_code: str) -> str:
    if moment is None:
        return "-"
    at = local(moment, region_code)
    return f"{at:%d-%m-%Y %H:%M} {at.tzname()}"


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


def rendered(output: Output) -> Output:
    return output if output.file else render(output)


# --- Who may do what ----------------------------------------------------------------------------


def staff_may_see(user: Any, output: Output) -> bool:
    """Outputs are agency documents: the agencies that worked the application, the region's
    manager, the counter officer who filed it, and national admins; not every grant in the region."""
    from mpp.core.tenancy import held_grants

    application = output.application
    region = application.region_id
    agencies = {output.agency_id, *application.steps.values_list("agency_id", flat=True)}
    for grant in held_grants(user):
        if grant.role == Role.NATIONAL_ADMIN:
            return True
        if grant.region != region:
            continue
        if grant.role == Role.REGIONAL_MANAGER:
            return True
        if grant.role in AGENCY_ROLES and grant.agency in agencies:
            return True
        if grant.role == Role.COUNTER_OFFICER and application.submitted_by_id == user.pk:
            return True
    return False


def may_revoke(user: Any, output: Output) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    region = output.application.region_id
    return RoleGrant.objects.filter(
        Q(role=Role.NATIONAL_ADMIN)
        | Q(role=Role.REGIONAL_MANAGER, region_id=region)
        | Q(role__in=AGENCY_ROLES, region_id=region, agency_id=output.agency_id),
        user_id=user.pk,
    ).exists()


def _may_see(user: Any, output: Output) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    application = output.application
    return application.applicant.user_id == user.pk or staff_may_see(user, output)


def revoke_output(*, user: Any, code: str, reason: str) -> Output:
    """Withdraw an output; the verification page says "Dicabut" with the date and reason."""
    normalised = normalise_code(code)
    reason = (reason or "").strip()
    with transaction.atomic():
        output = (
            Output.objects.select_for_update()
            .select_related("application__applicant")
            .filter(code=normalised or "")
            .first()
        )
        if output is None or not _may_see(user, output):
            raise NotFound(_("Produk layanan tidak ditemukan."))
        if not may_revoke(user, output):
            raise Forbidden(
                _("Hanya petugas instansi penerbit atau pengelola MPP yang dapat mencabut.")
            )
        if output.revoked_at is not None:
            raise Conflict(_("Produk layanan ini sudah dicabut."))
        if not reason:
            raise InvalidInput(_("Tuliskan alasan pencabutan."), field="reason")
        if len(reason) > MAX_REASON:
            raise InvalidInput(
                _("Alasan terlalu panjang (maksimal %(n)s karakter).") % {"n": MAX_REASON},
                field="reason",
            )
        output.revoked_at = timezone.now()
        output.revoked_reason = reason
        output.revoked_by = user
        output.save(update_fields=["revoked_at", "revoked_reason", "revoked_by"])
        notify_revoked(output)
        events.emit(
            output.application, "output.revoked",
            extra={"output": {"code": output.code, "sha256": output.sha256,
                              "revoked_at": output.revoked_at.isoformat()}},
        )  # fmt: skip
        return output


# --- Reading ------------------------------------------------------------------------------------


def outputs_of(application: Application) -> list[Output]:
    return [
        rendered(output)
        for output in application.outputs.select_related("agency").order_by("-issued_at", "-id")
    ]


def for_verification(code: str) -> Output:
    """The output behind a verification code, for the public page (404 when unknown)."""
    normalised = normalise_code(code)
    output = (
        Output.objects.select_related("agency", "application__region", "application__applicant")
        .filter(code=normalised or "")
        .first()
    )
    if output is None:
        raise NotFound(_("Kode verifikasi tidak dikenal."))
    return rendered(output)


def output_of(application: Application, code: str) -> Output:
    """One output of an application the caller already may read (applicant or staff)."""
    output = application.outputs.filter(code=normalise_code(code) or "").first()
    if output is None:
        raise NotFound(_("Produk layanan tidak ditemukan."))
    return output


FILE_CHECKS_PER_10_MINUTES = 20


def throttle_file_checks(request: Any) -> None:
    """Anyone with a code may upload a file to compare: a few per address, not a stream."""
    throttle.limit(
        request, kind="verify-file", per_10_minutes=FILE_CHECKS_PER_10_MINUTES,
        message=_("Terlalu banyak pemeriksaan berkas. Coba lagi dalam 10 menit."),
    )  # fmt: skip


def matches(output: Output, upload: File) -> bool:
    """Whether an uploaded copy is byte for byte the issued PDF. Read in chunks, never stored."""
    limit = settings.MPP_UPLOAD_MAX_BYTES
    if (upload.size or 0) > limit:
        raise too_large(upload.size or 0)
    digest, size, head = hashlib.sha256(), 0, b""
    upload.seek(0)
    for chunk in upload.chunks():
        size += len(chunk)
        if size > limit:
            raise too_large(size)
        if len(head) < 5:
            head += chunk[: 5 - len(head)]
        digest.update(chunk)
    if not head.startswith(b"%PDF-"):
        raise InvalidInput(_("Berkas ini bukan PDF."), field="file")
    return secrets.compare_digest(digest.hexdigest(), output.sha256)


# --- Expiring links for API clients -------------------------------------------------------------

_LINK_SALT = "mpp.cases.outputs.download"


def readable_outputs(*, user: Any, tracking: str) -> tuple[Application, list[Output]]:
    """The outputs of the user's own application, or of one in a region where they hold a
    grant (that read goes to the citizen's access log); 404 otherwise."""
    from mpp.accounts.privacy import record_access
    from mpp.cases import queries

    citizen = getattr(user, "citizen", None)
    application = None
    if citizen is not None:
        with contextlib.suppress(NotFound):
            application = queries.my_application(citizen, tracking)
    if application is None:
        application = queries.staff_application(user, tracking)
        found = outputs_of(application)
        if found and not all(staff_may_see(user, output) for output in found):
            raise NotFound(_("Permohonan tidak ditemukan."))
        record_access(
            citizen=application.applicant,
            accessor=user,
            purpose=_("Melihat produk layanan permohonan %(tracking)s")
            % {"tracking": application.tracking},
            fields=[],
            region_code=application.region_id,
        )
    return application, outputs_of(application)


def make_link(*, user: Any, output: Output) -> tuple[str, datetime.datetime]:
    """A download link for this user only, valid MPP_DOWNLOAD_LINK_SECONDS."""
    token = signing.TimestampSigner(salt=_LINK_SALT).sign_object({"o": output.pk, "u": user.pk})
    expires = timezone.now() + datetime.timedelta(seconds=settings.MPP_DOWNLOAD_LINK_SECONDS)
    return reverse("cases:output_link", args=[token]), expires


def output_for_link(*, user: Any, token: str) -> Output:
    """The output a link names, checked again now: made for this user, who still may read it."""
    try:
        claims = signing.TimestampSigner(salt=_LINK_SALT).unsign_object(
            token, max_age=settings.MPP_DOWNLOAD_LINK_SECONDS
        )
    except signing.SignatureExpired:
        raise Gone(_("Tautan unduhan sudah kedaluwarsa. Minta tautan baru.")) from None
    except signing.BadSignature:
        raise NotFound(_("Tautan unduhan tidak sah.")) from None
    if not isinstance(claims, dict) or claims.get("u") != user.pk:
        raise NotFound(_("Tautan unduhan tidak sah."))
    output = (
        Output.objects.select_related("application__applicant")
        .filter(pk=claims.get("o") or 0)
        .first()
    )
    if output is None or not _may_see(user, output):
        raise NotFound(_("Tautan unduhan tidak sah."))
    return output
