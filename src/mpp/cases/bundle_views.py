"""Citizen pages of life-event bundles: one form for several services, and the bundle's status
per service. The public look-up of a bundle number lives with the single one (views.py)."""

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mpp.accounts.vault import field_labels
from mpp.cases import bundles, formdefs, prefill, queries, services
from mpp.cases.apply_form import autosave, form_for_citizen, handle_apply_post, is_autosave
from mpp.cases.views import _citizen_or_page
from mpp.core.errors import DomainError
from mpp.regions.models import Region


@login_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, code: str, slug: str) -> HttpResponse:
    region = get_object_or_404(Region, code=code)
    try:
        definition = bundles.definition_of(slug)
    except DomainError:
        raise Http404 from None
    citizen = _citizen_or_page(request)
    if isinstance(citizen, HttpResponse):
        return citizen
    context: dict[str, Any] = {"definition": definition, "region": region}
    try:
        members = bundles.members_for(definition, region.code, assisted=False)
    except DomainError as exc:
        context["unavailable"] = exc.message
        return render(request, "cases/bundle_apply.html", context, status=exc.status)
    fields = bundles.merged_fields(members, definition.provided_later)
    context["members"] = members
    action = request.POST.get("action", "")
    if action == "consent":
        for member in members:
            if prefill.consent_needed(citizen, member.offering, member.fields):
                prefill.agree_to_prefill(citizen, member.offering, member.fields)
        messages.success(request, _("Terima kasih. Data profil Anda sudah diisikan."))
        return redirect(request.path)
    labels = field_labels()
    asks = [
        (member.offering, [labels.get(key, key) for key in missing])
        for member in members
        if (missing := prefill.consent_needed(citizen, member.offering, member.fields))
    ]
    by_hand = request.GET.get("isi") == "sendiri"
    if asks and not by_hand and request.method == "GET":
        context["asks"] = asks
        return render(request, "cases/bundle_consent.html", context)

    def save_draft(data: dict[str, Any], page_key: str) -> None:
        services.save_bundle_draft(
            user=request.user, region_code=region.code, bundle_slug=definition.slug,
            data=data, page_key=page_key,
        )  # fmt: skip

    if is_autosave(request):
        return autosave(request, fields, save_draft)
    errors: list[formdefs.FieldError] = []
    status = 200
    key = request.POST.get("idempotency_key") or uuid.uuid4().hex
    if request.method == "POST":

        def file(data: dict[str, Any]) -> HttpResponse | None:
            if action == "draft":
                save_draft(data, key)
                messages.success(
                    request, _("Draf tersimpan. Anda dapat melanjutkan dari perangkat lain.")
                )
                return None
            result = bundles.submit_bundle(
                user=request.user,
                region_code=region.code,
                bundle_slug=definition.slug,
                data=data,
                idempotency_key=key,
            )
            messages.success(
                request,
                _("Paket diajukan. Nomor lacak paket Anda: %(tracking)s")
                % {"tracking": result.bundle.tracking},
            )
            return redirect("cases:bundle", tracking=result.bundle.tracking)

        posted = handle_apply_post(request, fields, file)
        if posted.response is not None:
            return posted.response
        data, errors, status = posted.data, posted.errors, posted.status
    else:
        data = services.bundle_draft_of(request.user, region.code, definition.slug)
    prefilled: dict[str, Any] = {}
    for member in members:
        prefilled = prefill.prefilled(citizen, member.offering, member.fields) | prefilled
    context |= {
        "form": form_for_citizen(fields, citizen, data=data, errors=errors, prefilled=prefilled),
        "idempotency_key": key,
        "by_hand": bool(asks),
    }
    return render(request, "cases/bundle_apply.html", context, status=status)


@login_required
def detail(request: HttpRequest, tracking: str) -> HttpResponse:
    citizen = _citizen_or_page(request)
    if isinstance(citizen, HttpResponse):
        return citizen
    try:
        bundle = queries.my_bundle(citizen, tracking)
    except DomainError:
        raise Http404 from None
    return render(request, "cases/bundle_detail.html", {"bundle": bundle})
