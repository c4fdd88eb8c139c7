"""The public look-up reads only what it shows: two indexed queries, no personal data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mpp.cases import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def tracking(applicant, akta_ready):
    return services.submit_application(
        user=applicant, offering_id=akta_ready.pk, data={"child_name": "Budi"}, idempotency_key="i"
    ).application.tracking


def test_an_application_is_found_with_two_queries(client, tracking):
    client.get(f"/api/v1/status?tracking={tracking}&nik4=0001")  # parses the process once
    with CaptureQueriesContext(connection) as queries:
        found = client.get(f"/api/v1/status?tracking={tracking}&nik4=0001")
    assert found.status_code == 200
    assert len(queries.captured_queries) == 2  # the application, its steps
    body = found.json()
    assert body["service"] == "Penerbitan Akta Kelahiran" and body["region"]
    assert [step["status"] for step in body["steps"]] == ["open", "waiting"]
    assert body["steps"][0]["label"] and body["steps"][0]["agency"]


def test_a_miss_also_asks_for_a_bundle_and_says_404(client, tracking):
    with CaptureQueriesContext(connection) as queries:
        missing = client.get(f"/api/v1/status?tracking={tracking}&nik4=0002")
    assert missing.status_code == 404
    assert len(queries.captured_queries) == 2  # the application, then a bundle


def test_the_page_shows_the_same_status_in_english(client, tracking):
    page = client.post(
        "/lacak/", {"nomor": tracking, "nik4": "0001"}, headers={"Accept-Language": "en"}
    ).content.decode()
    assert "Penerbitan Akta Kelahiran" in page and "Submitted" in page
    assert "Budi" not in page and "Siti" not in page


def test_the_posted_look_up_answers_as_the_get_and_refuses_the_same(client, tracking):
    """POST keeps the NIK digits in the body, out of access logs."""
    got = client.get(f"/api/v1/status?tracking={tracking}&nik4=0001").json()
    posted = client.post(
        "/api/v1/status", {"tracking": tracking, "nik4": "0001"}, content_type="application/json"
    )
    assert posted.status_code == 200 and posted.json() == got
    wrong = client.post(
        "/api/v1/status", {"tracking": tracking, "nik4": "0002"}, content_type="application/json"
    )
    malformed = client.post(
        "/api/v1/status", {"tracking": tracking, "nik4": "12"}, content_type="application/json"
    )
    assert (wrong.status_code, malformed.status_code) == (404, 422)


def test_a_flood_of_public_reads_does_not_reset_the_look_up_limit(client, settings):
    """The rate-limit counters and the cached public answers live in separate caches: a visitor
    cannot evict their own counter by asking for many different searches between guesses."""
    settings.MPP_STATUS_LOOKUPS_PER_10_MINUTES = 2
    reads = settings.CACHES["reads"]
    settings.CACHES = {**settings.CACHES, "reads": {**reads, "OPTIONS": {"MAX_ENTRIES": 5}}}

    def look_up():
        return client.post("/api/v1/status", {"tracking": "3510-261123-00001-0", "nik4": "0000"},
                           content_type="application/json").status_code  # fmt: skip

    assert [look_up(), look_up(), look_up()] == [404, 404, 429]
    for n in range(20):
        assert client.get(f"/layanan/?q=cari{n}").status_code == 200
    assert look_up() == 429
