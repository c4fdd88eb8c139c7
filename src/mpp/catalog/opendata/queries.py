"""What the export reads: a fixed number of queries whatever the catalogue's size."""

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from mpp.catalog.models import Offering, OfferingChannel, Requirement, ServiceTemplate
from mpp.core.errors import NotFound
from mpp.regions.models import Region


def _requirements(path: str) -> Prefetch:
    queryset = Requirement.objects.select_related("document_type").order_by("position")
    return Prefetch(path, queryset=queryset)


def list_published_templates() -> QuerySet[ServiceTemplate]:
    """National templates with a standard in force, with everything the export reads."""
    return (
        ServiceTemplate.objects.filter(current_version__isnull=False)
        .select_related("current_version", "agency_kind")
        .prefetch_related(
            "life_events", "priority_tags", _requirements("current_version__requirements")
        )
        .order_by("slug")
    )


def list_published_offerings(*, region: Region) -> QuerySet[Offering]:
    """A region's active offerings of templates with a standard in force."""
    channels = OfferingChannel.objects.select_related("site").order_by("kind")
    return (
        Offering.objects.filter(
            region=region, is_active=True, template__current_version__isnull=False
        )
        .select_related(
            "template__current_version", "template__agency_kind", "agency__kind", "agency__region"
        )
        .prefetch_related(
            Prefetch("channels", queryset=channels),
            _requirements("template__current_version__requirements"),
            "template__life_events",
            "template__priority_tags",
            "agency__service_area",
        )
        .order_by("template__slug")
    )


def get_kabkota(*, code: str) -> Region:
    region = Region.objects.filter(code=code, level=Region.Level.KABKOTA).first()
    if region is None:
        raise NotFound(_("Kabupaten/kota dengan kode %(code)s tidak ditemukan.") % {"code": code})
    return region
