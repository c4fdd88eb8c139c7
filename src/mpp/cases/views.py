"""Citizen pages: apply (with prefill after consent), my applications, one application with its
timeline and corrections, and the public status look-up."""

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mpp.accounts.profile import citizen_of
from mpp.accounts.vault import field_labels
from mpp.cases import formdefs, link_out, output_access, prefill, queries, services
from mpp.cases import public_status as lookup
from mpp.cases.apply_form import (
    Uploads,
    autosave,
    form_for_citizen,
    handle_apply_post,
    is_autosave,
    store_uploads,
)
from mpp.cases.download import shown_attachments
from mpp.cases.formdefs import display
from mpp.cases.models import Application
from mpp.cases.status_api import throttle_status_lookups
from mpp.catalog.models import Offering
from mpp.core.errors import DomainError
from mpp.workflow.engine import process_of
from mpp.workflow.models import Comment


def _offering(code: str, slug: str) -> Offering:
    return get_object_or_404(
        Offering.objects.select_related("template", "agency", "region"),
        region_id=code,
        template__slug=slug,
        is_active=True,
    )


def _citizen_or_page(request: HttpRequest) -> Any:
    try:
        return citizen_of(request.user)
    except DomainError as exc:
        return render(request, "accounts/no_citizen.html", {"message": exc.message}, status=404)


@login_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, code: str, slug: str) -> HttpResponse:
    offering = _offering(code, slug)
    citizen = _citizen_or_page(request)
    if isinstance(citizen, HttpResponse):
        return citizen
    form, fields = services.form_for(offering)
    context: dict[str, Any] = {"offering": offering, "has_form": form is not None}
    if form is None:
        return render(request, "cases/apply.html", context, status=404)
    action = request.POST.get("action", "")
    if action == "consent":
        prefill.agree_to_prefill(citizen, offering, fields)
        messages.success(request, _("Terima kasih. Data profil Anda sudah diisikan."))
        return redirect(request.path)
    missing_consent = prefill.consent_needed(citizen, offering, fields)
    by_hand = request.GET.get("isi") == "sendiri"
    if missing_consent and not by_hand and request.method == "GET":
        labels = field_labels()
        context |= {"consent_fields": [labels.get(key, key) for key in missing_consent]}
        return render(request, "cases/consent.html", context)
    if is_autosave(request):
        return autosave(
            request, fields,
            lambda data, page_key: services.save_draft(
                user=request.user, offering_id=offering.pk, data=data, page_key=page_key
            ),
        )  # fmt: skip
    errors: list[formdefs.FieldError] = []
    status = 200
    key = request.POST.get("idempotency_key") or uuid.uuid4().hex
    if request.method == "POST":

        def file(data: dict[str, Any]) -> HttpResponse | None:
            if action == "draft":
                services.save_draft(
                    user=request.user, offering_id=offering.pk, data=data, page_key=key
                )
                messages.success(
                    request, _("Draf tersimpan. Anda dapat melanjutkan dari perangkat lain.")
                )
                return None
            result = services.submit_application(
                user=request.user, offering_id=offering.pk, data=data, idempotency_key=key
            )
            messages.success(
                request,
                _("Permohonan diajukan. Nomor lacak Anda: %(tracking)s")
                % {"tracking": result.application.tracking},
            )
            return redirect("cases:detail", tracking=result.application.tracking)

        posted = handle_apply_post(request, fields, file)
        if posted.response is not None:
            return posted.response
        data, errors, status = posted.data, posted.errors, posted.status
    else:
        data = services.draft_of(request.user, offering.pk)
    context |= {
        "form": form_for_citizen(
            fields,
            citizen,
            data=data,
            errors=errors,
            prefilled=prefill.prefilled(citizen, offering, fields),
        ),
        "idempotency_key": key,
        "by_hand": bool(missing_consent),
    }
    return render(request, "cases/apply.html", context, status=status)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    citizen = _citizen_or_page(request)
    if isinstance(citizen, HttpResponse):
        return citizen
    page = int(request.GET.get("page", "1")) if request.GET.get("page", "1").isdecimal() else 1
    applications = queries.my_applications(citizen, page=page)
    drafts = queries.my_drafts(citizen) if page == 1 else []
    return render(
        request,
        "cases/mine.html",
        {"applications": applications, "page": page, "drafts": drafts},
    )


