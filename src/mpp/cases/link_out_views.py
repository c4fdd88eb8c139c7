"""The citizen's door to a service that continues in the agency's own app (see link_out.py)."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from mpp.cases import link_out
from mpp.cases.views import _citizen_or_page, _offering
from mpp.core.errors import DomainError


@login_required
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, code: str, slug: str) -> HttpResponse:
    offering = _offering(code, slug)
    citizen = _citizen_or_page(request)
    if isinstance(citizen, HttpResponse):
        return citizen
    url = link_out.app_url(offering)
    context = {"offering": offering, "app_url": url, "idempotency_key": uuid.uuid4().hex}
    if not url:
        return render(request, "cases/link_out.html", context, status=404)
    if request.method == "GET":
        return render(request, "cases/link_out.html", context)
    try:
        result = link_out.start_link_out(
            user=request.user,
            offering_id=offering.pk,
            idempotency_key=request.POST.get("idempotency_key", ""),
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return render(request, "cases/link_out.html", context, status=exc.status)
    # The agency's own address, set by admins in the catalog: not a user-supplied redirect.
    return HttpResponseRedirect(link_out.url_for(result.application))
