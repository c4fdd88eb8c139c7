"""Journey: on a 360 px phone, search a region's catalogue, open a service, print its checklist."""

import json

import pytest
from playwright.sync_api import expect

from tests.support.browser import assert_accessible, assert_fits_width, save_screenshot

pytestmark = [pytest.mark.browser]


def test_citizen_finds_what_a_service_needs(site_url, phone_page, akta_offering, make_template):
    page = phone_page
    page.goto(site_url + "/wilayah/35.10/")
    page.get_by_role("link", name="Lihat semua layanan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Layanan di Kabupaten Banyuwangi")
    assert_accessible(page)
    assert_fits_width(page)
    save_screenshot(page, "catalogue-35.10-360")

    page.get_by_label("Cari layanan").fill("akte lahir")
    page.get_by_role("button", name="Cari", exact=True).click()
    page.get_by_role("link", name="Penerbitan Akta Kelahiran").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Penerbitan Akta Kelahiran")
    expect(page.get_by_text("Surat keterangan lahir dari bidan")).to_be_visible()
    jsonld = json.loads(page.locator('script[type="application/ld+json"]').inner_text())
    assert jsonld["@type"] == "GovernmentService"
    assert_accessible(page)
    assert_fits_width(page)
    save_screenshot(page, "service-akta-kelahiran-360")

    page.get_by_role("link", name="Cetak daftar persyaratan").click()
    expect(page.get_by_role("listitem")).to_have_count(2)
    assert_accessible(page)
    save_screenshot(page, "checklist-akta-kelahiran-360")


def test_catalogue_filters_are_usable_on_a_phone(site_url, phone_page, akta_offering):
    page = phone_page
    page.goto(site_url + "/wilayah/35.10/layanan/")
    page.get_by_text("Saring").click()
    page.get_by_label("Cara mengurus").select_option("mobile")
    page.get_by_role("button", name="Terapkan").click()
    expect(page.get_by_role("heading", name="0 layanan")).to_be_visible()
    expect(page.get_by_text("Tidak ada layanan yang cocok")).to_be_visible()
    assert_accessible(page)
    assert_fits_width(page)


def test_citizen_searches_from_home_as_they_would_say_it(site_url, phone_page, akta_offering):
    from mpp.catalog.search import clear_cache

    clear_cache()
    page = phone_page
    page.goto(site_url + "/wilayah/35.10/")  # remembers the region
    page.goto(site_url + "/")
    page.get_by_label("Apa yang ingin Anda urus?").fill("bikin akte lahir")
    page.get_by_role("button", name="Cari layanan").click()
    expect(page.get_by_role("heading", name="1 layanan ditemukan")).to_be_visible()
    expect(page.get_by_text("Diutamakan untuk Kabupaten Banyuwangi.")).to_be_visible()
    assert_accessible(page)
    assert_fits_width(page)
    save_screenshot(page, "search-360")
    page.get_by_role("link", name="Penerbitan Akta Kelahiran").click()
    expect(page).to_have_url(site_url + "/wilayah/35.10/layanan/akta-kelahiran/")
