"""What a submission reads from the catalogue is resolved once per offering and kept for a
while (cases/filing.py); the tracking number is taken outside the submission's transaction."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mpp.cases import filing, services
from mpp.cases.models import Application, TrackingSequence
from mpp.catalog.models import Offering
from mpp.core.errors import NotFound
from mpp.core.identifiers import tracking_number
from mpp.workflow import engine
from mpp.workflow.services import save_process
from tests.support.cases import demo_process

pytestmark = pytest.mark.django_db
CATALOGUE_TABLES = (
    "catalog_offering",
    "catalog_offeringchannel",
    "cases_formdefinition",
    "workflow_processdefinition",
)


def submit(user, offering, key, **data):
    return services.submit_application(
        user=user,
        offering_id=offering.pk,
        data={"child_name": "Budi", **data},
        idempotency_key=key,
    )


def test_the_second_submission_reads_no_catalogue_rows(applicant, akta_ready):
    submit(applicant, akta_ready, "k1")
    with CaptureQueriesContext(connection) as queries:
        second = submit(applicant, akta_ready, "k2")
    read = " ".join(q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT"))
    assert not [table for table in CATALOGUE_TABLES if table in read]
    assert second.application.process.slug == "standar"
    assert [s.key for s in second.steps] == ["verifikasi", "penerbitan"]


def test_a_change_saved_here_is_seen_at_once(applicant, akta_ready):
    submit(applicant, akta_ready, "k1")
    akta_ready.is_active = False
    akta_ready.save()
    with pytest.raises(NotFound):
        submit(applicant, akta_ready, "k2")
    assert Application.objects.count() == 1


def test_a_change_made_elsewhere_is_seen_when_the_entry_expires(
    applicant, akta_ready, monkeypatch, settings
):
    """Another server process's change fires no signal here: this process sees it once its
    entry is older than MPP_FILING_CACHE_SECONDS."""
    settings.MPP_FILING_CACHE_SECONDS = 60
    clock = [1000.0]
    monkeypatch.setattr(filing.time, "monotonic", lambda: clock[0])
    submit(applicant, akta_ready, "k1")
    Offering.objects.filter(pk=akta_ready.pk).update(is_active=False)  # no signal
    assert submit(applicant, akta_ready, "k2").replayed is False  # still cached
    clock[0] += 61
    with pytest.raises(NotFound):
        submit(applicant, akta_ready, "k3")


def test_zero_seconds_turns_the_cache_off(applicant, akta_ready, settings):
    settings.MPP_FILING_CACHE_SECONDS = 0
    submit(applicant, akta_ready, "k1")
    Offering.objects.filter(pk=akta_ready.pk).update(is_active=False)
    with pytest.raises(NotFound):
        submit(applicant, akta_ready, "k2")


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
