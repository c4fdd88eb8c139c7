"""Journey: on a 360 px phone a citizen whose application was approved downloads the issued
document from their application page, opens its public verification page, checks the file
there, and after the agency officer revokes it on their application page, sees the
verification page say so."""

import hashlib
from pathlib import Path

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from mpp.accounts import services as account_services
from mpp.cases import services
from mpp.core.roles import Role
from tests.support.browser import PHONE, assert_accessible, assert_fits_width, save_screenshot

pytestmark = [pytest.mark.browser]
OFFICER_PASSWORD = "kopi-luwak-petugas-5"


@pytest.fixture
def approved(site_url, applicant, akta_ready, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    officer = account_services.ensure_user(
        username="capil.rina", password=OFFICER_PASSWORD, first_name="Rina"
    )
    account_services.grant_role(
        user=officer, role=Role.AGENCY_OFFICER, region_code="35.10", agency_id=akta_ready.agency_id
    )
    TOTPDevice.objects.create(user=officer, name="app", confirmed=True)
    application = services.submit_application(
        user=applicant, offering_id=akta_ready.pk, data={"child_name": "Budi"},
        idempotency_key="e2e-output",
    ).application  # fmt: skip
    for step, action in (("verifikasi", "terima"), ("penerbitan", "terbitkan")):
        services.act_on_application(
            user=officer, tracking=application.tracking, step_key=step, action=action
        )
    return application.outputs.get()


def revoke_as_officer(browser, site_url, tracking):
    """The agency officer signs in (password + TOTP) on their own phone and revokes."""
    context = browser.new_context(viewport=PHONE, locale="id-ID")
    page = context.new_page()
    device = TOTPDevice.objects.get(user__username="capil.rina")
    page.goto(f"{site_url}/akun/masuk/?next=/petugas/permohonan/{tracking}/")
    page.get_by_label("NIK, e-mail, atau nomor ponsel").fill("capil.rina")
    page.get_by_label("Kata sandi").fill(OFFICER_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.get_by_label("Kode autentikator").fill(
        f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    )
    page.get_by_role("button", name="Verifikasi").click()
    page.get_by_text("Cabut produk layanan", exact=True).click()  # opens the <details>
    page.get_by_label("Alasan pencabutan").select_option(label="Kesalahan data pada dokumen")
    page.get_by_label("Catatan pencabutan").fill("Data kelahiran keliru")
    assert_accessible(page)
    assert_fits_width(page)
    save_screenshot(page, "output-revoke-officer-360")
    page.get_by_role("button", name="Cabut", exact=True).click()
    expect(page.get_by_text("Produk layanan dicabut.")).to_be_visible()
    expect(page.get_by_text("Dicabut", exact=True)).to_be_visible()
    context.close()


def test_citizen_downloads_and_verifies_the_output(site_url, browser, phone_page, approved):
    output = approved
    tracking = output.application.tracking
    page = phone_page
    page.goto(f"{site_url}/akun/masuk/?next=/permohonan/{tracking}/")
    page.get_by_label("NIK, e-mail, atau nomor ponsel").fill("siti@example.id")
    page.get_by_label("Kata sandi").fill("x")
    page.get_by_role("button", name="Masuk").click()

    expect(page.get_by_role("heading", name="Produk layanan")).to_be_visible()
    assert_accessible(page)
    assert_fits_width(page)
    save_screenshot(page, "output-on-application-360")
    with page.expect_download() as info:
        page.get_by_role("link", name="Unduh Kutipan Akta Kelahiran (PDF)").click()
    downloaded = Path(info.value.path()).read_bytes()
    assert hashlib.sha256(downloaded).hexdigest() == output.sha256

    page.get_by_role("link", name="Halaman verifikasi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Periksa keaslian dokumen")
    expect(page.get_by_text("Sah", exact=True)).to_be_visible()
    expect(page.get_by_text("S*** A***")).to_be_visible()
    assert_accessible(page)
    assert_fits_width(page)
    save_screenshot(page, "output-verify-valid-360")

    page.locator("input[type=file]").set_input_files(
        files=[{"name": "akta.pdf", "mimeType": "application/pdf", "buffer": downloaded}]
    )
    page.get_by_role("button", name="Periksa berkas").click()
    expect(page.get_by_role("status")).to_contain_text("Cocok.")
    assert_accessible(page)

    revoke_as_officer(browser, site_url, tracking)
    page.goto(f"{site_url}/verify/{output.code}")
    expect(page.get_by_text("Dicabut", exact=True)).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Kesalahan data pada dokumen")
    expect(page.get_by_text("Data kelahiran keliru")).to_have_count(0)  # the note stays internal
    assert_accessible(page)
    assert_fits_width(page)
    save_screenshot(page, "output-verify-revoked-360")
