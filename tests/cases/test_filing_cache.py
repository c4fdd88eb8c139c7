"""What a submission reads from the catalogue is resolved once per offering and kept for a
while (cases/filing.py); the tracking number is taken outside the submission's transaction."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mpp.cases import filing, services
from mpp.cases.formdefs import FormInvalid
from mpp.cases.models import (
    Application,
    FormDefinition,
    OfferingFormExtension,
    TrackingSequence,
)
from mpp.catalog.models import Offering, ServiceTemplate
from mpp.core.errors import NotFound
from mpp.core.identifiers import tracking_number
from mpp.workflow import engine
from mpp.workflow.services import save_process
from tests.support.cases import demo_process

pytestmark = pytest.mark.django_db
RESOLVED_FROM = (
    "catalog_offeringchannel",
    "catalog_agency",
    "catalog_standardversion",
    "cases_formdefinition",
    "cases_offeringformextension",
    "workflow_processdefinition",
)


def submit(user, offering, key, **data):
    return services.submit_application(
        user=user,
        offering_id=offering.pk,
        data={"child_name": "Budi", **data},
        idempotency_key=key,
    )


def test_the_second_submission_only_checks_that_the_offering_is_unchanged(applicant, akta_ready):
    submit(applicant, akta_ready, "k1")
    with CaptureQueriesContext(connection) as queries:
        second = submit(applicant, akta_ready, "k2")
    reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    catalogue = [
        sql for sql in reads if "catalog_offering" in sql or "catalog_servicetemplate" in sql
    ]
    assert len(catalogue) == 1 and "updated_at" in catalogue[0]  # the freshness check
    assert not [table for table in RESOLVED_FROM if table in " ".join(reads)]
    assert second.application.process.slug == "standar"
    assert [s.key for s in second.steps] == ["verifikasi", "penerbitan"]


def test_a_change_saved_here_is_seen_at_once(applicant, akta_ready):
    submit(applicant, akta_ready, "k1")
    akta_ready.is_active = False
    akta_ready.save()
    with pytest.raises(NotFound):
        submit(applicant, akta_ready, "k2")
    assert Application.objects.count() == 1


def test_another_process_closing_the_offering_or_raising_its_level_is_seen_at_once(
    applicant, akta_ready
):
    """Writes of another server process fire no signal here (update() stands for them)."""
    submit(applicant, akta_ready, "k1")
    ServiceTemplate.objects.filter(pk=akta_ready.template_id).update(
        min_assurance_level=3, updated_at=timezone.now()
    )
    with pytest.raises(services.Forbidden):
        submit(applicant, akta_ready, "k2")
    Offering.objects.filter(pk=akta_ready.pk).update(is_active=False)
    with pytest.raises(NotFound):
        submit(applicant, akta_ready, "k3")
    assert Application.objects.count() == 1


def test_another_process_changing_the_form_is_seen_when_the_entry_expires(
    applicant, akta_ready, akta_form, monkeypatch, settings
):
    settings.MPP_FILING_CACHE_SECONDS = 60
    clock = [1000.0]
    monkeypatch.setattr(filing.time, "monotonic", lambda: clock[0])
    submit(applicant, akta_ready, "k1")
    required = {"key": "saksi", "type": "text", "label": {"id": "Saksi"}, "required": True}
    definition = {"fields": [*akta_form.definition["fields"], required]}
    FormDefinition.objects.filter(pk=akta_form.pk).update(definition=definition)  # no signal
    assert submit(applicant, akta_ready, "k2").replayed is False  # the kept form
    clock[0] += 61
    with pytest.raises(FormInvalid):
        submit(applicant, akta_ready, "k3")


def test_another_process_publishing_a_form_or_region_fields_is_seen_at_once(
    applicant, akta_ready, akta_form
):
    """A save here clears this process's entries; the entry put back stands for the one another
    process still keeps. The save marked the template (or offering) as changed, so that entry
    fails its freshness check and the new form is used."""
    submit(applicant, akta_ready, "k1")
    kept = dict(filing._cache)
    required = {"key": "saksi", "type": "text", "label": {"id": "Saksi"}, "required": True}
    FormDefinition.objects.create(
        template=akta_form.template, number=2, status=FormDefinition.Status.PUBLISHED,
        definition={"fields": [*akta_form.definition["fields"], required]},
    )  # fmt: skip
    filing._cache.update(kept)
    with pytest.raises(FormInvalid):
        submit(applicant, akta_ready, "k2")

    extra = {"key": "rt", "type": "text", "label": {"id": "RT"}, "required": True}
    submit(applicant, akta_ready, "k3", saksi="Ani")
    kept = dict(filing._cache)
    OfferingFormExtension.objects.create(offering=akta_ready, region_id="35.10", fields=[extra])
    filing._cache.update(kept)
    with pytest.raises(FormInvalid) as refused:
        submit(applicant, akta_ready, "k4", saksi="Ani")
    assert [e["field"] for e in refused.value.errors] == ["rt"]


def test_a_context_read_while_the_catalogue_changed_is_not_kept(akta_ready, monkeypatch):
    """A request resolves the old rows while another thread saves: its result is not kept."""
    resolve = filing._resolve

    def overlapped(offering_id):
        found = resolve(offering_id)
        filing.forget()  # the other thread's save lands meanwhile
        return found

    monkeypatch.setattr(filing, "_resolve", overlapped)
    filing.filing_for(akta_ready.pk)
    assert akta_ready.pk not in filing._cache
    monkeypatch.setattr(filing, "_resolve", resolve)
    filing.filing_for(akta_ready.pk)
    assert akta_ready.pk in filing._cache


def test_zero_seconds_turns_the_cache_off(applicant, akta_ready, settings):
    settings.MPP_FILING_CACHE_SECONDS = 0
    submit(applicant, akta_ready, "k1")
    assert akta_ready.pk not in filing._cache


def test_a_refused_offering_is_not_cached(applicant, akta_offering, akta_form, request):
    """No process yet: refused (409). Once one exists the next submission goes through."""
    with pytest.raises(services.Conflict):
        submit(applicant, akta_offering, "k1")
    request.getfixturevalue("standard_process")
    assert submit(applicant, akta_offering, "k2").application.status == "submitted"


def test_a_process_is_parsed_once_and_a_new_version_replaces_it(
    applicant, akta_ready, standard_process
):
    first = submit(applicant, akta_ready, "k1").application
    assert engine.process_of(first) is engine.process_of(first)  # parsed once, then shared
    definition = demo_process("standar")
    definition["steps"]["verifikasi"]["label"] = {"id": "Verifikasi berkas (v2)"}
    newer = save_process(actor=None, slug="standar", template=None, definition=definition).process
    second = submit(applicant, akta_ready, "k2").application
    assert (first.process_id, second.process_id) == (standard_process.pk, newer.pk)
    assert engine.process_of(second).steps["verifikasi"].label["id"] == "Verifikasi berkas (v2)"
    assert engine.process_of(first).steps["verifikasi"].label["id"] != "Verifikasi berkas (v2)"


def test_a_retry_is_answered_even_after_the_offering_closed(client, applicant, akta_ready):
    """The first answer was lost on the network; meanwhile the region closed the service."""
    client.force_login(applicant)
    body = json.dumps({"offering_id": akta_ready.pk, "data": {"child_name": "Budi"}})
    headers = {"Idempotency-Key": "once"}
    first = client.post("/api/v1/applications", body, "application/json", headers=headers)
    akta_ready.is_active = False
    akta_ready.save()
    retry = client.post("/api/v1/applications", body, "application/json", headers=headers)
    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json()["tracking"] == first.json()["tracking"]
    other = client.post(
        "/api/v1/applications", body, "application/json", headers={"Idempotency-Key": "new"}
    )
    assert other.status_code == 404


def test_a_submission_that_fails_after_numbering_leaves_a_gap_never_a_duplicate(
    applicant, akta_ready, monkeypatch
):
    first = submit(applicant, akta_ready, "k1").application
    day = timezone.localdate(first.submitted_at)

    def broken(**kwargs):
        raise RuntimeError("database went away")

    with monkeypatch.context() as patch:
        patch.setattr(services.IdempotencyRecord.objects, "create", broken)
        with pytest.raises(RuntimeError):
            submit(applicant, akta_ready, "k2")
    third = submit(applicant, akta_ready, "k3").application
    assert Application.objects.count() == 2
    assert third.tracking == tracking_number("35.10", day, 3)
    assert TrackingSequence.objects.get(region_id="35.10", day=day).last == 3
