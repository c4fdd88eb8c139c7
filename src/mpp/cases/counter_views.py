"""Counter pages (`/petugas/loket/`): a counter officer files an application for a walk-in
citizen. Find the citizen by NIK (or register them), choose a service of the region, fill its
form, attach scanned papers, submit, print the confirmation. Counter officers only; the staff
second factor is enforced for every staff page by `StaffSecondFactorMiddleware`.

The NIK travels only in POST bodies, never in an address (addresses end up in server logs).
"""

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mpp.accounts import walk_in
from mpp.accounts.walk_in import register_walk_in, require_counter_officer
from mpp.cases import apply_form, counter, documents, formdefs, services
from mpp.cases.models import Application
from mpp.core.errors import DomainError


def _refuse(request: HttpRequest, error: DomainError) -> HttpResponse:
    context = {"heading": _("Loket MPP"), "message": error.message}
    return render(request, "cases/counter/message.html", context, status=error.status)


def _home(request: HttpRequest, status: int = 200, **extra: Any) -> HttpResponse:
    context = {
        "today": counter.assisted_today(officer=request.user),
        "counters": counter.counters_of(officer=request.user),
        **extra,
    }
    return render(request, "cases/counter/home.html", context, status=status)


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    try:
        require_counter_officer(request.user)
    except DomainError as error:
        return _refuse(request, error)
    return _home(request)


@login_required
@require_POST
def find(request: HttpRequest) -> HttpResponse:
    nik = request.POST.get("nik", "").strip()
    region = request.POST.get("region", "").strip()
    try:
        require_counter_officer(request.user)
        citizen = counter.find_citizen(officer=request.user, nik=nik, region_code=region)
    except DomainError as error:
        if error.status == 403:
            return _refuse(request, error)
        if error.status == 404:  # a valid NIK nobody has: offer to register the person
            register = {"nik": nik, "region": region}
            return _home(request, 404, nik=nik, region=region, not_found=True, register=register)
        errors = {error.field or "nik": error.message}
        return _home(request, error.status, nik=nik, region=region, find_errors=errors)
    return redirect("cases_counter:citizen", citizen_id=citizen.pk)


@login_required
@require_POST
def register(request: HttpRequest) -> HttpResponse:
    posted = {
        key: request.POST.get(key, "").strip()
        for key in ("nik", "full_name", "phone", "email", "region")
    }
    try:
        require_counter_officer(request.user)
        citizen = register_walk_in(
            officer=request.user,
            nik=posted["nik"],
            full_name=posted["full_name"],
            phone=posted["phone"],
            email=posted["email"],
            region_code=posted["region"],
        )
    except DomainError as error:
        if error.status == 403:
            return _refuse(request, error)
        errors = {error.field or "nik": error.message}
        return _home(request, error.status, register=posted, register_errors=errors)
    messages.success(
        request,
        _("Warga %(name)s terdaftar. Tautan untuk membuat kata sandi dikirim ke kontaknya.")
        % {"name": citizen.full_name}
        if (posted["email"] or posted["phone"])
        else _("Warga %(name)s terdaftar tanpa kontak.") % {"name": citizen.full_name},
    )
    return redirect("cases_counter:citizen", citizen_id=citizen.pk)


@login_required
@require_GET
def citizen_page(request: HttpRequest, citizen_id: int) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:80]
    try:
        citizen = counter.serving(officer=request.user, citizen_id=citizen_id)
        offerings = counter.offerings_for(officer=request.user, query=query)
    except DomainError as error:
        return _refuse(request, error)
    context = {
        "citizen": citizen, "offerings": offerings, "query": query,
        "awaiting_claim": walk_in.awaiting_claim(citizen),
        "has_contact": bool(citizen.user.email or citizen.phone),
    }  # fmt: skip
    return render(request, "cases/counter/citizen.html", context)


@login_required
@require_POST
def resend_link(request: HttpRequest, citizen_id: int) -> HttpResponse:
    try:
        citizen = counter.serving(officer=request.user, citizen_id=citizen_id)
        walk_in.resend_claim_link(officer=request.user, citizen=citizen)
    except DomainError as error:
        return _refuse(request, error)
    messages.success(request, _("Tautan baru untuk membuat kata sandi dikirim."))
    return redirect("cases_counter:citizen", citizen_id=citizen.pk)


def _scanner(request: HttpRequest, citizen: Any, region_code: str) -> apply_form.Store:
    """Papers scanned at the desk become the citizen's documents."""

    def store(upload: Any, document_type: str | None) -> documents.Stored:
        return documents.upload_for_citizen(
            officer=request.user, citizen=citizen, region_code=region_code,
            upload=upload, document_type=document_type,
        )  # fmt: skip

    return store


@login_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, citizen_id: int, offering_id: int) -> HttpResponse:
    try:
        citizen = counter.serving(officer=request.user, citizen_id=citizen_id)
        offering = counter.offering_for(officer=request.user, offering_id=offering_id)
    except DomainError as error:
        return _refuse(request, error)
    form, fields = services.form_for(offering)
    context: dict[str, Any] = {"citizen": citizen, "offering": offering, "has_form": bool(form)}
    if form is None:
        return render(request, "cases/counter/apply.html", context, status=404)
    errors: list[formdefs.FieldError] = []
    status = 200
    prefilled: dict[str, Any] = {}
    key = request.POST.get("idempotency_key") or uuid.uuid4().hex
    if request.method == "POST":

        def file(data: dict[str, Any]) -> HttpResponse:
            result = services.submit_application(
                user=request.user, offering_id=offering.pk, data=data,
                idempotency_key=key, on_behalf_of=citizen.pk,
            )  # fmt: skip
            return redirect("cases_counter:done", tracking=result.application.tracking)

        store = _scanner(request, citizen, offering.region_id)
        posted = apply_form.handle_apply_post(request, fields, file, store=store)
        if posted.response is not None:
            return posted.response
        data, errors, status = posted.data, posted.errors, posted.status
    else:
        data = {}
        prefilled = counter.prefill_for(
            officer=request.user, citizen=citizen, offering=offering, fields=fields
        )
    context |= {
        "form": apply_form.form_for_citizen(
            fields, citizen, data=data, errors=errors, prefilled=prefilled
        ),
        "idempotency_key": key,
        "prefilled_from_vault": bool(prefilled),
        "wants_prefill": bool(formdefs.prefill_keys(fields)),
    }
    return render(request, "cases/counter/apply.html", context, status=status)


def receipt_url(application: Application) -> str:
    """The PDF receipt's address when the project has one (`cases:receipt`), else ""."""
    try:
        return reverse("cases:receipt", kwargs={"tracking": application.tracking})
    except NoReverseMatch:
        return ""


@login_required
@require_GET
def done(request: HttpRequest, tracking: str) -> HttpResponse:
    try:
        require_counter_officer(request.user)
        application = counter.assisted_application(officer=request.user, tracking=tracking)
    except DomainError as error:
        return _refuse(request, error)
    context = {"application": application, "receipt_url": receipt_url(application)}
    return render(request, "cases/counter/done.html", context)
