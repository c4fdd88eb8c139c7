"""The OpenID Connect clients and tokens in the admin: national admins only.

django-oauth-toolkit's own admin classes are open to any staff user holding Django's model
permissions; these subclasses put them behind the national-admin check, so only a national
admin registers an agency app (client), sees its tokens or revokes them. The toolkit registers
them itself (OAUTH2_PROVIDER "*_ADMIN_CLASS" settings), so this module is imported by
oauth2_provider.admin while that module is still loading: import nothing else from here.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from oauth2_provider import admin as dot_admin

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


# Registered by the toolkit itself through OAUTH2_PROVIDER["..._ADMIN_CLASS"] (settings.py).
ApplicationAdmin = _guarded(dot_admin.ApplicationAdmin)
AccessTokenAdmin = _guarded(dot_admin.AccessTokenAdmin)
GrantAdmin = _guarded(dot_admin.GrantAdmin)
IDTokenAdmin = _guarded(dot_admin.IDTokenAdmin)
RefreshTokenAdmin = _guarded(dot_admin.RefreshTokenAdmin)
