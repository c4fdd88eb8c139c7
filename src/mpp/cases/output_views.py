"""Pages for outputs and receipts: public verification, downloads for the applicant and the
responsible officers, revocation from the officer page, and the submission receipt."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mpp.accounts.privacy import record_access
from mpp.accounts.profile import citizen_of
from mpp.cases import output_access, outputs, queries, receipts
from mpp.cases.download import _requester
from mpp.cases.models import Output
from mpp.cases.officer_views import _refuse, _render_detail, _require_staff
from mpp.core.errors import DomainError, InvalidInput, NotFound

NOINDEX = "noindex, nofollow"


def _pdf(data_or_file: Any, filename: str) -> HttpResponseBase:
    response: HttpResponseBase
    if isinstance(data_or_file, bytes):
        response = HttpResponse(data_or_file, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    else:
        response = FileResponse(
            data_or_file, as_attachment=True, filename=filename, content_type="application/pdf"
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def output_filename(output: Output) -> str:
    return f"{slugify(output.title) or 'produk'}-{output.code}.pdf"


# --- Public verification ------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def verify_page(request: HttpRequest, code: str) -> HttpResponse:
    try:
        output = output_access.for_verification(code)
    except DomainError:
        response = render(request, "cases/verify_unknown.html", {"code": code[:40]}, status=404)
        response["X-Robots-Tag"] = NOINDEX
        return response
    context: dict[str, Any] = {
        "output": output,
        "region": output.application.region,
        "holder": output_access.masked_name(output.application.applicant.full_name),
        "issued": output_access.stamp(output.issued_at, output.application.region_id),
        "revoked": output_access.stamp(output.revoked_at, output.application.region_id),
        "max_bytes": settings.MPP_UPLOAD_MAX_BYTES,
    }
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            output_access.throttle_file_checks(request)
            if upload is None:
                raise InvalidInput(_("Pilih berkas PDF yang akan diperiksa."), field="file")
            context["match"] = output_access.matches(output, upload)
        except DomainError as error:
            context["check_error"] = error.message
            status = error.status
    response = render(request, "cases/verify.html", context, status=status)
    response["X-Robots-Tag"] = NOINDEX
    return response


# --- Downloads ------------------------------------------------------------------------------------


@login_required
@require_GET
def citizen_download(request: HttpRequest, tracking: str, code: str) -> HttpResponseBase:
    try:
        application = queries.my_application(citizen_of(request.user), tracking)
        output = output_access.output_of(application, code)
    except DomainError:
        raise Http404 from None
    return _pdf(output.file.open("rb"), output_filename(output))


@never_cache
@require_GET
def link_download(request: HttpRequest, token: str) -> HttpResponseBase:
    """An expiring link from `GET /api/v1/applications/{tracking}/outputs` (mobile apps)."""
    user = _requester(request)
    if user is None:
        return redirect_to_login(request.get_full_path())
    try:
        output = output_access.output_for_link(user=user, token=token)
    except DomainError as error:
        return HttpResponse(str(error.message), status=error.status, content_type="text/plain")
    if output.application.applicant.user_id != user.pk:
        _log_officer_download(user, output)
    return _pdf(output.file.open("rb"), output_filename(output))


def _log_officer_download(user: Any, output: Output) -> None:
    application = output.application
    record_access(
        citizen=application.applicant,
        accessor=user,
        purpose=_("Mengunduh produk layanan %(code)s permohonan %(tracking)s")
        % {"code": output.code, "tracking": application.tracking},
        fields=[output.title],
        region_code=application.region_id,
    )


@login_required
@require_GET
def officer_download(request: HttpRequest, tracking: str, code: str) -> HttpResponseBase:
    try:
        _require_staff(request.user)
        application = queries.staff_application(request.user, tracking)
        output = output_access.output_of(application, code)
        if not output_access.staff_may_see(request.user, output):
            raise NotFound(_("Produk layanan tidak ditemukan."))
    except DomainError as error:
        return _refuse(request, error)
    _log_officer_download(request.user, output)
    return _pdf(output.file.open("rb"), output_filename(output))


@login_required
@require_POST
def officer_revoke(request: HttpRequest, tracking: str) -> HttpResponse:
    try:
        _require_staff(request.user)
        application = queries.staff_application(request.user, tracking)
        code = request.POST.get("code", "")
        output_access.output_of(application, code)  # only this application's outputs from this form
        outputs.revoke_output(
            user=request.user,
            code=code,
            public_reason=request.POST.get("public_reason", ""),
            note=request.POST.get("note", ""),
        )
    except DomainError as error:
        return _render_detail(request, tracking, error=str(error.message), status=error.status)
    messages.success(request, _("Produk layanan dicabut."))
    return redirect(reverse("cases_officer:detail", args=[tracking]))


# --- Receipts ---------------------------------------------------------------------------------


@login_required
@require_GET
def receipt(request: HttpRequest, tracking: str) -> HttpResponseBase:
    try:
        application = receipts.receipt_application(user=request.user, tracking=tracking)
    except DomainError:
        raise Http404 from None
    return _pdf(receipts.render_receipt(application), f"tanda-terima-{application.tracking}.pdf")
