"""Submission receipts (tanda terima): rendered when asked for, never stored.

A receipt is a summary of rows the database already holds, so rendering it on request (a few
milliseconds) costs less than keeping files, and submission sets off no background work for it.
"""

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mpp.accounts.models import Citizen
from mpp.cases import pdfs
from mpp.cases.models import Application
from mpp.cases.output_access import stamp
from mpp.core.errors import NotFound
from mpp.core.identifiers import normalise_tracking


def receipt_application(*, user: Any, tracking: str) -> Application:
    """The applicant's own application, or one the user filed for a walk-in citizen at the
    counter (to print the receipt for them); 404 for anyone else."""
    if not getattr(user, "is_authenticated", False):
        raise NotFound(_("Permohonan tidak ditemukan."))
    reach = Q(submitted_by_id=user.pk)
    citizen = Citizen.objects.filter(user_id=user.pk).first()
    if citizen is not None:
        reach |= Q(applicant=citizen)
    application = (
        Application.objects.select_related(
            "offering__template", "offering__agency", "region", "applicant", "submitted_by"
        )
        .filter(reach, tracking=normalise_tracking(tracking))
        .first()
    )
    if application is None:
        raise NotFound(_("Permohonan tidak ditemukan."))
    if citizen is None or application.applicant_id != citizen.pk:
        _check_filing_officer(user, application)
    return application


def _check_filing_officer(user: Any, application: Application) -> None:
    """The officer who filed it may print the receipt while they still serve at that region's
    counter; the read goes to the citizen's access log."""
    from mpp.accounts.privacy import record_access
    from mpp.core.roles import Role
    from mpp.core.tenancy import held_grants

    if not any(
        g.role == Role.COUNTER_OFFICER and g.region == application.region_id
        for g in held_grants(user)
    ):
        raise NotFound(_("Permohonan tidak ditemukan."))
    record_access(
        citizen=application.applicant, accessor=user,
        purpose=_("Mencetak tanda terima permohonan %(tracking)s")
        % {"tracking": application.tracking},
        fields=["full_name"], region_code=application.region_id,
    )  # fmt: skip


def status_url(application: Application) -> str:
    query = urlencode({"nomor": application.tracking})
    return f"{settings.MPP_PUBLIC_URL}{reverse('cases:status')}?{query}"


def _channel(application: Application) -> str:
    submitter = application.submitted_by
    if submitter is not None and submitter.pk != application.applicant.user_id:
        return _("Diajukan oleh petugas %(officer)s untuk %(citizen)s") % {
            "officer": submitter.get_full_name() or submitter.get_username(),
            "citizen": application.applicant.full_name,
        }
    return str(application.get_channel_display())


def render_receipt(application: Application) -> bytes:
    region = application.region_id
    names = [
        attachment.document.original_name
        for attachment in application.attachments.select_related("document")
    ]
    rows = [
        (_("Nomor lacak"), application.tracking),
        (_("Layanan"), application.offering.template.name),
        (_("Instansi"), application.offering.agency.name),
        (_("Wilayah"), application.region.name),
        (_("Diajukan"), stamp(application.submitted_at, region)),
        (
            _("Target selesai"),
            _("%(due)s (dihitung dalam hari kerja)") % {"due": stamp(application.due_at, region)}
            if application.due_at
            else _("Tanpa batas waktu"),
        ),
        (_("Saluran"), _channel(application)),
        (_("Dokumen dilampirkan"), "; ".join(names) or _("Tidak ada")),
    ]
    return pdfs.render(
        pdfs.Sheet(
            kicker=_("Mal Pelayanan Publik Digital - %(region)s")
            % {"region": application.region.name},
            title=_("Tanda terima permohonan"),
            rows=rows,
            qr_url=status_url(application),
            qr_caption=_(
                "Pindai kode QR ini atau buka alamat di bawahnya untuk melacak status "
                "permohonan (dengan 4 angka terakhir NIK pemohon)."
            ),
            created_at=timezone.now(),
            demo=settings.MPP_DEMO,
            notes=[
                _("Simpan tanda terima ini. Bukan bukti bahwa permohonan telah disetujui."),
            ],
        )
    )
