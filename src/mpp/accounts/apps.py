from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "mpp.accounts"
    label = "accounts"
    verbose_name = _("Akun")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from oauth2_provider.signals import app_authorized

        app_authorized.connect(_record_app_consent, dispatch_uid="mpp.accounts.app_consent")
        user_logged_in.connect(_remember_roles, dispatch_uid="mpp.accounts.remember_roles")


def _record_app_consent(sender: Any, request: Any, token: Any, **kwargs: Any) -> None:
    from mpp.accounts.consent import record_app_consent

    if token.user_id:
        record_app_consent(
            user=token.user, application=token.application, scopes=token.scope.split()
        )


def _remember_roles(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """Keep the staff roles in the session so the header can show work links without a query
    on every page. Access is still checked on each page; a grant made later shows at next login."""
    from mpp.core.tenancy import roles_of

    if request is not None and hasattr(request, "session"):
        request.session["mpp_roles"] = sorted(roles_of(user))
