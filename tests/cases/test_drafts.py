"""Drafts save themselves as the citizen types (the apply page) and through the API, and resume
on another device; filing removes them."""

import datetime
import json

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mpp.cases import services
from mpp.cases.housekeeping import forget_drafts
from mpp.cases.models import Document, Draft, FormDefinition
from tests.support.concurrency import at_once

pytestmark = pytest.mark.django_db

APPLY = "/wilayah/35.10/layanan/akta-kelahiran/ajukan/"
AUTOSAVE = {"X-MPP-Autosave": "1"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def citizen_client(client, applicant):
    client.force_login(applicant)
    return client


def put(client, offering_id, body, **headers):
    return client.put(
        f"/api/v1/drafts/{offering_id}", json.dumps(body), content_type="application/json",
        headers=headers,
    )  # fmt: skip


@pytest.fixture
def with_file(akta_form):
    kk = {"key": "dok_kk", "type": "file", "label": {"id": "Kartu Keluarga"}}
    FormDefinition.objects.filter(pk=akta_form.pk).update(
        definition={"fields": [*akta_form.definition["fields"], kk]}
    )
    return akta_form


def test_the_page_saves_itself_without_a_page_back_or_the_files(
    citizen_client, applicant, akta_ready, with_file
):
    upload = SimpleUploadedFile("kk.pdf", PDF, content_type="application/pdf")
    response = citizen_client.post(
        APPLY, {"action": "draft", "child_name": "Bu", "remarks": "", "dok_kk": upload},
        headers=AUTOSAVE,
    )  # fmt: skip
    assert response.status_code == 204 and response.content == b""
    assert Draft.objects.get().data == {"child_name": "Bu", "remarks": ""}
    assert not Document.objects.exists()
    assert not list(get_messages(response.wsgi_request))
    # Another device (a new session) opens the form where the first left it.
    other = Client()
    other.force_login(applicant)
    page = other.get(APPLY).content.decode()
    assert 'value="Bu"' in page and "data-autosave" in page and "draft.js" in page


def test_a_save_landing_after_its_page_was_filed_stays_dead(citizen_client, applicant, akta_ready):
    """A background save sent just before the click lands after filing removed the draft (on
    SQLite it waits for the filing's write lock, on PostgreSQL it does not see the key yet): the
    draft it writes carries the filed page's key, so it is never shown, and the hourly
    housekeeping removes it."""
    citizen_client.post(
        APPLY, {"action": "draft", "idempotency_key": "page-1", "child_name": "Bu"},
        headers=AUTOSAVE,
    )  # fmt: skip
    filed = citizen_client.post(
        APPLY, {"action": "submit", "idempotency_key": "page-1", "child_name": "Budi"}
    )
    assert filed.status_code == 302 and not Draft.objects.exists()
    late = citizen_client.post(
        APPLY, {"action": "draft", "idempotency_key": "page-1", "child_name": "Budi"},
        headers=AUTOSAVE,
    )  # fmt: skip
    assert late.status_code == 204 and Draft.objects.get().page_key == "page-1"
    assert 'value="Budi"' not in citizen_client.get(APPLY).content.decode()
    assert "Belum diajukan (draf)" not in citizen_client.get("/permohonan/").content.decode()
    assert citizen_client.get("/api/v1/drafts").json() == []
    assert citizen_client.get(f"/api/v1/drafts/{akta_ready.pk}").status_code == 404
    assert citizen_client.delete(f"/api/v1/drafts/{akta_ready.pk}").status_code == 404
    # A draft of a new page (another key) for the same service lives.
    citizen_client.post(
        APPLY, {"action": "draft", "idempotency_key": "page-2", "child_name": "Ani"},
        headers=AUTOSAVE,
    )  # fmt: skip
    assert 'value="Ani"' in citizen_client.get(APPLY).content.decode()


def test_housekeeping_removes_dead_and_stale_drafts(applicant, akta_ready, stranger, settings):
    settings.MPP_DRAFT_DAYS = 30
    services.submit_application(
        user=applicant, offering_id=akta_ready.pk, data={"child_name": "Budi"},
        idempotency_key="page-1",
    )  # fmt: skip
    services.save_draft(user=applicant, offering_id=akta_ready.pk, data={}, page_key="page-1")
    services.save_draft(user=stranger, offering_id=akta_ready.pk, data={"child_name": "Ani"})
    assert forget_drafts() == 1
    assert list(Draft.objects.values_list("data", flat=True)) == [{"child_name": "Ani"}]
    assert forget_drafts(now=timezone.now() + datetime.timedelta(days=29)) == 0
    assert forget_drafts(now=timezone.now() + datetime.timedelta(days=31)) == 1
    assert not Draft.objects.exists()


def test_an_autosave_without_a_session_saves_nothing(client, akta_ready):
    response = client.post(APPLY, {"action": "draft", "child_name": "Bu"}, headers=AUTOSAVE)
    assert response.status_code == 302 and "/masuk" in response["Location"]
    assert not Draft.objects.exists()


def test_an_oversize_autosave_is_refused_and_changes_nothing(citizen_client, akta_ready):
    citizen_client.post(APPLY, {"action": "draft", "child_name": "Bu"}, headers=AUTOSAVE)
    response = citizen_client.post(
        APPLY, {"action": "draft", "child_name": "B" * 250_000}, headers=AUTOSAVE
    )
    assert response.status_code == 400 and "Draf terlalu besar" in response.content.decode()
    assert Draft.objects.get().data["child_name"] == "Bu"


def test_the_api_saves_reads_lists_and_discards(citizen_client, akta_ready):
    saved = put(citizen_client, akta_ready.pk, {"data": {"child_name": "Bud"}})
    assert saved.status_code == 200, saved.content
    assert saved.json()["data"] == {"child_name": "Bud"}
    assert saved.json()["service"] == akta_ready.template.name
    again = put(citizen_client, akta_ready.pk, {"data": {"child_name": "Budi"}})
    read = citizen_client.get(f"/api/v1/drafts/{akta_ready.pk}").json()
    assert read == again.json() and read["data"] == {"child_name": "Budi"}
    assert [d["offering_id"] for d in citizen_client.get("/api/v1/drafts").json()] == [
        akta_ready.pk
    ]
    assert citizen_client.delete(f"/api/v1/drafts/{akta_ready.pk}").status_code == 204
    assert citizen_client.get(f"/api/v1/drafts/{akta_ready.pk}").status_code == 404
    assert citizen_client.delete(f"/api/v1/drafts/{akta_ready.pk}").status_code == 404
    assert not Draft.objects.exists()


def test_the_api_refuses_bad_drafts_and_changes_nothing(citizen_client, akta_ready):
    put(citizen_client, akta_ready.pk, {"data": {"child_name": "Bu"}})
    not_an_object = put(citizen_client, akta_ready.pk, {"data": ["Bu"]})
    too_large = put(citizen_client, akta_ready.pk, {"data": {"child_name": "B" * 250_000}})
    unknown = put(citizen_client, 999_999, {"data": {"child_name": "Bu"}})
    assert (not_an_object.status_code, too_large.status_code, unknown.status_code) == (
        422, 400, 404,
    )  # fmt: skip
    assert too_large["Content-Type"] == "application/problem+json"
    assert [d.data for d in Draft.objects.all()] == [{"child_name": "Bu"}]


def test_a_draft_is_the_citizens_own(citizen_client, akta_ready, stranger):
    put(citizen_client, akta_ready.pk, {"data": {"child_name": "Bu"}})
    other = Client()
    other.force_login(stranger)
    assert other.get(f"/api/v1/drafts/{akta_ready.pk}").status_code == 404
    assert other.get("/api/v1/drafts").json() == []
    assert other.delete(f"/api/v1/drafts/{akta_ready.pk}").status_code == 404
    assert Draft.objects.count() == 1


def test_my_applications_lists_drafts_until_filed(citizen_client, applicant, akta_ready):
    citizen_client.post(APPLY, {"action": "draft", "child_name": "Bu"}, headers=AUTOSAVE)
    page = citizen_client.get("/permohonan/").content.decode()
    assert "Belum diajukan (draf)" in page and APPLY in page
    services.submit_application(
        user=applicant, offering_id=akta_ready.pk, data={"child_name": "Budi"},
        idempotency_key="k",
    )  # fmt: skip
    assert "Belum diajukan (draf)" not in citizen_client.get("/permohonan/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_devices_saving_at_once_keep_one_draft(official_regions, request):
    """The phone and the laptop autosave the same form at the same moment: both saves succeed
    and one draft remains, holding one of them whole (PostgreSQL only: real locking)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, there is no race to test")
    applicant = request.getfixturevalue("applicant")
    offering = request.getfixturevalue("akta_ready")
    saved = at_once(
        4, lambda n: services.save_draft(user=applicant, offering_id=offering.pk, data={"n": n})
    )
    assert [type(draft) for draft in saved] == [Draft] * 4
    assert Draft.objects.count() == 1 and Draft.objects.get().data["n"] in range(4)


def test_my_drafts_read_in_a_constant_number_of_queries(
    citizen_client, applicant, akta_ready, make_template
):
    """One draft or three: the API list and the My applications page read them in one query."""
    from mpp.catalog import services as catalog
    from mpp.catalog.services import ChannelSpec

    put(citizen_client, akta_ready.pk, {"data": {"child_name": "Bu"}})

    def count(url):
        citizen_client.get(url)  # warm: session, caches
        with CaptureQueriesContext(connection) as captured:
            citizen_client.get(url)
        return len(captured.captured_queries)

    one = {url: count(url) for url in ("/api/v1/drafts", "/permohonan/")}
    for slug in ("kia", "kk-perubahan-data"):
        make_template(slug=slug, name=f"Layanan {slug}")
        offering = catalog.save_offering(
            actor=None, region_code="35.10", template_slug=slug, channels=[ChannelSpec("online")]
        )
        put(citizen_client, offering.pk, {"data": {"x": slug}})
    assert len(citizen_client.get("/api/v1/drafts").json()) == 3
    assert {url: count(url) for url in one} == one
