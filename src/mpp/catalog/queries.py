"""Read paths for the catalogue. Public lists run a fixed number of queries whatever their size."""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, When
from django.utils.translation import gettext as _

from mpp.catalog import search
from mpp.catalog.models import (
    DIGITAL_CHANNELS,
    Agency,
    LifeEvent,
    Offering,
    OfferingChannel,
    PriorityTag,
    Requirement,
    ServiceTemplate,
)
from mpp.core.errors import NotFound
from mpp.core.roles import Perm
from mpp.core.tenancy import scope_for
from mpp.regions.models import Region

if TYPE_CHECKING:
    from mpp.catalog.models import CatalogImport


@dataclass(frozen=True)
class Digitalisation:
    digital: int
    total: int

    @property
    def rate(self) -> float:
        return round(self.digital / self.total, 4) if self.total else 0.0

    @property
    def percent(self) -> int:
        return round(self.rate * 100)


@dataclass(frozen=True)
class CatalogFilters:
    q: str = ""
    agency: str = ""  # agency kind slug
    life_event: str = ""
    channel: str = ""
    tag: str = ""


def _offerings_base() -> QuerySet[Offering]:
    return (
        Offering.objects.filter(is_active=True, template__current_version__isnull=False)
        .select_related("template__current_version", "template__agency_kind", "agency", "region")
        .prefetch_related("channels")
    )


def _apply_filters(offerings: QuerySet[Offering], filters: CatalogFilters) -> QuerySet[Offering]:
    if filters.agency:
        offerings = offerings.filter(agency__kind__slug=filters.agency)
    if filters.life_event:
        offerings = offerings.filter(template__life_events__slug=filters.life_event)
    if filters.tag:
        offerings = offerings.filter(template__priority_tags__slug=filters.tag)
    if filters.channel:
        offerings = offerings.filter(channels__kind=filters.channel)
    if filters.q:
        ranked = search.rank_templates(filters.q)
        order = Case(
            *(When(template_id=pk, then=rank) for rank, pk in enumerate(ranked)),
            output_field=IntegerField(),
        )
        offerings = (
            offerings.filter(template_id__in=ranked).order_by(order) if ranked else offerings.none()
        )
    else:
        offerings = offerings.order_by("template__name")
    return offerings


def list_offerings(*, region_code: str, filters: CatalogFilters) -> QuerySet[Offering]:
    """A region's active offerings, filtered; ranked by relevance when there is a query."""
    return _apply_filters(_offerings_base().filter(region_id=region_code), filters)


def list_templates(*, filters: CatalogFilters) -> QuerySet[ServiceTemplate]:
    """The national catalogue: published templates, filtered like a region's offerings."""
    templates = ServiceTemplate.objects.filter(current_version__isnull=False).select_related(
        "current_version", "agency_kind"
    )
    if filters.agency:
        templates = templates.filter(agency_kind__slug=filters.agency)
    if filters.life_event:
        templates = templates.filter(life_events__slug=filters.life_event)
    if filters.tag:
        templates = templates.filter(priority_tags__slug=filters.tag)
    if filters.channel:  # offered somewhere through that channel
        offered = OfferingChannel.objects.filter(kind=filters.channel).values(
            "offering__template_id"
        )
        templates = templates.filter(pk__in=offered)
    if filters.q:
        ranked = search.rank_templates(filters.q)
        order = Case(
            *(When(pk=pk, then=rank) for rank, pk in enumerate(ranked)), output_field=IntegerField()
        )
        return templates.filter(pk__in=ranked).order_by(order) if ranked else templates.none()
    return templates.order_by("name")


def _requirements() -> Prefetch:
    return Prefetch(
        "template__current_version__requirements",
        queryset=Requirement.objects.select_related("document_type"),
    )


