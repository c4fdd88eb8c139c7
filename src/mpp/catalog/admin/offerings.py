"""A region's agencies and offerings: a regional manager sees and changes only their own region's.
Every change goes through catalog.services."""

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from mpp.catalog import services
from mpp.catalog.models import Agency, Channel, Offering
from mpp.core.errors import DomainError
from mpp.core.roles import Perm
from mpp.core.tenancy import for_actor, scope_for


class RegionalAdmin(admin.ModelAdmin):
    """Rows of one region: a regional manager sees and changes only their own."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return for_actor(
            super().get_queryset(request), request.user, permission=Perm.MANAGE_OFFERINGS
        )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return scope_for(request.user, Perm.MANAGE_OFFERINGS).reaches_any

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        scope = scope_for(request.user, Perm.MANAGE_OFFERINGS)
        return scope.allows(obj.region_id) if obj else scope.reaches_any

    has_change_permission = has_view_permission

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # offerings come from onboarding or the API; agencies on first use

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # deactivate instead


@admin.register(Agency)
class AgencyAdmin(RegionalAdmin):
    list_display = ["name", "kind", "region", "is_active"]
    list_filter = ["kind"]
    search_fields = ["name", "region__code", "region__name"]
    fields = ["name", "is_active"]

    def save_model(self, request: HttpRequest, obj: Agency, form: Any, change: bool) -> None:
        services.update_agency(
            actor=request.user, agency_id=obj.pk, name=obj.name, is_active=obj.is_active
        )


class OfferingForm(forms.ModelForm):
    channel_kinds = forms.MultipleChoiceField(
        label=_("Kanal"), choices=Channel.choices, widget=forms.CheckboxSelectMultiple
    )
    link_out_url = forms.URLField(
        label=_("Alamat aplikasi instansi"), required=False, assume_scheme="https"
    )

    class Meta:
        model = Offering
        fields = [
            "is_active",
            "tariffs_override",
            "duration_value_override",
            "duration_unit_override",
            "notes",
        ]

    request: HttpRequest

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            channels = list(self.instance.channels.all())
            self.fields["channel_kinds"].initial = [c.kind for c in channels]
            self.fields["link_out_url"].initial = next((c.url for c in channels if c.url), "")

    def channel_specs(self) -> list[services.ChannelSpec]:
        existing = {c.kind: c for c in self.instance.channels.all()}
        return [
            services.ChannelSpec(
                kind,
                url=self.cleaned_data.get("link_out_url", "") if kind == Channel.LINK_OUT else "",
                site_id=existing[kind].site_id if kind in existing else None,
            )
            for kind in self.cleaned_data.get("channel_kinds", [])
        ]

    def clean(self) -> dict[str, Any]:
        """The service's own checks, so the admin refuses what the API refuses."""
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        try:
            services.check_offering(
                actor=self.request.user,
                region_code=self.instance.region_id,
                template_slug=self.instance.template.slug,
                channels=self.channel_specs(),
                tariffs_override=cleaned.get("tariffs_override"),
                duration_value_override=cleaned.get("duration_value_override"),
                duration_unit_override=cleaned.get("duration_unit_override") or "",
            )
        except DomainError as exc:
            raise forms.ValidationError(str(exc.message)) from exc
        return cleaned


@admin.register(Offering)
class OfferingAdmin(RegionalAdmin):
    form = OfferingForm

    def get_form(
        self, request: HttpRequest, obj: Any | None = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"request": request})  # one class per request

    list_display = ["template", "region", "agency", "is_active"]
    list_filter = ["is_active", "template__agency_kind"]
    search_fields = ["template__name", "region__code", "region__name"]
    list_select_related = ["template", "region", "agency"]

    def save_model(self, request: HttpRequest, obj: Offering, form: Any, change: bool) -> None:
        data = form.cleaned_data
        services.save_offering(
            actor=request.user,
            region_code=obj.region_id,
            template_slug=obj.template.slug,
            channels=form.channel_specs(),
            agency_kind=obj.agency.kind.slug,
            tariffs_override=data.get("tariffs_override"),
            duration_value_override=data.get("duration_value_override"),
            duration_unit_override=data.get("duration_unit_override") or "",
            notes=data.get("notes", ""),
            is_active=data.get("is_active", True),
        )
