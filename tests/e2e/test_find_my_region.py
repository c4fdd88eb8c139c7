"""Journey: a citizen on a 360 px phone finds their kabupaten/kota and opens its MPP page."""

import pytest
from playwright.sync_api import expect

from mpp.regions import services
from tests.support.browser import assert_accessible, assert_fits_width, save_screenshot

pytestmark = [pytest.mark.browser]


@pytest.fixture
def banyuwangi_building():
    return services.save_mpp_site(
        actor=None,
        region_code="35.10",
        kind="physical",
        name="Mal Pelayanan Publik Banyuwangi",
        address="Jl. contoh no. 1 (demo)",
        opening_hours={"mon": [["08:00", "15:00"]], "fri": [["08:00", "11:00"]]},
        is_demo=True,
    )


def test_citizen_finds_region_by_name_and_reads_its_page(site_url, phone_page, banyuwangi_building):
    page = phone_page
    page.goto(site_url + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Layanan publik daerah Anda")
    assert_accessible(page)
    assert_fits_width(page)
    save_screenshot(page, "home-360")

    page.get_by_label("Nama kabupaten/kota").fill("banyuwangi")
    page.get_by_role("button", name="Cari", exact=True).click()
    expect(page.get_by_role("heading", name="1 wilayah cocok")).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, "home-search-360")

    page.get_by_role("link", name="Kabupaten Banyuwangi").click()
    expect(page).to_have_url(site_url + "/wilayah/35.10/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kabupaten Banyuwangi")
    expect(page.get_by_text("Mal Pelayanan Publik Banyuwangi")).to_be_visible()
    expect(page.get_by_role("row", name="Jumat 08:00–11:00")).to_be_visible()
    expect(page.get_by_text("Data demo")).to_be_visible()
    assert_accessible(page)
    assert_fits_width(page)
    save_screenshot(page, "region-35.10-360")


def test_province_page_lists_its_kabkota(site_url, phone_page):
    page = phone_page
    page.goto(site_url + "/wilayah/13/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sumatera Barat")
    expect(page.get_by_role("link", name="Kota Bukittinggi")).to_be_visible()
    assert_accessible(page)
    assert_fits_width(page)


def test_language_switch_shows_english_and_back(site_url, phone_page):
    page = phone_page
    page.goto(site_url + "/wilayah/35.10/")
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(site_url + "/wilayah/35.10/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="MPP status")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Bahasa Indonesia").click()
    expect(page.get_by_role("heading", name="Status MPP")).to_be_visible()
