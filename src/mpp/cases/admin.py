"""Admin for form definitions and life-event bundles (national), regional form extensions and
issued outputs. Every change goes through the services (formdefs.services, bundles, outputs), so
the admin refuses what they refuse."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from mpp.cases import bundles, outputs
from mpp.cases.formdefs import services, validate_definition, validate_extension
from mpp.cases.formdefs.queries import get_published_form
from mpp.cases.models import BundleDefinition, FormDefinition, OfferingFormExtension, Output
from mpp.catalog.models import Offering
from mpp.core.errors import DomainError
from mpp.core.roles import Perm
from mpp.core.tenancy import agencies_for, for_actor, scope_for


def _national(request: HttpRequest) -> bool:
    return scope_for(request.user, Perm.MANAGE_TEMPLATES).everywhere


class FormDefinitionForm(forms.ModelForm):
    class Meta:
        model = FormDefinition
        fields = ["template", "definition"]

    def clean_definition(self) -> Any:
        definition = self.cleaned_data.get("definition")
        try:
            validate_definition(definition)  # type: ignore[arg-type]
        except DomainError as exc:
            raise forms.ValidationError(str(exc.message)) from exc
        return definition


@admin.register(FormDefinition)
class FormDefinitionAdmin(admin.ModelAdmin):
    """National admins write drafts and publish them; a published form is read-only."""

    form = FormDefinitionForm
    list_display = ["template", "number", "status", "published_at"]
    list_filter = ["status"]
    search_fields = ["template__name", "template__slug"]
    list_select_related = ["template"]
    actions = ["publish"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _national(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _national(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _national(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        draft = obj is None or obj.status == FormDefinition.Status.DRAFT
        return _national(request) and draft

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # applications point at published forms; drafts are simply replaced

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["template", "number", "status", "published_at"] if obj else []

    def save_model(
        self, request: HttpRequest, obj: FormDefinition, form: Any, change: bool
    ) -> None:
        saved = services.save_draft_form_definition(
            actor=request.user, template=obj.template, definition=form.cleaned_data["definition"]
        )
        obj.pk = saved.pk

    @admin.action(description=_("Terbitkan formulir draf terpilih"))
    def publish(self, request: HttpRequest, queryset: QuerySet[FormDefinition]) -> None:
        for definition in queryset:
            try:
                services.publish_form_definition(actor=request.user, form_definition=definition)
                self.message_user(request, _("%(f)s terbit.") % {"f": definition})
            except DomainError as exc:
                self.message_user(request, f"{definition}: {exc.message}", messages.ERROR)


class OfferingFormExtensionForm(forms.ModelForm):
    request: HttpRequest

    class Meta:
        model = OfferingFormExtension
        fields = ["offering", "fields"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offerings = for_actor(
            Offering.objects.select_related("template", "region"),
            self.request.user,
            permission=Perm.MANAGE_OFFERINGS,
        )
        self.fields["offering"].queryset = offerings  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        offering, extension_fields = cleaned.get("offering"), cleaned.get("fields")
        if offering is None or self.errors:
            return cleaned
        if not isinstance(extension_fields, list):
            raise forms.ValidationError(_("Isian tambahan harus berupa daftar JSON."))
        national = get_published_form(template_id=offering.template_id)
        try:
            validate_extension(national.definition if national else None, extension_fields)
        except DomainError as exc:
            raise forms.ValidationError(str(exc.message)) from exc
        return cleaned


@admin.register(OfferingFormExtension)
class OfferingFormExtensionAdmin(admin.ModelAdmin):
    """A regional manager adds fields to the national form of their own region's offerings."""

    form = OfferingFormExtensionForm
    list_display = ["offering", "region", "updated_at"]
    search_fields = ["offering__template__name", "region__code", "region__name"]
    list_select_related = ["offering__template", "region"]

    def get_form(
        self, request: HttpRequest, obj: Any | None = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"request": request})  # one class per request

    def get_queryset(self, request: HttpRequest) -> QuerySet[OfferingFormExtension]:
        return for_actor(
            super().get_queryset(request), request.user, permission=Perm.MANAGE_OFFERINGS
        )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return scope_for(request.user, Perm.MANAGE_OFFERINGS).reaches_any

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        scope = scope_for(request.user, Perm.MANAGE_OFFERINGS)
        return scope.allows(obj.region_id) if obj else scope.reaches_any

    has_change_permission = has_add_permission = has_view_permission

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["offering"] if obj else []

    def save_model(
        self, request: HttpRequest, obj: OfferingFormExtension, form: Any, change: bool
    ) -> None:
        saved = services.save_form_extension(
            actor=request.user, offering=obj.offering, fields=form.cleaned_data["fields"]
        )
        obj.pk = saved.pk


