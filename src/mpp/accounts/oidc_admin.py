"""The OpenID Connect clients and tokens in the admin: national admins only.

django-oauth-toolkit's own admin classes are open to any staff user holding Django's model
permissions; these subclasses put them behind the national-admin check, so only a national
admin registers an agency app (client), sees its tokens or revokes them. The toolkit registers
them itself (OAUTH2_PROVIDER "*_ADMIN_CLASS" settings), so this module is imported by
oauth2_provider.admin while that module is still loading: import nothing else from here.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from oauth2_provider import admin as dot_admin
from oauth2_provider.settings import oauth2_settings

from mpp.accounts import client_policy
from mpp.accounts.models import ClientPolicy
from mpp.core.errors import DomainError
from mpp.core.roles import Perm
from mpp.core.tenancy import scope_for


def is_national_admin(user: Any) -> bool:
    return scope_for(user, Perm.MANAGE_TEMPLATES).everywhere


class NationalAdminsOnly:
    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_national_admin(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_national_admin(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_national_admin(request.user)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_national_admin(request.user) and self._toolkit_allows("has_add_permission")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_national_admin(request.user) and self._toolkit_allows("has_delete_permission")

    def _toolkit_allows(self, method: str) -> bool:
        # Where the toolkit's class refuses outright (tokens and codes are never made by hand,
        # tokens are revoked rather than deleted), keep its refusal; otherwise national admins may.
        for klass in type(self).__mro__:
            if klass.__module__ == dot_admin.__name__ and method in vars(klass):
                return bool(vars(klass)[method](self, None))
        return True


def _guarded(base: type[admin.ModelAdmin]) -> type[admin.ModelAdmin]:
    return type(base.__name__, (NationalAdminsOnly, base), {"__module__": __name__})


def _scope_choices() -> list[tuple[str, str]]:
    return [(scope, f"{scope}: {label}") for scope, label in oauth2_settings.SCOPES.items()]


class ClientPolicyForm(forms.ModelForm):
    allowed_scopes = forms.MultipleChoiceField(
        label=_("Cakupan data yang boleh diminta"),
        choices=_scope_choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Aplikasi yang meminta cakupan lain ditolak (invalid_scope)."),
    )

    class Meta:
        model = ClientPolicy
        fields = ["allowed_scopes", "agency"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.initial.setdefault("allowed_scopes", ["openid", "profile"])

    def clean_allowed_scopes(self) -> list[str]:
        try:
            return client_policy.clean_scopes(self.cleaned_data["allowed_scopes"])
        except DomainError as exc:
            raise ValidationError(str(exc.message)) from None


class ClientPolicyInline(NationalAdminsOnly, admin.StackedInline):
    """Every app registered in the admin states which scopes it may ask for."""

    model = ClientPolicy
    form = ClientPolicyForm
    min_num = max_num = 1
    can_delete = False
    autocomplete_fields = ["agency"]


# Registered by the toolkit itself through OAUTH2_PROVIDER["..._ADMIN_CLASS"] (settings.py).
ApplicationAdmin = type(
    dot_admin.ApplicationAdmin.__name__,
    (NationalAdminsOnly, dot_admin.ApplicationAdmin),
    {"__module__": __name__, "inlines": [ClientPolicyInline]},
)
AccessTokenAdmin = _guarded(dot_admin.AccessTokenAdmin)
GrantAdmin = _guarded(dot_admin.GrantAdmin)
IDTokenAdmin = _guarded(dot_admin.IDTokenAdmin)
RefreshTokenAdmin = _guarded(dot_admin.RefreshTokenAdmin)
