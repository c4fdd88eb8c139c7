"""Journey: on a 360 px phone a citizen finds the service, signs in, agrees to prefill from the
profile, applies, follows the application and looks its status up publicly."""

import re

import pytest
from playwright.sync_api import expect

from mpp.cases.models import FormDefinition
from tests.support.browser import assert_accessible, assert_fits_width, save_screenshot

pytestmark = [pytest.mark.browser]


@pytest.fixture
def akta_with_prefill(site_url, akta_ready, akta_form):
    FormDefinition.objects.filter(pk=akta_form.pk).update(
        definition={
            "fields": [
                *akta_form.definition["fields"],
                {"key": "reporter", "type": "text", "label": {"id": "Nama pelapor"},
                 "prefill": "full_name"},
            ]
        }
    )  # fmt: skip
    return akta_ready


def test_citizen_applies_with_prefill_and_follows_it(
    site_url, akta_with_prefill, applicant, phone_page
):
    page = phone_page
    page.goto(site_url + "/wilayah/35.10/layanan/akta-kelahiran/")
    page.get_by_role("link", name="Ajukan daring").click()
    page.get_by_label("NIK, e-mail, atau nomor ponsel").fill("siti@example.id")
    page.get_by_label("Kata sandi").fill("x")
    page.get_by_role("button", name="Masuk").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Isi otomatis dari profil Anda?")
    assert_accessible(page)
    assert_fits_width(page)
    save_screenshot(page, "apply-consent-360")
    page.get_by_role("button", name="Setuju, isi otomatis").click()

    expect(page.get_by_label("Nama pelapor")).to_have_value("Siti Aminah")
    page.get_by_role("button", name="Ajukan permohonan").click()  # child name missing
    expect(page.get_by_role("alert")).to_contain_text("Nama anak")
    assert_accessible(page)
    page.get_by_label("Nama anak").fill("Budi")
    page.get_by_role("button", name="Ajukan permohonan").click()

    expect(page.get_by_text(re.compile(r"Nomor lacak Anda: 3510-\d{6}-\d{5}-\d"))).to_be_visible()
    tracking = re.search(r"3510-\d{6}-\d{5}-\d", page.content()).group(0)
    expect(page.get_by_text("Verifikasi berkas")).to_be_visible()
    assert_accessible(page)
    assert_fits_width(page)
    save_screenshot(page, "application-detail-360")

    page.get_by_role("link", name="Lacak").click()
    page.get_by_label("Nomor lacak").fill(tracking)
    page.get_by_label("4 angka terakhir NIK").fill("0001")
    page.get_by_role("button", name="Lacak").click()
    expect(page.get_by_text("Diajukan", exact=True)).to_be_visible()
    assert "Budi" not in page.content() and "0001" not in page.url
    assert_accessible(page)
    assert_fits_width(page)
    save_screenshot(page, "status-lookup-360")
