"""Journey: on a 360 px phone a parent files the birth package (akta + KK + KIA) in one form,
the form keeping a draft on the way, sees one bundle number with a status per service, and
looks it up publicly."""

import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import assert_accessible, assert_fits_width, save_screenshot
from tests.support.bundles import DATA, make_birth_bundle

pytestmark = [pytest.mark.browser]


@pytest.fixture
def kelahiran(make_template, standard_process):
    return make_birth_bundle(make_template)


def test_parent_files_the_birth_package_once(site_url, kelahiran, applicant, phone_page):
    page = phone_page
    page.goto(site_url + "/wilayah/35.10/layanan/?peristiwa=kelahiran")
    page.get_by_role("link", name="Ajukan sekaligus").click()
    page.get_by_label("NIK, e-mail, atau nomor ponsel").fill("siti@example.id")
    page.get_by_label("Kata sandi").fill("x")
    page.get_by_role("button", name="Masuk").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Ajukan Paket kelahiran")
    expect(page.get_by_label("Nama anak")).to_have_count(1)  # asked once for three services
    page.get_by_role("button", name="Ajukan sekaligus").click()
    expect(page.get_by_role("alert")).to_contain_text("Nomor KK")
    assert_accessible(page)
    assert_fits_width(page)
    save_screenshot(page, "bundle-apply-errors-360")
    page.get_by_label("Nama anak").fill(DATA["anak_nama"])
    page.get_by_label("Tanggal lahir").fill(DATA["anak_tanggal_lahir"])
    page.get_by_label("Nama ibu").fill(DATA["ibu_nama"])
    page.get_by_label("Nomor KK").fill(DATA["kk_nomor"])
    # The form keeps a draft as the parent types (3 s after the last key; a busy machine is
    # slower), so opening it again later, or on another phone, resumes it.
    expect(page.locator("[data-draft-status]")).to_contain_text(
        "Draf tersimpan otomatis", timeout=15_000
    )
    page.goto(site_url + "/wilayah/35.10/paket/kelahiran/ajukan/")
    expect(page.get_by_label("Nomor KK")).to_have_value(DATA["kk_nomor"])
    expect(page.get_by_label("Nama ibu")).to_have_value(DATA["ibu_nama"])
    page.get_by_role("button", name="Ajukan sekaligus").click()

    expect(
        page.get_by_text(re.compile(r"Nomor lacak paket Anda: 3510-\d{6}-\d{5}-\d"))
    ).to_be_visible()
    tracking = re.search(r"paket Anda: (3510-\d{6}-\d{5}-\d)", page.content()).group(1)
    expect(page.get_by_role("link", name=re.compile("^Layanan "))).to_have_count(3)
    assert_accessible(page)
    assert_fits_width(page)
    save_screenshot(page, "bundle-detail-360")

    page.get_by_role("link", name="Lacak").click()
    page.get_by_label("Nomor lacak").fill(tracking)
    page.get_by_label("4 angka terakhir NIK").fill("0001")
    page.get_by_role("button", name="Lacak").click()
    expect(page.get_by_text("Status per layanan")).to_be_visible()
    expect(page.get_by_text("Layanan kia")).to_be_visible()
    assert "Budi" not in page.content()
    assert_accessible(page)
    assert_fits_width(page)
    save_screenshot(page, "bundle-status-360")
