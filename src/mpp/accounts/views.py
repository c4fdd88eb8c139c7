from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from mpp.accounts import consent as consent_service
from mpp.accounts import privacy, profile, registration
from mpp.accounts import second_factor as second_factor_service
from mpp.accounts.forms import RegistrationForm, VerifyForm
from mpp.accounts.vault import field_labels
from mpp.core.errors import DomainError

PENDING = "mpp_pending_user"


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = registration.register_citizen(**form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            request.session[PENDING] = result.user.pk
            messages.info(
                request, _("Kode dikirim ke %(hint)s.") % {"hint": result.destination_hint}
            )
            return redirect("accounts:verify")
    return render(
        request, "accounts/register.html", {"form": form}, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    user_id = request.session.get(PENDING)
    if not user_id:
        return redirect("accounts:register")
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = registration.verify_contact(user_id=user_id, code=form.cleaned_data["code"])
        except DomainError as exc:
            form.add_error("code", str(exc.message))
        else:
            del request.session[PENDING]
            login(request, user, backend="mpp.accounts.backends.IdentifierBackend")
            messages.success(request, _("Akun Anda aktif. Selamat datang!"))
            return redirect("web:home")
    return render(
        request, "accounts/verify.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_profile(request: HttpRequest) -> HttpResponse:
    """The citizen sees and corrects what services may reuse."""
    try:
        citizen = profile.citizen_of(request.user)
    except DomainError as exc:
        return render(request, "accounts/no_citizen.html", {"message": exc.message}, status=404)
    entries = profile.get_profile(citizen=citizen)
    errors: dict[str, str] = {}
    if request.method == "POST":
        changes = {e.key: request.POST.get(e.key, e.value) for e in entries}
        try:
            result = profile.update_profile(citizen=citizen, changes=changes, actor=request.user)
        except DomainError as exc:
            errors[exc.field or ""] = str(exc.message)
        else:
            if result.requested:
                messages.info(
                    request,
                    _("Data terverifikasi tidak langsung berubah: koreksi Anda diperiksa petugas."),
                )
            messages.success(request, _("Profil disimpan."))
            return redirect("accounts:profile")
    rows = [(entry, request.POST.get(entry.key, entry.value)) for entry in entries]
    return render(
        request,
        "accounts/profile.html",
        {
            "citizen": citizen,
            "rows": rows,
            "errors": errors,
            "family": citizen.family_members.all(),
        },
        status=400 if errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_data(request: HttpRequest) -> HttpResponse:
    """Who used my data, download all of it, delete my account."""
    try:
        citizen = profile.citizen_of(request.user)
    except DomainError as exc:
        return render(request, "accounts/no_citizen.html", {"message": exc.message}, status=404)
    if request.GET.get("unduh"):
        response = JsonResponse(
            privacy.export_my_data(citizen=citizen),
            json_dumps_params={"ensure_ascii": False, "indent": 2},
        )
        response["Content-Disposition"] = 'attachment; filename="data-saya-mpp-digital.json"'
        return response
    error = ""
    if request.method == "POST":
        try:
            privacy.delete_my_account(user=request.user, password=request.POST.get("password", ""))  # type: ignore[arg-type]
        except DomainError as exc:
            error = str(exc.message)
        else:
            logout(request)
            messages.success(request, _("Akun dan data pribadi Anda sudah dihapus."))
            return redirect("web:home")
    accesses = citizen.data_accesses.all()[:100]
    return render(
        request,
        "accounts/my_data.html",
        {"citizen": citizen, "accesses": accesses, "error": error},
        status=400 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def second_factor(request: HttpRequest) -> HttpResponse:
    """Set up or enter the officer's authenticator code."""
    user = request.user
    device = second_factor_service.confirmed_device(user)
    setup = None if device else second_factor_service.start_setup(user=user)
    error = ""
    if request.method == "POST":
        try:
            verified = second_factor_service.verify(user=user, token=request.POST.get("token", ""))
        except DomainError as exc:
            error = str(exc.message)
        else:
            otp_login(request, verified)
            request.session.set_expiry(settings.MPP_STAFF_SESSION_SECONDS)
            target = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(
                target, {request.get_host()}, request.is_secure()
            ):
                target = "/admin/"
            return redirect(target)
    context = {
        "setup": setup,
        "qr": second_factor_service.qr_svg(setup) if setup else "",
        "secret": second_factor_service.secret_text(setup) if setup else "",
        "error": error,
    }
    return render(request, "accounts/second_factor.html", context, status=400 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def my_consents(request: HttpRequest) -> HttpResponse:
    """Which agency or app may use which of my data, why; withdraw; print a receipt."""
    try:
        citizen = profile.citizen_of(request.user)
    except DomainError as exc:
        return render(request, "accounts/no_citizen.html", {"message": exc.message}, status=404)
    if request.method == "POST":
        try:
            consent_service.withdraw_consent(
                citizen=citizen, consent_id=int(request.POST.get("consent", "0") or 0)
            )
        except (DomainError, ValueError):
            return render(
                request,
                "accounts/no_citizen.html",
                {"message": _("Persetujuan tidak ditemukan.")},
                status=404,
            )
        messages.success(request, _("Persetujuan ditarik."))
        return redirect("accounts:consents")
    return render(
        request,
        "accounts/consents.html",
        {"consents": citizen.consents.all(), "labels": field_labels()},
    )


@login_required
def consent_receipt(request: HttpRequest, receipt: str) -> HttpResponse:
    citizen = profile.citizen_of(request.user) if hasattr(request.user, "citizen") else None
    found = citizen.consents.filter(receipt=receipt).first() if citizen else None
    if found is None:
        return render(
            request,
            "accounts/no_citizen.html",
            {"message": _("Persetujuan tidak ditemukan.")},
            status=404,
        )
    return render(
        request,
        "accounts/consent_receipt.html",
        {"consent": found, "citizen": citizen, "labels": field_labels()},
    )