def _steps(application: Application) -> list[dict[str, Any]]:
    process = process_of(application)
    return [
        {
            "label": queries.label(process.steps[step.key].label, step.key),
            "step": step,
        }
        for step in queries.steps_of(application)
    ]


@login_required
@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, tracking: str) -> HttpResponse:
    citizen = _citizen_or_page(request)
    if isinstance(citizen, HttpResponse):
        return citizen
    try:
        application = queries.my_application(citizen, tracking)
    except DomainError:
        raise Http404 from None
    timeline = queries.timeline_of(application)
    asked = next((t for t in reversed(timeline) if t.data.get("fields")), None)
    errors: list[formdefs.FieldError] = []
    status = 200
    data = application.data
    uploads: Uploads | None = None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "cancel":
                services.cancel_application(
                    user=request.user,
                    tracking=application.tracking,
                    reason=request.POST.get("reason", ""),
                )
                messages.success(request, _("Permohonan dibatalkan."))
            else:
                fields = services.fields_filed_on(application)
                uploads = store_uploads(
                    request, fields, formdefs.data_from_post(fields, request.POST)
                )
                data = uploads.data
                formdefs.raise_for_errors(uploads.errors)
                services.resubmit_application(
                    user=request.user,
                    tracking=application.tracking,
                    data=data,
                    expected_version=int(request.POST.get("version") or 0) or None,
                )
                messages.success(request, _("Perbaikan terkirim. Petugas akan melanjutkan."))
            return redirect("cases:detail", tracking=application.tracking)
        except formdefs.FormInvalid as exc:
            errors = [formdefs.FieldError(**e) for e in exc.errors]
            status = 400
        except DomainError as exc:
            messages.error(request, str(exc.message))
            status = exc.status
        if uploads is not None and status >= 400:
            data = uploads.discard(request.user)
    context: dict[str, Any] = {
        "application": application,
        "steps": _steps(application),
        "timeline": timeline,
        "comments": Comment.objects.filter(application=application, to_citizen=True),
        "outputs": output_access.outputs_of(application),
        "link_out_url": link_out.url_for(application)
        if application.channel == Application.Channel.LINK_OUT
        else "",
    }
    if application.status == Application.Status.NEEDS_CORRECTION:
        fields = services.fields_filed_on(application)
        if not errors and asked is not None:
            notes = asked.data.get("notes") or {}
            errors = [
                formdefs.FieldError(
                    field=key, message=notes.get(key) or asked.reason, code="correction"
                )
                for key in asked.data["fields"]
            ]
        context["correction"] = formdefs.form_view(fields, data=data, errors=errors)
        context["asked"] = asked
    else:  # what they sent, to check it; during a correction the form above shows it
        fields = services.fields_filed_on(application)
        attached = shown_attachments(request.user, application, display.labels(fields))
        context["answers"] = display.answers(fields, application.data, attached)
    return render(request, "cases/detail.html", context, status=status)


@require_http_methods(["GET", "POST"])
def status_lookup(request: HttpRequest) -> HttpResponse:
    """The form is posted, so the NIK digits stay out of addresses: the browser's history, a
    shared link, a proxy's access log. A GET only fills in the number (the receipt's QR code)."""
    tracking = (request.POST if request.method == "POST" else request.GET).get("nomor", "")
    tracking = tracking.strip()
    nik4 = request.POST.get("nik4", "").strip()
    context: dict[str, Any] = {"tracking": tracking, "nik4": nik4}
    status = 200
    if request.method == "POST":
        try:
            if not (nik4.isascii() and nik4.isdigit() and len(nik4) == 4):
                raise services.InvalidInput(_("Isi 4 angka terakhir NIK pemohon."), field="nik4")
            throttle_status_lookups(request)
            found = lookup.public_status(tracking, nik4)
            if found is None:
                context["bundle"] = queries.public_bundle_status(tracking, nik4)
                if context["bundle"] is None:
                    raise lookup.not_found()
            context["found"] = found
        except DomainError as exc:
            context["error"] = exc.message
            status = exc.status
    return render(request, "cases/status.html", context, status=status)
