from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mpp.catalog import services as catalog_services
from mpp.core.errors import DomainError
from mpp.core.roles import Perm
from mpp.core.tenancy import scope_for
from mpp.regions import queries, services
from mpp.regions.models import MppSite, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "province", "physical_live_on", "digital_live_on"]
    list_filter = ["level", "kind"]
    search_fields = ["code", "name"]
    readonly_fields = [f.name for f in Region._meta.fields]
    actions = ["onboard"]

    @admin.action(
        description=gettext_lazy("Tawarkan semua layanan nasional di wilayah terpilih (onboarding)")
    )
    def onboard(self, request: HttpRequest, queryset: QuerySet[Region]) -> None:
        for region in queryset.filter(level=Region.Level.KABKOTA):
            try:
                result = catalog_services.onboard_region(
                    actor=request.user, region_code=region.code
                )
            except DomainError as exc:
                self.message_user(request, f"{region}: {exc.message}", messages.ERROR)
                continue
            self.message_user(
                request,
                _("%(region)s: %(created)s layanan ditambahkan, %(existing)s sudah ada.")
                % {"region": region, "created": result.created, "existing": result.existing},
            )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # the official list comes from `manage.py sync_regions`

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


SITE_FIELDS: list[str] = [
    "region",
    "kind",
    "name",
    "address",
    "url",
    "opening_hours",
    "went_live_on",
    "is_active",
]


class MppSiteForm(forms.ModelForm):
    """Runs the service's own checks so the admin shows the same errors as the API."""

    request: HttpRequest
    url = forms.URLField(required=False, assume_scheme="https")

    class Meta:
        model = MppSite
        fields = SITE_FIELDS

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        values: dict[str, Any] = {name: cleaned.get(name) for name in SITE_FIELDS[1:]}
        try:
            services.check_mpp_site(
                actor=self.request.user, region_code=cleaned["region"].code, **values
            )
        except DomainError as exc:
            message = str(exc.message)
            raise forms.ValidationError({exc.field: message} if exc.field else message) from exc
        return cleaned


@admin.register(MppSite)
class MppSiteAdmin(admin.ModelAdmin):
    form = MppSiteForm
    list_display = ["name", "region", "kind", "went_live_on", "is_active", "is_demo"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "region__name", "region__code"]
    autocomplete_fields = ["region"]
    fields = tuple(SITE_FIELDS)

    def get_form(
        self, request: HttpRequest, obj: Any | None = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        # A subclass per request: the form class is shared between threads.
        return type(form.__name__, (form,), {"request": request})

    def get_queryset(self, request: HttpRequest) -> QuerySet[MppSite]:
        return queries.list_sites_for_staff(user=request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return scope_for(request.user, Perm.VIEW_SITES).reaches_any

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        scope = scope_for(request.user, Perm.VIEW_SITES)
        return scope.allows(obj.region_id) if obj else scope.reaches_any

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        scope = scope_for(request.user, Perm.MANAGE_SITES)
        return scope.allows(obj.region_id) if obj else scope.reaches_any

    def has_add_permission(self, request: HttpRequest) -> bool:
        return scope_for(request.user, Perm.MANAGE_SITES).reaches_any

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # deactivate instead: history of coverage is kept

    def save_model(self, request: HttpRequest, obj: MppSite, form: Any, change: bool) -> None:
        saved = services.save_mpp_site(
            actor=request.user,
            region_code=obj.region_id,
            site_id=obj.pk if change else None,
            **{name: getattr(obj, name) for name in SITE_FIELDS[1:]},
        )
        obj.pk = saved.pk
