"""National reference data, service templates and their standard versions: national admins keep
templates and publish versions; staff may read them. Every change goes through catalog.services."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from mpp.catalog import services
from mpp.catalog.models import (
    AgencyKind,
    DocumentType,
    LifeEvent,
    PriorityTag,
    Requirement,
    ServiceTemplate,
    StandardVersion,
)
from mpp.catalog.validation import clean_tariffs
from mpp.core.errors import DomainError
from mpp.core.roles import Perm
from mpp.core.tenancy import scope_for


def _national(request: HttpRequest) -> bool:
    return scope_for(request.user, Perm.MANAGE_TEMPLATES).everywhere


class NationalOnly(admin.ModelAdmin):
    """Reference data every region shares: national admins change it, staff may read it."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _national(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _national(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _national(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _national(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


admin.site.register([AgencyKind, LifeEvent, PriorityTag, DocumentType], NationalOnly)


class RequirementInline(admin.TabularInline):
    model = Requirement
    extra = 0
    fields = ["position", "document_type", "description"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _national(request) and obj is not None and obj.status == StandardVersion.Status.DRAFT

    has_add_permission = has_delete_permission = has_change_permission

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _national(request)


class StandardVersionForm(forms.ModelForm):
    class Meta:
        model = StandardVersion
        fields = list(services.standards.VERSION_FIELDS)

    def clean_tariffs(self) -> Any:
        tariffs = self.cleaned_data.get("tariffs")
        if tariffs:
            try:
                return clean_tariffs(tariffs)
            except DomainError as exc:
                raise forms.ValidationError(str(exc.message)) from exc
        return tariffs


@admin.register(StandardVersion)
class StandardVersionAdmin(NationalOnly):
    form = StandardVersionForm
    list_display = ["template", "number", "status", "effective_from", "published_at"]
    list_filter = ["status"]
    search_fields = ["template__name", "template__slug"]
    inlines = [RequirementInline]
    actions = ["publish"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # new versions come from a template's "new draft" action

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        draft = obj is None or obj.status == StandardVersion.Status.DRAFT
        return _national(request) and draft

    def save_model(
        self, request: HttpRequest, obj: StandardVersion, form: Any, change: bool
    ) -> None:
        fields = {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if name in services.standards.VERSION_FIELDS
        }
        try:
            services.update_draft_version(actor=request.user, version=obj, **fields)
        except DomainError as exc:
            self.message_user(request, str(exc.message), messages.ERROR)

    @admin.action(description=_("Terbitkan draf terpilih (berlaku hari ini)"))
    def publish(self, request: HttpRequest, queryset: QuerySet[StandardVersion]) -> None:
        for version in queryset:
            try:
                services.publish_version(actor=request.user, version=version)
                self.message_user(request, _("%(v)s terbit.") % {"v": version})
            except DomainError as exc:
                self.message_user(request, f"{version}: {exc.message}", messages.ERROR)


@admin.register(ServiceTemplate)
class ServiceTemplateAdmin(NationalOnly):
    list_display = ["name", "slug", "agency_kind", "current_version"]
    list_filter = ["agency_kind", "life_events", "priority_tags"]
    search_fields = ["name", "slug", "common_names"]
    readonly_fields = ["current_version"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # A slug is the template's identity (URLs, imports, open data): renaming makes a new one.
        return ["slug", "current_version"] if obj else ["current_version"]

    fields = [
        "slug", "name", "name_en", "agency_kind", "life_events", "priority_tags",
        "common_names", "default_channels", "link_out_url", "min_assurance_level", "current_version",
    ]  # fmt: skip
    actions = ["new_draft"]

    def save_model(
        self, request: HttpRequest, obj: ServiceTemplate, form: Any, change: bool
    ) -> None:
        data = form.cleaned_data
        saved = services.save_template(
            actor=request.user,
            slug=obj.slug if change else data["slug"],
            name=data["name"],
            name_en=data.get("name_en", ""),
            agency_kind=data["agency_kind"].slug,
            life_events=[e.slug for e in data.get("life_events", [])],
            priority_tags=[t.slug for t in data.get("priority_tags", [])],
            common_names=data.get("common_names") or [],
            default_channels=data.get("default_channels") or [],
            link_out_url=data.get("link_out_url", ""),
            min_assurance_level=data.get("min_assurance_level") or 1,
        )
        obj.pk = saved.pk

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """save_template has already set the life events and priority tags."""

    @admin.action(description=_("Buat draf versi baru"))
    def new_draft(self, request: HttpRequest, queryset: QuerySet[ServiceTemplate]) -> None:
        for template in queryset:
            try:
                draft = services.create_draft_version(actor=request.user, template=template)
                self.message_user(request, _("Draf %(v)s dibuat.") % {"v": draft})
            except DomainError as exc:
                self.message_user(request, f"{template}: {exc.message}", messages.ERROR)
