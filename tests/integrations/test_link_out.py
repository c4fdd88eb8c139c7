"""Link-out: the platform files the record, sends the citizen to the agency's app with the
tracking number, and the agency's system reports progress through the inbound API."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from mpp.cases.models import Application
from mpp.catalog.models import OfferingChannel
from mpp.catalog.services.offerings import ChannelSpec, save_offering
from mpp.workflow.models import Step
from tests.integrations.test_inbound_api import act, agency_app, token_for

pytestmark = pytest.mark.django_db
APP_URL = "https://siak.example.id/mulai?sumber=mpp"
START = "/wilayah/35.10/layanan/akta-kelahiran/aplikasi-instansi/"


@pytest.fixture
def link_out_offering(akta_ready):
    return save_offering(
        actor=None, region_code="35.10", template_slug="akta-kelahiran",
        channels=[ChannelSpec("link_out", url=APP_URL), ChannelSpec("counter")],
    )  # fmt: skip


@pytest.fixture
def citizen(applicant):
    client = Client()
    client.force_login(applicant)
    return client


def test_the_service_page_sends_the_citizen_to_the_platform_start(link_out_offering):
    page = Client().get("/wilayah/35.10/layanan/akta-kelahiran/").content.decode()
    assert f'href="{START}"' in page
    assert "/ajukan/" not in page  # no online form for this offering


def test_an_anonymous_visitor_is_asked_to_sign_in(link_out_offering):
    for response in (Client().get(START), Client().post(START, {"idempotency_key": "k"})):
        assert response.status_code == 302 and "/akun/masuk/" in response["Location"]
    assert not Application.objects.exists()


def test_a_double_click_files_one_application_and_redirects_with_its_tracking(
    citizen, link_out_offering, applicant
):
    page = citizen.get(START)
    assert page.status_code == 200
    key = page.context["idempotency_key"]
    first = citizen.post(START, {"idempotency_key": key})
    second = citizen.post(START, {"idempotency_key": key})
    application = Application.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    target = urlsplit(first["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == "https://siak.example.id/mulai"
    assert parse_qs(target.query) == {"sumber": ["mpp"], "mpp_tracking": [application.tracking]}

    assert application.channel == Application.Channel.LINK_OUT
    assert application.status == Application.Status.SUBMITTED
    assert application.applicant.user == applicant and application.data == {}
    assert Step.objects.filter(application=application, status=Step.Status.OPEN).exists()

    mine = citizen.get("/permohonan/").content.decode()
    assert application.tracking in mine
    detail = citizen.get(f"/permohonan/{application.tracking}/").content.decode()
    assert "Dilanjutkan di aplikasi instansi" in detail
    assert first["Location"].replace("&", "&amp;") in detail

    citizen.post(START, {"idempotency_key": "another-click-later"})
    assert Application.objects.count() == 2  # a new key is a new application


def test_the_national_address_is_used_when_the_region_gives_none(citizen, link_out_offering):
    OfferingChannel.objects.filter(offering=link_out_offering, kind="link_out").update(url="")
    template = link_out_offering.template
    template.link_out_url = "https://nasional.example.id/akta"
    template.save(update_fields=["link_out_url"])
    response = citizen.post(START, {"idempotency_key": "k1"})
    tracking = Application.objects.get().tracking
    assert response["Location"] == f"https://nasional.example.id/akta?mpp_tracking={tracking}"


def test_an_offering_without_link_out_has_no_start_and_files_nothing(citizen, akta_ready):
    assert citizen.get(START).status_code == 404
    assert citizen.post(START, {"idempotency_key": "k"}).status_code == 404
    assert citizen.post(START, {}).status_code == 404
    assert not Application.objects.exists()


def test_a_missing_key_is_refused(citizen, link_out_offering):
    response = citizen.post(START, {})
    assert response.status_code == 400
    assert not Application.objects.exists()


def test_the_agency_system_reports_progress_on_the_tracking_number(
    citizen, link_out_offering, applicant
):
    citizen.post(START, {"idempotency_key": "k1"})
    application = Application.objects.get()
    siak = Client(HTTP_AUTHORIZATION="Bearer " + token_for(agency_app(link_out_offering.agency)))
    state = siak.get(f"/api/v1/agency/applications/{application.tracking}").json()
    assert state["actions"] == {"verifikasi": ["terima", "minta_perbaikan", "tolak"]}
    assert (
        act(siak, application.tracking, "terima", event_id="l1", step="verifikasi").status_code
        == 200
    )
    done = act(siak, application.tracking, "terbitkan", event_id="l2", step="penerbitan")
    assert done.json()["status"] == "approved"
    detail = citizen.get(f"/permohonan/{application.tracking}/").content.decode()
    assert "Selesai" in detail and "Buka aplikasi instansi" not in detail  # closed: no link
