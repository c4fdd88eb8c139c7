"""Catalogue admin: national admins keep templates and publish versions; regional managers keep
their own region's offerings and agencies. Every change goes through catalog.services."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from mpp.catalog import services
from mpp.catalog.models import (
    Agency,
    AgencyKind,
    CatalogImport,
    Channel,
    DocumentType,
    LifeEvent,
    Offering,
    PriorityTag,
    Requirement,
    ServiceTemplate,
    StandardVersion,
)
from mpp.catalog.validation import clean_tariffs
from mpp.core.errors import DomainError
from mpp.core.roles import Perm
from mpp.core.tenancy import for_actor, scope_for
from mpp.regions.models import Region


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


class ImportUploadForm(forms.ModelForm):
    request: HttpRequest
    upload = forms.FileField(label=_("Berkas (CSV, XLSX, CPSV-AP Turtle/JSON-LD)"))

    class Meta:
        model = CatalogImport
        fields = ["region"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope = scope_for(self.request.user, Perm.MANAGE_OFFERINGS)
        regions = Region.objects.filter(level=Region.Level.KABKOTA)
        if not scope.everywhere:
            regions = regions.filter(code__in=scope.regions)
            self.fields["region"].required = True
        self.fields["region"].queryset = regions  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        region = cleaned.get("region")
        try:
            self.instance = services.start_import(
                actor=self.request.user,
                upload=cleaned["upload"],
                region_code=region.code if region else None,
            )
        except DomainError as exc:
            raise forms.ValidationError(str(exc.message)) from exc
        return cleaned


@admin.register(CatalogImport)
class CatalogImportAdmin(admin.ModelAdmin):
    """Upload a file; the page shows progress while it is checked and the report after."""

    list_display = ["filename", "region", "status", "progress", "applied_rows", "created_at"]
    list_filter = ["status", "format"]
    change_form_template = "catalog/admin/import_change_form.html"
    readonly_fields = [
        "filename", "format", "region", "status", "progress", "applied_rows", "report_table",
        "created_at", "finished_at",
    ]  # fmt: skip

    def get_queryset(self, request: HttpRequest) -> QuerySet[CatalogImport]:
        imports = super().get_queryset(request)
        scope = scope_for(request.user, Perm.MANAGE_OFFERINGS)
        return imports if scope.everywhere else imports.filter(region_id__in=scope.regions)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return scope_for(request.user, Perm.MANAGE_OFFERINGS).reaches_any

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        scope = scope_for(request.user, Perm.MANAGE_OFFERINGS)
        return scope.reaches_any if obj is None else scope.allows(obj.region_id or "")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_form(
        self, request: HttpRequest, obj: Any | None = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is not None:
            return super().get_form(request, obj, change, **kwargs)
        return type("BoundImportUploadForm", (ImportUploadForm,), {"request": request})

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.readonly_fields if obj else ["region", "upload"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.readonly_fields if obj else []

    def save_model(self, request: HttpRequest, obj: CatalogImport, form: Any, change: bool) -> None:
        obj.pk = form.instance.pk  # start_import saved it in the form's clean()

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Nothing related to save."""

    @admin.display(description=_("kemajuan"))
    def progress(self, obj: CatalogImport) -> str:
        return f"{obj.processed_rows}/{obj.total_rows} ({obj.progress_percent}%)"

    @admin.display(description=_("laporan"))
    def report_table(self, obj: CatalogImport) -> str:
        if not obj.report:
            return "—"
        rows = format_html_join(
            "", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            ((e.get("row") or "", e.get("field") or "", e.get("message")) for e in obj.report),
        )  # fmt: skip
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("Baris"), _("Kolom"), _("Alasan"), rows,
        )  # fmt: skip
