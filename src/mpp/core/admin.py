"""The working calendar's overrides: national admins add a decree's changes here."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from mpp.core import calendar_services
from mpp.core.errors import DomainError
from mpp.core.models import CalendarOverride
from mpp.core.roles import Role
from mpp.core.tenancy import roles_of


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "region", "is_working_day", "reason", "created_at"]
    list_filter = ["is_working_day", ("region", admin.EmptyFieldListFilter)]
    list_select_related = ["region"]
    search_fields = ["reason", "region__code", "region__name"]
    date_hierarchy = "date"
    autocomplete_fields = ["region"]
    fields = ["date", "region", "is_working_day", "reason"]

    def _national(self, request: HttpRequest) -> bool:
        return Role.NATIONAL_ADMIN in roles_of(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._national(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._national(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._national(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._national(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._national(request)

    def save_model(
        self, request: HttpRequest, obj: CalendarOverride, form: Any, change: bool
    ) -> None:
        data = form.cleaned_data
        region = data.get("region")
        try:
            saved = calendar_services.save_calendar_override(
                actor=request.user,
                override_id=obj.pk if change else None,
                day=data["date"],
                region_code=region.code if region else None,
                is_working_day=data.get("is_working_day", False),
                reason=data["reason"],
            )
        except DomainError as exc:
            self.message_user(request, str(exc.message), messages.ERROR)
            return
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: CalendarOverride) -> None:
        calendar_services.delete_calendar_override(actor=request.user, override_id=obj.pk)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[CalendarOverride]) -> None:
        for override_id in queryset.values_list("pk", flat=True):
            calendar_services.delete_calendar_override(actor=request.user, override_id=override_id)
