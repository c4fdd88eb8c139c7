"""Assisted service at the MPP counter: the reads and checks the counter pages and API share.

A counter officer serves a citizen they looked up by NIK (or registered) at their desk: the
look-up is written to the citizen's "who used my data" log, and that entry is also what lets the
officer open the citizen's pages for the next hours, so a citizen id typed into an address gives
nothing. Submission itself is `cases.services.submit_application(on_behalf_of=...)`.

Prefill: the vault fills the form only when the citizen has already agreed, from their own
account, that this agency may use those fields for this service; the officer's read is logged.
An officer cannot record a consent for the citizen, because a click at the desk proves nothing
about what the citizen agreed to. Otherwise the officer types from the KTP-el and papers.
"""

import datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mpp.accounts.models import Citizen, DataAccess
from mpp.accounts.nik import check_nik
from mpp.accounts.privacy import look_up_citizen_for_service, record_access
from mpp.accounts.walk_in import counter_regions, require_counter_officer, serving_region
from mpp.cases import formdefs, prefill
from mpp.cases.models import Application
from mpp.catalog.models import DIGITAL_CHANNELS, Channel, Offering
from mpp.core.calendar import timezone_for
from mpp.core.errors import NotFound
from mpp.core.identifiers import normalise_tracking
from mpp.regions.models import Region

SERVING_WINDOW = datetime.timedelta(hours=12)
NIK_READS = {"nik", "nik (masked)"}  # the fields a look-up by NIK or a registration records
FILED_HERE = sorted((set(DIGITAL_CHANNELS) - {Channel.LINK_OUT}) | {Channel.COUNTER})


def lookup_purpose() -> str:
    return _("Layanan dibantu di loket MPP")


def find_citizen(*, officer: Any, nik: str, region_code: str = "") -> Citizen:
    """The citizen with this NIK (400 malformed, 404 nobody); the read is logged against the
    region of the counter served (`walk_in.serving_region`)."""
    region = serving_region(officer, region_code)
    facts = check_nik(nik)
    return look_up_citizen_for_service(
        officer=officer, nik=facts.nik, purpose=lookup_purpose(), region_code=region
    )


def counters_of(*, officer: Any) -> list[Region]:
    """The regions where the officer works a counter, by name: the page's choice of counter."""
    return list(Region.objects.filter(code__in=counter_regions(officer)).order_by("name", "code"))


def serving(*, officer: Any, citizen_id: int) -> Citizen:
    """A citizen this officer looked up or registered recently; 404 for anyone else."""
    regions = require_counter_officer(officer)
    since = timezone.now() - SERVING_WINDOW
    # Only a NIK look-up or a walk-in registration at this officer's counters opens the file:
    # other logged reads (an application page, a receipt) do not.
    reads = DataAccess.objects.filter(
        citizen_id=citizen_id, accessor_id=officer.pk, at__gte=since
    ).values_list("fields", "region_id")
    seen = any(NIK_READS & set(fields or []) and region in regions for fields, region in reads)
    citizen = Citizen.objects.select_related("user").filter(pk=citizen_id).first()
    if not seen or citizen is None:
        raise NotFound(_("Warga tidak ditemukan. Cari lagi dengan NIK."))
    return citizen


def offerings_for(*, officer: Any, query: str = "") -> list[Offering]:
    """Active offerings of the officer's counter regions that can be filed here."""
    regions = require_counter_officer(officer)
    rows = (
        Offering.objects.filter(
            region_id__in=regions, is_active=True, channels__kind__in=FILED_HERE
        )
        .select_related("template", "agency", "region")
        .distinct()
    )
    if query.strip():
        rows = rows.filter(
            Q(template__name__icontains=query.strip()) | Q(agency__name__icontains=query.strip())
        )
    return list(rows.order_by("template__name", "pk")[:200])


def offering_for(*, officer: Any, offering_id: int) -> Offering:
    """One offering of the officer's counter regions; another region's is a 404 (no hint)."""
    regions = require_counter_officer(officer)
    offering = (
        Offering.objects.select_related("template", "agency", "region")
        .filter(pk=offering_id, region_id__in=regions, is_active=True)
        .first()
    )
    if offering is None:
        raise NotFound(_("Layanan tidak ditemukan di wilayah ini."))
    return offering


def prefill_for(
    *, officer: Any, citizen: Citizen, offering: Offering, fields: list[dict]
) -> dict[str, Any]:
    """Vault values for the form, only under the citizen's own active consent; logged."""
    if not formdefs.prefill_keys(fields) or prefill.consent_needed(citizen, offering, fields):
        return {}
    values = prefill.prefilled(citizen, offering, fields)
    if values:
        record_access(
            citizen=citizen, accessor=officer,
            purpose=_("Mengisi formulir %(service)s di loket MPP (dengan persetujuan warga)")
            % {"service": offering.template.name},
            fields=sorted(formdefs.prefill_keys(fields)), region_code=offering.region_id,
        )  # fmt: skip
    return values


def assisted_application(*, officer: Any, tracking: str) -> Application:
    """An application this officer filed for a citizen (404 otherwise)."""
    application = (
        Application.objects.select_related(
            "offering__template", "offering__agency", "region", "applicant", "submitted_by"
        )
        .filter(
            tracking=normalise_tracking(tracking),
            submitted_by_id=officer.pk,
            channel=Application.Channel.COUNTER,
        )
        .first()
    )
    if application is None:
        raise NotFound(_("Permohonan tidak ditemukan."))
    return application


def assisted_today(*, officer: Any) -> list[Application]:
    """What this officer filed for citizens since midnight at their counter (WIB/WITA/WIT)."""
    regions = require_counter_officer(officer)
    zone = timezone_for(sorted(regions)[0])
    today = timezone.localdate(timezone=zone)
    start = datetime.datetime.combine(today, datetime.time.min, tzinfo=zone)
    return list(
        Application.objects.filter(
            submitted_by_id=officer.pk,
            channel=Application.Channel.COUNTER,
            submitted_at__gte=start,
        )
        .select_related("offering__template", "applicant")
        .order_by("-submitted_at", "-pk")[:200]
    )


def masked_name(name: str) -> str:
    """Each word to its first two letters ("Siti Aminah" -> "Si** Am****"): enough to
    confirm with the person at the desk, not enough to harvest names."""
    return " ".join(word[:2] + "*" * max(len(word) - 2, 0) for word in name.split())
