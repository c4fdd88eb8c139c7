"""Pages for staff management ("Petugas") and for new staff setting their first password."""

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mpp.accounts import staff
from mpp.accounts.forms import FirstPasswordForm, StaffForm
from mpp.accounts.second_factor import needs_second_factor
from mpp.core.errors import DomainError

PAGE_SIZE = 200


def _form(request: HttpRequest, region: str, data: Any = None) -> StaffForm:
    actor = request.user
    return StaffForm(
        data,
        roles=[(role.value, str(role.label)) for role in staff.assignable_roles(actor)],
        agencies=[(a.pk, a.name) for a in staff.agency_choices(actor=actor, region_code=region)],
        regions=staff.staff_regions(actor),
        initial={"region": region},
    )


def _create(request: HttpRequest, form: Form) -> bool:
    if not form.is_valid():
        return False
    data = form.cleaned_data
    try:
        staff.create_staff(
            actor=request.user, username=data["username"], full_name=data["full_name"],
            email=data["email"], role=data["role"], region_code=data["region"] or None,
            agency_id=data["agency"], site_url=request.build_absolute_uri("/"),
        )  # fmt: skip
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        return False
    messages.success(
        request,
        _("Akun %(username)s dibuat; tautan untuk membuat kata sandi dikirim ke %(email)s.")
        % {"username": data["username"], "email": data["email"]},
    )
    return True


@login_required
@require_http_methods(["GET", "POST"])
def staff_page(request: HttpRequest) -> HttpResponse:
    """Staff in the admin's scope, a form to add one, and a button to revoke each role."""
    try:
        staff.require_staff_manager(request.user)
    except DomainError as exc:
        refusal = {"heading": _("Petugas"), "message": exc.message}
        return render(request, "accounts/message.html", refusal, status=403)
    regions = staff.staff_regions(request.user)
    region = request.GET.get("wilayah", "").strip() or (regions[0] if regions else "")
    if regions is not None and region not in regions:
        region = regions[0] if regions else ""
    here = reverse("accounts:staff") + "?" + urlencode({"wilayah": region})
    form = _form(request, region)
    error, status = "", 200
    if request.method == "POST" and request.POST.get("action") == "revoke":
        try:
            staff.revoke_grant(actor=request.user, grant_id=int(request.POST.get("grant") or 0))
        except (DomainError, ValueError) as exc:
            error = str(exc.message) if isinstance(exc, DomainError) else _("Peran tidak dikenal.")
            status = exc.status if isinstance(exc, DomainError) else 400
        else:
            messages.success(request, _("Peran dicabut."))
            return redirect(here)
    elif request.method == "POST":
        form = _form(request, request.POST.get("region", region), request.POST)
        if _create(request, form):
            return redirect(here)
        status = 400
    grants = staff.list_staff(actor=request.user, region_code=region or None)[:PAGE_SIZE]
    context: dict[str, Any] = {"grants": grants, "form": form, "region": region, "regions": regions,
               "error": error, "page_size": PAGE_SIZE}  # fmt: skip
    return render(request, "accounts/staff.html", context, status=status)


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """The one-time link from the new-staff e-mail (Django's reset token: used once)."""

    template_name = "accounts/set_password.html"
    form_class = FirstPasswordForm
    success_url = reverse_lazy("accounts:login")

    def form_valid(self, form: Any) -> HttpResponse:
        staff_member = needs_second_factor(form.user)  # citizens claiming a counter account too
        messages.success(
            self.request,
            _("Kata sandi dibuat. Masuk, lalu pasang aplikasi autentikator Anda.")
            if staff_member
            else _("Kata sandi dibuat. Silakan masuk."),
        )
        return super().form_valid(form)
