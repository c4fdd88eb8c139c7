"""Which process an offering's applications run, its definition parsed once per server
process, and the agency that works each of its steps in the offering's region."""

from typing import Any

from django.db.models import F, Q
from django.utils.translation import gettext as _

from mpp.catalog.models import Agency, Offering
from mpp.core.errors import Conflict
from mpp.workflow.definition import OFFERING_AGENCY, Process, parse
from mpp.workflow.models import ProcessDefinition

# Imported lazily by type only: cases imports the workflow, not the other way round.
Application = Any

# Parsed definitions by id. A saved definition is never edited (a change is a new version with a
# new id, workflow/services.py), so an id names one definition for good; `forget_processes` runs
# on save and delete so that tests, whose rolled-back ids come back, never read a stale one.
_parsed: dict[int, Process] = {}


def parsed_process(process_id: int, definition: dict | None = None) -> Process:
    """The process definition `process_id`, read and parsed once per server process (pass its
    `definition` when it is at hand)."""
    found = _parsed.get(process_id)
    if found is None:
        if definition is None:
            definition = ProcessDefinition.objects.values_list("definition", flat=True).get(
                pk=process_id
            )
        found = parse(definition)
        if len(_parsed) > 1000:  # a few hundred versions at most; never grow without bound
            _parsed.clear()
        _parsed[process_id] = found
    return found


def forget_processes(**kwargs: Any) -> None:
    _parsed.clear()


def process_of(application: "Application") -> Process:
    return parsed_process(application.process_id)


def process_for(offering: Offering) -> ProcessDefinition:
    """The process an offering's applications run: its template's newest active one, else the
    national default (`slug="standar"`)."""
    process = (
        ProcessDefinition.objects.filter(is_active=True)
        .filter(Q(template_id=offering.template_id) | Q(template__isnull=True, slug="standar"))
        .order_by(F("template_id").asc(nulls_last=True), "-number")
        .first()
    )
    if process is None:
        raise Conflict(_("Layanan ini belum memiliki alur kerja; belum dapat diajukan daring."))
    return process


def resolve_agencies(offering: Offering, process: Process) -> dict[str, Agency]:
    """The agency of each step in the offering's region; refuses if one is missing."""
    kinds = {s.agency for s in process.steps.values() if s.agency != OFFERING_AGENCY}
    found: dict[str, Agency] = {}
    if kinds:
        candidates = (
            Agency.objects.filter(kind__slug__in=kinds, is_active=True)
            .filter(Q(region_id=offering.region_id) | Q(service_area=offering.region_id))
            .select_related("kind")
            .order_by("id")
            .distinct()
        )
        for agency in candidates:
            # An agency seated in the region wins over one that only serves it.
            if agency.kind.slug not in found or agency.region_id == offering.region_id:
                found[agency.kind.slug] = agency
    result: dict[str, Agency] = {}
    for step in process.steps.values():
        if step.agency == OFFERING_AGENCY:
            result[step.key] = offering.agency
        elif step.agency in found:
            result[step.key] = found[step.agency]
        else:
            raise Conflict(
                _("Instansi untuk langkah %(step)s belum terdaftar di wilayah ini.")
                % {"step": step.label.get("id", step.key)}
            )
    return result
