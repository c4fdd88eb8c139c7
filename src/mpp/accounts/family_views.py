"""The citizen's family page: members from the KK, and adding one by hand."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mpp.accounts import family, profile
from mpp.accounts.forms import FamilyMemberForm
from mpp.core.errors import DomainError


@login_required
@require_http_methods(["GET", "POST"])
def family_page(request: HttpRequest) -> HttpResponse:
    try:
        citizen = profile.citizen_of(request.user)
    except DomainError as exc:
        return render(request, "accounts/no_citizen.html", {"message": exc.message}, status=404)
    form = FamilyMemberForm(request.POST or None)
    if request.method == "POST" and request.POST.get("remove"):
        try:
            family.remove_family_member(citizen=citizen, member_id=int(request.POST["remove"]))
        except (DomainError, ValueError):
            messages.error(request, _("Anggota keluarga ini tidak dapat dihapus."))
        else:
            messages.success(request, _("Anggota keluarga dihapus."))
        return redirect("accounts:family")
    if request.method == "POST" and form.is_valid():
        try:
            family.add_family_member(citizen=citizen, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            messages.success(
                request,
                _("Anggota keluarga ditambahkan. Anda dapat mewakilinya setelah diverifikasi."),
            )
            return redirect("accounts:family")
    context = {"members": family.list_family(citizen=citizen), "form": form}
    return render(request, "accounts/family.html", context, status=400 if form.errors else 200)
