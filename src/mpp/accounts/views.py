from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mpp.accounts import profile, registration
from mpp.accounts.forms import RegistrationForm, VerifyForm
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
        {"citizen": citizen, "rows": rows, "errors": errors},
        status=400 if errors else 200,
    )
