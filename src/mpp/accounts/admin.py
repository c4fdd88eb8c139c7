from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from mpp.accounts.models import RoleGrant, User
from mpp.core.roles import Role
from mpp.core.tenancy import roles_of


def _is_national_admin(request: HttpRequest) -> bool:
    return Role.NATIONAL_ADMIN in roles_of(request.user) or bool(request.user.is_superuser)


class NationalAdminOnly:
    """Users and grants in the Django admin: national admins only. Regional managers and agency
    admins manage their own staff on the "Petugas" page (/akun/petugas/, mpp.accounts.staff)."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_national_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_national_admin(request)

    has_change_permission = has_add_permission = has_delete_permission = has_view_permission


class RoleGrantInline(NationalAdminOnly, admin.TabularInline):
    model = RoleGrant
    extra = 0
    autocomplete_fields = ["region", "agency"]


@admin.register(User)
class MppUserAdmin(NationalAdminOnly, UserAdmin):
    inlines = [RoleGrantInline]
