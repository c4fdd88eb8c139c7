from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "mpp.accounts"
    label = "accounts"
    verbose_name = _("Akun")

    def ready(self) -> None:
        from oauth2_provider.signals import app_authorized

        app_authorized.connect(_record_app_consent, dispatch_uid="mpp.accounts.app_consent")


def _record_app_consent(sender: Any, request: Any, token: Any, **kwargs: Any) -> None:
    from mpp.accounts.consent import record_app_consent

    if token.user_id:
        record_app_consent(
            user=token.user, application=token.application, scopes=token.scope.split()
        )
