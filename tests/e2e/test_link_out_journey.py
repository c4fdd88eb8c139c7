"""Journey: on a 360 px phone a citizen starts a service that runs in the agency's own app, is
sent there with the tracking number, and finds the application in "Permohonan saya"."""

import re

import pytest
from playwright.sync_api import expect

from mpp.cases.models import Application
from mpp.catalog.models import OfferingChannel
from mpp.catalog.services.offerings import ChannelSpec, save_offering
from tests.support.browser import assert_accessible, assert_fits_width, save_screenshot

pytestmark = [pytest.mark.browser]


@pytest.fixture
def link_out_to_this_server(site_url, akta_ready):
    offering = save_offering(
        actor=None, region_code="35.10", template_slug="akta-kelahiran",
        channels=[ChannelSpec("link_out", url="https://siak.example.id/"), ChannelSpec("counter")],
    )  # fmt: skip
    # The "agency app" is a page of this same server, so the redirect is seen without network.
    OfferingChannel.objects.filter(offering=offering, kind="link_out").update(
        url=site_url + "/lacak/"
    )
    return offering


def test_citizen_is_sent_to_the_agency_app_and_tracks_it_here(
    site_url, link_out_to_this_server, applicant, phone_page
):
    page = phone_page
    page.goto(site_url + "/wilayah/35.10/layanan/akta-kelahiran/")
    page.get_by_role("link", name="Ajukan di aplikasi instansi").click()
    page.get_by_label("NIK, e-mail, atau nomor ponsel").fill("siti@example.id")
    page.get_by_label("Kata sandi").fill("x")
    page.get_by_role("button", name="Masuk").click()

    expect(page.get_by_role("button", name="Lanjut ke aplikasi instansi")).to_be_visible()
    assert_accessible(page)
    assert_fits_width(page)
    save_screenshot(page, "link-out-start-360")
    page.get_by_role("button", name="Lanjut ke aplikasi instansi").click()

    page.wait_for_url(re.compile(r"/lacak/\?mpp_tracking=3510-\d{6}-\d{5}-\d$"))
    application = Application.objects.get()
    assert page.url == f"{site_url}/lacak/?mpp_tracking={application.tracking}"
    assert application.channel == Application.Channel.LINK_OUT

    page.goto(site_url + "/permohonan/")
    expect(page.get_by_text(f"Nomor lacak {application.tracking}")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=application.offering.template.name).click()
    expect(page.get_by_text(application.tracking).first).to_be_visible()
    expect(page.get_by_role("heading", name="Dilanjutkan di aplikasi instansi")).to_be_visible()
    expect(page.get_by_role("link", name="Buka aplikasi instansi")).to_have_attribute(
        "href", f"{site_url}/lacak/?mpp_tracking={application.tracking}"
    )
    assert_accessible(page)
    assert_fits_width(page)
    save_screenshot(page, "link-out-application-360")
