"""Pages for agency admins: register their systems' endpoints, read the delivery log, send
a dead event again. Regional managers and national admins see their regions' agencies."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from mpp.core.errors import DomainError, Forbidden, InvalidInput
from mpp.core.roles import Perm
from mpp.core.tenancy import scope_for
from mpp.integrations import queries, services
from mpp.integrations.models import EVENT_TYPES, OutboxEvent

AGENCY_CHOICES_MAX = 300


class EndpointForm(forms.Form):
    agency = forms.TypedChoiceField(label=gettext_lazy("Instansi"), coerce=int)
    name = forms.CharField(label=gettext_lazy("Nama sistem"), max_length=100)
    url = forms.CharField(label=gettext_lazy("Alamat penerima (URL)"), max_length=500)
    event_types = forms.MultipleChoiceField(
        label=gettext_lazy("Kejadian yang dikirim"),
        choices=EVENT_TYPES,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, agencies: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = agencies  # type: ignore[attr-defined]


def _require_manager(request: HttpRequest) -> None:
    if not scope_for(request.user, Perm.MANAGE_INTEGRATIONS).reaches_any:
        raise Forbidden(_("Halaman ini untuk admin instansi dan pengelola MPP."))


def _refuse(request: HttpRequest, exc: DomainError) -> HttpResponse:
    context = {"heading": _("Integrasi sistem instansi"), "message": exc.message}
    return render(request, "accounts/message.html", context, status=exc.status)


@login_required
@require_http_methods(["GET", "POST"])
def endpoints_page(request: HttpRequest) -> HttpResponse:
    try:
        _require_manager(request)
    except DomainError as exc:
        return _refuse(request, exc)
    agencies = [
        (a.pk, f"{a.name} ({a.region_id})")
        for a in services.managed_agencies(request.user).order_by("region_id", "name")[
            :AGENCY_CHOICES_MAX
        ]
    ]
    form = EndpointForm(request.POST or None, agencies=agencies)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                registered = services.register_endpoint(
                    user=request.user, agency_id=data["agency"], name=data["name"],
                    url=data["url"], event_types=data["event_types"],
                )  # fmt: skip
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
            else:
                return _show_secret(request, registered)
        status = 400
    context = {
        "endpoints": queries.endpoints_for(request.user),
        "form": form,
        "now": timezone.now(),
    }
    return render(request, "integrations/endpoints.html", context, status=status)


def _show_secret(request: HttpRequest, registered: services.Registered) -> HttpResponse:
    """The secret is shown once, on the answer to the POST; only its ciphertext is kept."""
    context = {"endpoint": registered.endpoint, "secret": registered.secret}
    response = render(request, "integrations/secret.html", context)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def endpoint_page(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    try:
        _require_manager(request)
        endpoint = queries.endpoint_for(request.user, endpoint_id)
    except DomainError as exc:
        return _refuse(request, exc)
    status = 200
    if request.method == "POST":
        try:
            response = _act(request, endpoint_id)
        except DomainError as exc:
            messages.error(request, str(exc.message))
            status = exc.status
        else:
            if response is not None:
                return response
            return redirect("integrations:endpoint", endpoint_id=endpoint_id)
    shown = request.GET.get("status", "")
    context = {
        "endpoint": endpoint,
        "events": queries.recent_events(endpoint, status=shown),
        "shown": shown,
        "statuses": OutboxEvent.Status.choices,
        "event_types": EVENT_TYPES,
    }
    return render(request, "integrations/endpoint.html", context, status=status)


def _act(request: HttpRequest, endpoint_id: int) -> HttpResponse | None:
    action = request.POST.get("action")
    user = request.user
    if action == "replay":
        event_id = request.POST.get("event", "")
        services.replay_event(user=user, event_id=int(event_id) if event_id.isdecimal() else 0)
        messages.success(request, _("Kejadian akan dikirim ulang."))
    elif action == "rotate":
        return _show_secret(request, services.rotate_secret(user=user, endpoint_id=endpoint_id))
    elif action == "update":
        services.update_endpoint(
            user=user, endpoint_id=endpoint_id, url=request.POST.get("url", ""),
            event_types=request.POST.getlist("event_types"),
            is_active=request.POST.get("is_active") == "on",
        )  # fmt: skip
        messages.success(request, _("Titik integrasi disimpan."))
    else:
        raise InvalidInput(_("Aksi tidak dikenal."), field="action")
    return None
