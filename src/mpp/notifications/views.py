"""The citizen's inbox (/notifikasi/) and how they want to be reached (/notifikasi/pengaturan/)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mpp.core.errors import DomainError, NotFound
from mpp.notifications import queries, services

PAGE = 20


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(queries.inbox_of(request.user), PAGE).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.mark_read(user=request.user)
    if count:
        messages.success(request, _("%(n)s notifikasi ditandai dibaca.") % {"n": count})
    return redirect("notifications:inbox")


@login_required
@require_POST
def open_one(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        notification = services.open_notification(user=request.user, notification_id=pk)
    except NotFound:
        raise Http404 from None
    link = notification.link
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return redirect(link)
    return redirect("notifications:inbox")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    error = None
    if request.method == "POST":
        try:
            services.set_preferences(
                user=request.user,
                email="email" in request.POST,
                sms="sms" in request.POST,
                whatsapp="whatsapp" in request.POST,
                language=request.POST.get("language", ""),
            )
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, _("Pengaturan notifikasi disimpan."))
            return redirect("notifications:preferences")
    prefs = queries.preferences_for(request.user)
    status = 400 if error else 200
    return render(
        request,
        "notifications/preferences.html",
        {"prefs": prefs, "error": error, "masked_phone": _mask(prefs.phone)},
        status=status,
    )


def _mask(phone: str) -> str:
    return f"{phone[:4]}••••{phone[-3:]}" if phone else ""
