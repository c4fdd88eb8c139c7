"""A life-event bundle's form keeps a draft as the apply page does: it saves itself as the
citizen types, resumes on another device, is listed in My applications, and filing removes it."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.utils import timezone

from mpp.cases import services
from mpp.cases.housekeeping import forget_drafts
from mpp.cases.models import Bundle, Draft
from mpp.catalog.models import Offering
from tests.support.bundles import DATA
from tests.support.concurrency import at_once

pytestmark = pytest.mark.django_db

URL = "/wilayah/35.10/paket/kelahiran/ajukan/"
AUTOSAVE = {"X-MPP-Autosave": "1"}


@pytest.fixture
def citizen_client(client, applicant):
    client.force_login(applicant)
    return client


def test_the_bundle_page_saves_itself_and_resumes_on_another_device(
    citizen_client, applicant, kelahiran
):
    page = citizen_client.get(URL).content.decode()
    assert "data-autosave" in page and "draft.js" in page and 'value="draft"' in page
    saved = citizen_client.post(
        URL, {"action": "draft", "idempotency_key": "p1", "anak_nama": "Bu"}, headers=AUTOSAVE
    )
    assert saved.status_code == 204 and saved.content == b""
    draft = Draft.objects.get()
    assert (draft.bundle, draft.region_id, draft.offering_id) == (kelahiran, "35.10", None)
    assert draft.data["anak_nama"] == "Bu"
    other = Client()
    other.force_login(applicant)
    assert 'value="Bu"' in other.get(URL).content.decode()
    mine = other.get("/permohonan/").content.decode()
    assert "Belum diajukan (draf)" in mine and f'href="{URL}"' in mine and "Paket kelahiran" in mine


def test_the_save_button_keeps_a_draft_without_javascript(citizen_client, kelahiran):
    response = citizen_client.post(
        URL, {"action": "draft", "idempotency_key": "p1", "anak_nama": "Budi"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Draf tersimpan" in page and 'value="Budi"' in page
    assert Draft.objects.get().data["anak_nama"] == "Budi" and not Bundle.objects.exists()


def test_filing_the_bundle_removes_its_draft_and_a_late_save_stays_dead(
    citizen_client, applicant, kelahiran
):
    citizen_client.post(
        URL, {"action": "draft", "idempotency_key": "p1", "anak_nama": "Bu"}, headers=AUTOSAVE
    )
    # A draft begun for one of the bundle's services alone is filed by the bundle too.
    kia = Offering.objects.get(template__slug="kia")
    services.save_draft(user=applicant, offering_id=kia.pk, data={"anak_nama": "Ani"})
    filed = citizen_client.post(URL, {"action": "submit", "idempotency_key": "p1", **DATA})
    assert filed.status_code == 302 and Bundle.objects.count() == 1
    assert not Draft.objects.exists()
    late = citizen_client.post(
        URL, {"action": "draft", "idempotency_key": "p1", "anak_nama": "Budi"}, headers=AUTOSAVE
    )
    assert late.status_code == 204 and Draft.objects.count() == 1
    assert 'value="Budi"' not in citizen_client.get(URL).content.decode()
    assert "Paket kelahiran" not in citizen_client.get("/permohonan/").content.decode()
    assert forget_drafts() == 1 and not Draft.objects.exists()


def test_bad_bundle_drafts_are_refused_and_change_nothing(client, citizen_client, kelahiran):
    citizen_client.post(URL, {"action": "draft", "anak_nama": "Bu"}, headers=AUTOSAVE)
    oversize = citizen_client.post(
        URL, {"action": "draft", "anak_nama": "B" * 250_000}, headers=AUTOSAVE
    )
    assert oversize.status_code == 400 and "Draf terlalu besar" in oversize.content.decode()
    unknown = citizen_client.post(
        "/wilayah/35.10/paket/tidak-ada/ajukan/", {"action": "draft"}, headers=AUTOSAVE
    )
    assert unknown.status_code == 404
    elsewhere = citizen_client.post(
        "/wilayah/33.14/paket/kelahiran/ajukan/", {"action": "draft", "anak_nama": "X"},
        headers=AUTOSAVE,
    )  # fmt: skip
    assert elsewhere.status_code == 409  # the region does not offer every service online
    anonymous = Client().post(URL, {"action": "draft", "anak_nama": "Y"}, headers=AUTOSAVE)
    assert anonymous.status_code == 302 and "/masuk" in anonymous["Location"]
    assert list(Draft.objects.values_list("data", flat=True)) == [{"anak_nama": "Bu"}]


def test_the_drafts_api_keeps_to_single_services(citizen_client, applicant, kelahiran):
    services.save_bundle_draft(
        user=applicant, region_code="35.10", bundle_slug="kelahiran", data={"anak_nama": "Bu"}
    )
    assert citizen_client.get("/api/v1/drafts").json() == []


def test_a_draft_belongs_to_one_form(applicant, kelahiran):
    citizen = applicant.citizen
    kia = Offering.objects.get(template__slug="kia")
    both = Draft(applicant=citizen, offering=kia, bundle=kelahiran, region_id="35.10")
    neither = Draft(applicant=citizen)
    for draft in (both, neither):
        with pytest.raises(IntegrityError), transaction.atomic():
            draft.save()


def test_stale_bundle_drafts_are_removed(applicant, kelahiran, settings):
    settings.MPP_DRAFT_DAYS = 30
    services.save_bundle_draft(
        user=applicant, region_code="35.10", bundle_slug="kelahiran", data={"anak_nama": "Bu"}
    )
    assert forget_drafts(now=timezone.now() + datetime.timedelta(days=29)) == 0
    assert forget_drafts(now=timezone.now() + datetime.timedelta(days=31)) == 1


@pytest.mark.django_db(transaction=True)
def test_two_devices_saving_a_bundle_draft_at_once_keep_one(official_regions, request):
    """PostgreSQL only: real locking."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, there is no race to test")
    applicant = request.getfixturevalue("applicant")
    request.getfixturevalue("kelahiran")
    saved = at_once(
        4,
        lambda n: services.save_bundle_draft(
            user=applicant, region_code="35.10", bundle_slug="kelahiran", data={"n": n}
        ),
    )
    assert [type(draft) for draft in saved] == [Draft] * 4
    assert Draft.objects.count() == 1 and Draft.objects.get().data["n"] in range(4)
