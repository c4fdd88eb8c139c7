from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from mpp.accounts.second_factor import needs_second_factor

OPEN_PREFIXES = ("/akun/2fa/", "/akun/keluar/", "/static/", "/healthz", "/metrics", "/bahasa/",
                 # OpenID Connect machine endpoints: apps authenticate themselves, not a session.
                 "/o/token/", "/o/userinfo/", "/o/revoke_token/", "/o/introspect/",
                 "/o/.well-known/", "/.well-known/")  # fmt: skip


class StaffSecondFactorMiddleware:
    """Staff who have not passed their second factor may only reach the 2FA and sign-out pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()  # type: ignore[attr-defined]
            and not request.path.startswith(OPEN_PREFIXES)
            and needs_second_factor(user)
        ):
            if request.path.startswith("/api/"):
                detail = _("Petugas wajib memakai verifikasi dua langkah; buka /akun/2fa/.")
                return JsonResponse(
                    {"type": "about:blank", "title": "second_factor_required", "status": 403,
                     "detail": detail, "code": "second_factor_required"},
                    status=403, content_type="application/problem+json",
                )  # fmt: skip
            return redirect("/akun/2fa/?" + urlencode({"next": request.get_full_path()}))
        return self.get_response(request)
