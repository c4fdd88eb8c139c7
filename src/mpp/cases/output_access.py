"""Reading outputs (produk layanan): who may see or revoke one, finding one by its verification
code for the public page, checking that an uploaded file is the issued one, and the expiring
download links of the API.

Anyone holding the paper (or the file) can check it at `/verify/<code>` without signing in; the
page shows no personal data beyond a masked holder name. A read that finds an output without
its PDF yet draws it first (`rendered`); issuing, drawing and revoking live in `outputs.py`.
"""

import contextlib
import datetime
import hashlib
import re
import secrets
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.files import File
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mpp.accounts.models import RoleGrant
from mpp.cases.filecheck import too_large
from mpp.cases.models import Application, Output
from mpp.core import throttle
from mpp.core.calendar import timezone_for
from mpp.core.errors import DomainError, InvalidInput, NotFound
from mpp.core.roles import AGENCY_ROLES, Role


class Gone(DomainError):
    status = 410
    code = "gone"


_CODE_CHARS = re.compile(r"[^A-Z2-7]")
# What people mistype when copying a code from paper (base32 has no 0, 1 or 8).
_LOOKALIKES = str.maketrans({"0": "O", "1": "I", "8": "B"})


# --- Codes and addresses ------------------------------------------------------------------------


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


def rendered(output: Output) -> Output:
    """The output with its PDF: whoever asks first (download, verification, the task) draws it."""
    if output.file:
        return output
    from mpp.cases.outputs import render  # lazy: issuing and revoking build on these reads

    return render(output)


# --- Who may do what ----------------------------------------------------------------------------


def staff_may_see(user: Any, output: Output) -> bool:
    """Outputs are agency documents: staff who may read the application (`queries.staff_scope`:
    the agencies that worked it, the region's manager, the counter officer who filed it), the
    issuing agency's staff in the region, and national admins (they revoke through the admin);
    not every grant in the region."""
    from mpp.cases import queries
    from mpp.core.tenancy import held_grants

    region = output.application.region_id
    for grant in held_grants(user):
        if grant.role == Role.NATIONAL_ADMIN:
            return True
        if (
            grant.role in AGENCY_ROLES
            and grant.region == region
            and grant.agency == output.agency_id
        ):
            return True
    return Application.objects.filter(queries.staff_scope(user), pk=output.application_id).exists()


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


def may_see(user: Any, output: Output) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    application = output.application
    return application.applicant.user_id == user.pk or staff_may_see(user, output)


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
    """The outputs of the user's own application, or of one within their `queries.staff_scope`
    (that read goes to the citizen's access log); 404 otherwise."""
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
    if output is None or not may_see(user, output):
        raise NotFound(_("Tautan unduhan tidak sah."))
    return output
