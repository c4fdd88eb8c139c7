"""The public status look-up (tracking number + last four NIK digits), for the `/lacak/` page
and `GET /api/v1/status`: status, service, region and steps; never a name, NIK or form data.

Anyone may ask, often, so it reads only the columns it shows: one indexed query for the
application (the `tracking` index; `lookup_hash` is checked on that one row) and one for its
steps, with step names from the process definition parsed once per process."""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from mpp.cases.models import Application
from mpp.cases.queries import label
from mpp.core.errors import NotFound
from mpp.core.identifiers import normalise_tracking
from mpp.workflow.models import Step
from mpp.workflow.processes import parsed_process


@dataclass(frozen=True)
class PublicStep:
    label: str
    agency: str
    status: str
    status_label: str
    due_at: datetime.datetime | None  # while the step is open


@dataclass(frozen=True)
class PublicStatus:
    tracking: str
    service: str
    region: str
    region_code: str  # for local times on the page (WIB, WITA, WIT)
    status: str
    status_label: str
    is_open: bool
    submitted_at: datetime.datetime
    due_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    steps: list[PublicStep]


def not_found() -> NotFound:
    return NotFound(_("Nomor lacak dan 4 angka terakhir NIK tidak cocok dengan permohonan."))


def application_row(tracking: str, nik_last_four: str) -> QuerySet:
    """The one query that finds the application: its columns, no ORDER BY (the number is
    unique; `.first()` would sort)."""
    from mpp.cases.services import public_lookup_hash

    tracking = normalise_tracking(tracking)
    return (
        Application.objects.filter(
            tracking=tracking, lookup_hash=public_lookup_hash(tracking, nik_last_four)
        )
        .order_by()
        .values(
            "id",
            "tracking",
            "status",
            "submitted_at",
            "due_at",
            "closed_at",
            "process_id",
            "offering__template__name",
            "region__name",
            "region_id",
        )
    )[:1]


def public_status(tracking: str, nik_last_four: str) -> PublicStatus | None:
    """The application with that number and NIK digits, or None (it may be a bundle's number)."""
    row = next(iter(application_row(tracking, nik_last_four)), None)
    if row is None:
        return None
    process = parsed_process(row["process_id"])
    steps = (
        Step.objects.filter(application_id=row["id"])
        .order_by("opened_at", "id")
        .values_list("key", "status", "due_at", "agency__name")
    )
    return PublicStatus(
        tracking=row["tracking"],
        service=row["offering__template__name"],
        region=row["region__name"],
        region_code=row["region_id"],
        status=row["status"],
        status_label=str(Application.Status(row["status"]).label),
        is_open=row["status"] in Application.OPEN_STATUSES,
        submitted_at=row["submitted_at"],
        due_at=row["due_at"],
        closed_at=row["closed_at"],
        steps=[
            PublicStep(
                label=label(process.steps[key].label, key) if key in process.steps else key,
                agency=agency,
                status=status,
                status_label=str(Step.Status(status).label),
                due_at=due_at if status == Step.Status.OPEN else None,
            )
            for key, status, due_at, agency in steps
        ],
    )