def get_offering(*, region_code: str, slug: str) -> Offering:
    offering = (
        _offerings_base()
        .prefetch_related(_requirements(), "template__life_events", "template__priority_tags")
        .prefetch_related("channels__site")
        .filter(region_id=region_code, template__slug=slug)
        .first()
    )
    if offering is None:
        raise NotFound(_("Layanan ini tidak ditawarkan di wilayah tersebut."))
    return offering


def get_offering_by_id(*, offering_id: int) -> Offering:
    offering = (
        _offerings_base()
        .prefetch_related(_requirements(), "template__life_events", "template__priority_tags")
        .prefetch_related("channels__site")
        .filter(pk=offering_id)
        .first()
    )
    if offering is None:
        raise NotFound(_("Layanan tidak ditemukan."))
    return offering


def get_digitalisation(*, region_code: str) -> Digitalisation:
    """Share of a region's active offerings that can be completed online end to end."""
    counts = Offering.objects.filter(
        region_id=region_code, is_active=True, template__current_version__isnull=False
    ).aggregate(
        total=Count("pk", distinct=True),
        digital=Count("pk", filter=Q(channels__kind__in=DIGITAL_CHANNELS), distinct=True),
    )
    return Digitalisation(digital=counts["digital"], total=counts["total"])


def list_agencies(*, region_code: str | None = None, kind: str | None = None) -> QuerySet[Agency]:
    agencies = Agency.objects.filter(is_active=True).select_related("kind", "region")
    if region_code:
        agencies = agencies.filter(
            Q(region_id=region_code) | Q(service_area=region_code)
        ).distinct()
    if kind:
        agencies = agencies.filter(kind__slug=kind)
    return agencies.order_by("region_id", "name")


def list_life_events() -> QuerySet[LifeEvent]:
    return LifeEvent.objects.all()


def list_priority_tags() -> QuerySet[PriorityTag]:
    return PriorityTag.objects.all()


def get_import_for_user(*, user: Any, import_id: int) -> "CatalogImport":
    """An import the user may see: their regions' imports, or every import for national admins.
    Answers "not found" rather than "forbidden" so ids of others reveal nothing."""
    from mpp.catalog.models import CatalogImport

    scope = scope_for(user, Perm.MANAGE_OFFERINGS)
    imports = CatalogImport.objects.filter(pk=import_id)
    if not scope.everywhere:
        imports = imports.filter(region_id__in=scope.regions)
    job = imports.first()
    if job is None:
        raise NotFound(_("Impor tidak ditemukan."))
    return job


@dataclass(frozen=True)
class SearchResult:
    template: ServiceTemplate
    offering: Offering | None  # in the visitor's region, when it offers the service


def search_catalog(*, q: str, region_code: str | None, limit: int = 20) -> list[SearchResult]:
    """Ranked national results; those offered in the visitor's region come first."""
    ranked = search.rank_templates(q, limit=limit)
    if not ranked:
        return []
    templates = ServiceTemplate.objects.select_related("agency_kind", "current_version").in_bulk(
        ranked
    )
    offered: dict[int, Offering] = {}
    if region_code:
        offered = {
            o.template_id: o
            for o in _offerings_base().filter(region_id=region_code, template_id__in=ranked)
        }
    results = [SearchResult(templates[pk], offered.get(pk)) for pk in ranked if pk in templates]
    return sorted(results, key=lambda r: r.offering is None)  # stable: relevance kept within


def get_template(*, slug: str) -> ServiceTemplate:
    template = (
        ServiceTemplate.objects.filter(slug=slug, current_version__isnull=False)
        .select_related("agency_kind", "current_version")
        .prefetch_related(
            Prefetch(
                "current_version__requirements",
                queryset=Requirement.objects.select_related("document_type"),
            )
        )
        .first()
    )
    if template is None:
        raise NotFound(_("Layanan nasional tidak ditemukan."))
    return template


def list_regions_offering(*, template: ServiceTemplate) -> QuerySet[Region]:
    return Region.objects.filter(offerings__template=template, offerings__is_active=True).order_by(
        "name"
    )