class BundleDefinitionForm(forms.ModelForm):
    class Meta:
        model = BundleDefinition
        fields = [
            "slug",
            "name",
            "name_en",
            "life_event",
            "services",
            "provided_later",
            "is_active",
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        try:
            bundles.check_definition(cleaned.get("services"), cleaned.get("provided_later") or [])
        except DomainError as exc:
            raise forms.ValidationError({exc.field or "services": str(exc.message)}) from exc
        return cleaned


@admin.register(BundleDefinition)
class BundleDefinitionAdmin(admin.ModelAdmin):
    """National admins define which services one life-event submission opens. Saving checks that
    the member forms agree on the keys they share."""

    form = BundleDefinitionForm
    list_display = ["name", "slug", "life_event", "is_active", "updated_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "slug"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _national(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _national(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _national(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _national(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # bundles point at it; switch it off with "aktif"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["slug"] if obj is not None else []

    def save_model(
        self, request: HttpRequest, obj: BundleDefinition, form: Any, change: bool
    ) -> None:
        saved = bundles.save_bundle_definition(
            actor=request.user,
            slug=obj.slug,
            name=obj.name,
            name_en=obj.name_en,
            life_event=obj.life_event.slug if obj.life_event else None,
            services=obj.services,
            provided_later=obj.provided_later,
            is_active=obj.is_active,
        )
        obj.pk = saved.pk


class RevokeForm(forms.Form):
    public_reason = forms.ChoiceField(
        label=_("Alasan pencabutan"),
        choices=[("", "---------"), *Output.RevocationReason.choices],
        help_text=_("Alasan ini tampil di halaman verifikasi publik."),
    )
    note = forms.CharField(
        label=_("Catatan pencabutan"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Untuk petugas dan pemegang dokumen; tidak tampil di halaman verifikasi."),
    )


@admin.register(Output)
class OutputAdmin(admin.ModelAdmin):
    """Issued outputs, read-only; staff see their regions (agency staff: their agencies).
    Revoking goes through `outputs.revoke_output`, which checks the same rules as the pages."""

    list_display = ["code", "title", "agency", "application", "issued_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["code", "application__tracking", "title"]
    list_select_related = ["agency", "application"]
    actions = ["revoke"]
    readonly_fields = [
        "application", "code", "title", "file", "sha256", "agency", "issued_by", "issued_at",
        "revoked_at", "revoked_public_reason", "revoked_note", "revoked_by",
    ]  # fmt: skip

    def get_queryset(self, request: HttpRequest) -> QuerySet[Output]:
        rows = for_actor(
            super().get_queryset(request),
            request.user,
            permission=Perm.VIEW_SITES,
            region_field="application__region",
        )
        agencies = agencies_for(request.user, Perm.VIEW_SITES)
        return rows if agencies is None else rows.filter(agency_id__in=agencies)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return scope_for(request.user, Perm.VIEW_SITES).reaches_any

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Cabut produk layanan terpilih"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[Output]) -> Any:
        form = RevokeForm(request.POST if "note" in request.POST else None)
        if not form.is_valid():
            context = {
                **self.admin_site.each_context(request),
                "title": _("Cabut produk layanan"),
                "outputs": queryset,
                "form": form,
                "opts": self.model._meta,
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "admin/cases/output/revoke.html", context)
        for output in queryset:
            try:
                outputs.revoke_output(
                    user=request.user,
                    code=output.code,
                    public_reason=form.cleaned_data["public_reason"],
                    note=form.cleaned_data["note"],
                )
                self.message_user(request, _("%(code)s dicabut.") % {"code": output.code})
            except DomainError as exc:
                self.message_user(request, f"{output.code}: {exc.message}", messages.ERROR)
        return None
