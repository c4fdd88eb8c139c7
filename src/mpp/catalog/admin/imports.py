"""Catalogue imports: upload a file, then watch its progress and read its report. Every change
goes through catalog.services."""

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from mpp.catalog import services
from mpp.catalog.models import CatalogImport
from mpp.core.errors import DomainError
from mpp.core.roles import Perm
from mpp.core.tenancy import scope_for
from mpp.regions.models import Region


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
