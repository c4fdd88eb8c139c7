"""What filing an application for an offering needs from the catalogue, resolved once: the
offering with its region, agency and standard, its channels, the published form with the region's
additions, the process and the agency of each of its steps.

These change when an admin edits the catalogue, a few times a day, while submissions come many
times a second; resolving them took six queries and a third of a submission's time. So each
server process keeps them per offering for `MPP_FILING_CACHE_SECONDS` (default 60; 0 turns the
cache off), and checks a kept entry on every use with one indexed query: an offering closed, or
its template changed (a new standard, a higher identity level), is seen at once by every
process. Saving a form, a region's added fields, a channel, a standard version or a process
marks the offering or template it belongs to as changed (`touch`), so that check sees those too.
A change of an agency alone is seen at once by the process that saved it (signals,
cases/apps.py) and by the others within `MPP_FILING_CACHE_SECONDS`.

A `Filing` and the model instances in it are shared by every request of the process: read them,
never change or save them.
"""

import datetime
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mpp.cases import formdefs
from mpp.cases.models import FormDefinition, OfferingFormExtension
from mpp.catalog.models import Agency, Offering, OfferingChannel, ServiceTemplate, StandardVersion
from mpp.core.errors import NotFound
from mpp.workflow import processes
from mpp.workflow.definition import Duration, Process
from mpp.workflow.models import ProcessDefinition


@dataclass(frozen=True)
class Filing:
    offering: Offering
    channel_kinds: frozenset[str]
    form: FormDefinition | None
    fields: list[dict]
    process_id: int
    process: Process
    agencies: dict[str, Agency]  # step key -> agency
    total_sla: Duration | None
    stamp: tuple[datetime.datetime, datetime.datetime]  # offering and template updated_at


_cache: dict[int, tuple[float, Filing]] = {}
_lock = threading.Lock()
_generation = 0  # bumped by every clearing: a resolve that overlapped one is not kept


def filing_for(offering_id: int) -> Filing:
    """The filing context of an active offering; NotFound when there is none, Conflict when it
    cannot be filed (no process, a step without an agency in the region)."""
    now = time.monotonic()
    cached = _cache.get(offering_id)
    if cached is not None and cached[0] > now and _still_current(offering_id, cached[1]):
        return cached[1]
    generation = _generation
    filing = _resolve(offering_id)  # errors are not cached: the next request asks again
    seconds = settings.MPP_FILING_CACHE_SECONDS
    with _lock:
        if seconds > 0 and generation == _generation:
            if len(_cache) > 5000:  # every offering of every region fits; never grow unbounded
                _cache.clear()
            _cache[offering_id] = (now + seconds, filing)
    return filing


def forget(**kwargs: object) -> None:
    """Drop every kept context now and again when the saving transaction commits (connected to
    the catalogue's save and delete signals): a request that read the old rows meanwhile does
    not keep them."""
    clear()
    transaction.on_commit(clear)


def touch(sender: type, instance: object, raw: bool = False, **kwargs: object) -> None:
    """Bump the `updated_at` of the offering or template a saved or deleted part of a filing
    context belongs to (connected to their save and delete signals), so that every process's
    kept context fails its freshness check. `update()` fires no signal: no recursion."""
    if raw:  # loaddata: the rows are restored as they were
        return
    now = timezone.now()
    if isinstance(instance, OfferingFormExtension | OfferingChannel):
        Offering.objects.filter(pk=instance.offering_id).update(updated_at=now)
    elif isinstance(instance, FormDefinition | StandardVersion):
        ServiceTemplate.objects.filter(pk=instance.template_id).update(updated_at=now)
    elif isinstance(instance, ProcessDefinition):
        templates = ServiceTemplate.objects.all()  # the national default serves every template
        if instance.template_id is not None:
            templates = templates.filter(pk=instance.template_id)
        templates.update(updated_at=now)


def clear() -> None:
    """Drop every kept context (and any resolve under way)."""
    global _generation
    with _lock:
        _generation += 1
        _cache.clear()


def _still_current(offering_id: int, filing: Filing) -> bool:
    row = (
        Offering.objects.filter(pk=offering_id, is_active=True)
        .order_by()
        .values_list("updated_at", "template__updated_at")[:1]
    )
    return next(iter(row), None) == filing.stamp


def _resolve(offering_id: int) -> Filing:
    offering = (
        Offering.objects.select_related("template__current_version", "agency", "region")
        .prefetch_related("channels")
        .filter(pk=offering_id, is_active=True)
        .first()
    )
    if offering is None:
        raise NotFound(_("Layanan tidak ditemukan di wilayah ini."))
    form, fields = form_for(offering)
    process_row = processes.process_for(offering)
    process = processes.parsed_process(process_row.pk, process_row.definition)
    total = (
        Duration(offering.duration_value, offering.duration_unit)
        if offering.duration_value and offering.duration_unit
        else None
    )
    return Filing(
        offering=offering,
        channel_kinds=frozenset(channel.kind for channel in offering.channels.all()),
        form=form,
        fields=fields,
        process_id=process_row.pk,
        process=process,
        agencies=processes.resolve_agencies(offering, process),
        total_sla=total,
        stamp=(offering.updated_at, offering.template.updated_at),
    )


def form_for(offering: Offering) -> tuple[FormDefinition | None, list[dict]]:
    """The published form of the offering's template with the region's added fields."""
    form = (
        FormDefinition.objects.filter(
            template_id=offering.template_id, status=FormDefinition.Status.PUBLISHED
        )
        .order_by("-number")
        .first()
    )
    if form is None:
        return None, []
    extension = getattr(offering, "form_extension", None)
    return form, formdefs.effective_fields(form.definition, extension.fields if extension else None)
