"""Journey: a citizen starts a form on their phone and leaves it; the draft saved itself, so on
another device (a new browser session) the form opens where they stopped and "my applications"
points to it."""

import re

import pytest
from playwright.sync_api import Browser, expect

from mpp.cases.models import Draft, FormDefinition
from tests.support.browser import PHONE, assert_accessible, assert_fits_width, save_screenshot

pytestmark = [pytest.mark.browser]
APPLY = "/wilayah/35.10/layanan/akta-kelahiran/ajukan/"


def sign_in(page, site_url):
    page.goto(site_url + APPLY)
    page.get_by_label("NIK, e-mail, atau nomor ponsel").fill("siti@example.id")
    page.get_by_label("Kata sandi").fill("x")
    page.get_by_role("button", name="Masuk").click()
    # Back on the form once loaded: its deferred script listens from then on (typing before
    # that would be saved with the next keystroke, which a test does not send).
    page.wait_for_url(site_url + APPLY)


@pytest.fixture
def with_selects(akta_form):
    """Selects (an address's region, a long choice) must not count as typed on page load."""
    hours = [{"value": str(h), "label": {"id": f"{h}.00"}} for h in range(7)]
    extra = [
        {"key": "alamat", "type": "address", "label": {"id": "Alamat"}},
        {"key": "jam", "type": "choice", "label": {"id": "Jam lahir"}, "options": hours},
    ]
    FormDefinition.objects.filter(pk=akta_form.pk).update(
        definition={"fields": [*akta_form.definition["fields"], *extra]}
    )


def test_a_draft_saves_itself_and_opens_on_another_device(
    site_url, akta_ready, applicant, phone_page, browser: Browser, with_selects
):
    page = phone_page
    sign_in(page, site_url)
    page.wait_for_timeout(3500)  # longer than the autosave delay
    assert not Draft.objects.exists()  # opening the form is not typing
    page.get_by_label("Nama anak").fill("Bayu")
    page.get_by_label("Keterangan").fill("lahir di rumah sakit")
    # The form saves 3 s after the last keystroke; allow a busy machine some more.
    expect(page.get_by_role("status")).to_contain_text("Draf tersimpan otomatis", timeout=15_000)
    expect(page.get_by_role("status")).to_have_text(re.compile(r"pukul \d{2}[.:]\d{2}$"))
    saved = Draft.objects.get().data
    assert (saved["child_name"], saved["remarks"]) == ("Bayu", "lahir di rumah sakit")
    assert_accessible(page)
    assert_fits_width(page)
    save_screenshot(page, "draft-autosaved-360")

    other = browser.new_context(viewport=PHONE, locale="id-ID").new_page()
    sign_in(other, site_url)
    expect(other.get_by_label("Nama anak")).to_have_value("Bayu")
    other.goto(site_url + "/permohonan/")
    other.get_by_role("link", name=akta_ready.template.name).click()
    expect(other.get_by_label("Keterangan")).to_have_value("lahir di rumah sakit")
    other.get_by_role("button", name="Ajukan permohonan").click()
    expect(other.get_by_text("Permohonan diajukan")).to_be_visible()
    assert not Draft.objects.exists()
    other.context.close()


def test_the_kecamatan_suggestions_follow_the_kabupaten_kota(
    site_url, akta_ready, applicant, phone_page, with_selects
):
    page = phone_page
    sign_in(page, site_url)
    suggestions = page.locator("#f-alamat-district-list option")
    expect(suggestions).to_have_count(0)
    page.get_by_label("Kabupaten/kota").select_option("35.10")  # Banyuwangi: 25 kecamatan
    expect(suggestions).to_have_count(25)
    expect(page.locator('#f-alamat-district-list option[value="Kalibaru"]')).to_have_count(1)
    page.get_by_label("Kabupaten/kota").select_option("35.09")  # Jember
    expect(page.locator('#f-alamat-district-list option[value="Ambulu"]')).to_have_count(1)
    expect(page.locator('#f-alamat-district-list option[value="Kalibaru"]')).to_have_count(0)
    page.get_by_label("Kecamatan").fill("Ambulu")
    assert_accessible(page)
    assert_fits_width(page)
