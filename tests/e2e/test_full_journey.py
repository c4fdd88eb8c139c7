"""The whole of issue 5 in one journey, each person on their own 360 px phone: the citizen
applies with prefill and an upload, the officer sends it back for one field, the citizen
corrects it, the officer approves both steps, and the citizen downloads the issued document
and checks it on its public verification page."""

import hashlib
import re
from pathlib import Path

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from mpp.accounts import services as account_services
from mpp.cases.models import Application, FormDefinition
from mpp.core.roles import Role
from tests.support.browser import PHONE, assert_accessible, assert_fits_width, save_screenshot
from tests.support.pdf import make_pdf

pytestmark = [pytest.mark.browser]
OFFICER_PASSWORD = "kopi-luwak-petugas-5"


def scan_of_kk() -> bytes:
    return make_pdf("Kartu Keluarga 3510010101010001")


@pytest.fixture
def akta_with_prefill_and_upload(site_url, akta_ready, akta_form, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    FormDefinition.objects.filter(pk=akta_form.pk).update(
        definition={
            "fields": [
                *akta_form.definition["fields"],
                {"key": "reporter", "type": "text", "label": {"id": "Nama pelapor"},
                 "prefill": "full_name"},
                {"key": "kk_scan", "type": "file", "label": {"id": "Kartu Keluarga"},
                 "required": True},
            ]
        }
    )  # fmt: skip
    officer = account_services.ensure_user(
        username="capil.rina", password=OFFICER_PASSWORD, first_name="Rina"
    )
    account_services.grant_role(
        user=officer, role=Role.AGENCY_OFFICER, region_code="35.10", agency_id=akta_ready.agency_id
    )
    TOTPDevice.objects.create(user=officer, name="app", confirmed=True)
    return akta_ready


def officer_phone(browser, site_url: str, next_url: str) -> Page:
    page = browser.new_context(viewport=PHONE, locale="id-ID").new_page()
    device = TOTPDevice.objects.get(user__username="capil.rina")
    page.goto(f"{site_url}/akun/masuk/?next={next_url}")
    page.get_by_label("NIK, e-mail, atau nomor ponsel").fill("capil.rina")
    page.get_by_label("Kata sandi").fill(OFFICER_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.get_by_label("Kode autentikator").fill(
        f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    )
    page.get_by_role("button", name="Verifikasi").click()
    return page


def checked(page: Page, name: str) -> None:
    assert_accessible(page)
    assert_fits_width(page)
    save_screenshot(page, name)


def test_apply_correct_approve_download_and_verify(
    site_url, browser, phone_page, applicant, akta_with_prefill_and_upload
):
    citizen = phone_page
    # 1. The citizen applies: prefill after consent, an upload, one field left wrong.
    citizen.goto(f"{site_url}/akun/masuk/?next=/wilayah/35.10/layanan/akta-kelahiran/ajukan/")
    citizen.get_by_label("NIK, e-mail, atau nomor ponsel").fill("siti@example.id")
    citizen.get_by_label("Kata sandi").fill("x")
    citizen.get_by_role("button", name="Masuk").click()
    citizen.get_by_role("button", name="Setuju, isi otomatis").click()
    expect(citizen.get_by_label("Nama pelapor")).to_have_value("Siti Aminah")
    citizen.get_by_label("Nama anak").fill("Budi")
    citizen.get_by_label("Kartu Keluarga").set_input_files(
        files=[{"name": "kk.pdf", "mimeType": "application/pdf", "buffer": scan_of_kk()}]
    )
    checked(citizen, "journey-1-apply-360")
    citizen.get_by_role("button", name="Ajukan permohonan").click()
    expect(
        citizen.get_by_text(re.compile(r"Nomor lacak Anda: 3510-\d{6}-\d{5}-\d"))
    ).to_be_visible()
    tracking = re.search(r"3510-\d{6}-\d{5}-\d", citizen.content()).group(0)
    application = Application.objects.get(tracking=tracking)
    assert application.data["reporter"] == "Siti Aminah"
    assert application.attachments.get().document.original_name == "kk.pdf"

    # 2. The officer sends it back for the child's name.
    officer = officer_phone(browser, site_url, f"/petugas/permohonan/{tracking}/")
    expect(officer.get_by_role("heading", level=1)).to_have_text(f"Permohonan {tracking}")
    # Before deciding, the officer opens the attached KK from the page.
    expect(officer.get_by_role("heading", name="Dokumen terlampir")).to_be_visible()
    checked(officer, "journey-2-officer-documents-360")
    kk_link = officer.get_by_role("link", name="kk.pdf").first
    answered = officer.request.get(site_url + kk_link.get_attribute("href"))
    assert answered.status == 200
    assert answered.headers["content-type"] == "application/pdf"
    with officer.expect_download() as kk:
        kk_link.click()
    assert Path(kk.value.path()).read_bytes() == scan_of_kk()
    officer.get_by_text("Minta perbaikan", exact=True).first.click()
    form = officer.locator("details[open] form")
    form.get_by_label("Nama anak", exact=True).check()
    form.get_by_label("Alasan", exact=True).fill(
        "Tulis nama lengkap anak sesuai surat keterangan lahir"
    )
    form.get_by_role("button", name="Minta perbaikan").click()
    expect(officer.get_by_text("Aksi dicatat.")).to_be_visible()

    # 3. The citizen is told, corrects the one field and sends it back.
    citizen.goto(f"{site_url}/permohonan/{tracking}/")
    expect(citizen.get_by_role("heading", name="Perlu perbaikan")).to_be_visible()
    expect(citizen.locator("#f-child_name-error")).to_have_text(
        "Tulis nama lengkap anak sesuai surat keterangan lahir"
    )
    citizen.get_by_label("Nama anak").fill("Budi Santoso")
    checked(citizen, "journey-3-correct-360")
    citizen.get_by_role("button", name="Kirim perbaikan").click()
    expect(citizen.get_by_role("heading", name="Perlu perbaikan")).to_have_count(0)

    # 4. The officer approves both steps; the document is issued.
    officer.goto(f"{site_url}/petugas/permohonan/{tracking}/")
    officer.get_by_role("button", name="Berkas lengkap").click()
    expect(officer.get_by_text("Aksi dicatat.")).to_be_visible()
    officer.get_by_role("button", name="Terbitkan").click()
    expect(officer.get_by_text("Aksi dicatat.")).to_be_visible()
    checked(officer, "journey-4-approved-officer-360")
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED
    assert application.data["child_name"] == "Budi Santoso"
    output = application.outputs.get()

    # 5. The citizen downloads the issued PDF and verifies it.
    citizen.goto(f"{site_url}/notifikasi/")
    expect(citizen.get_by_text(tracking).first).to_be_visible()
    citizen.goto(f"{site_url}/permohonan/{tracking}/")
    expect(citizen.get_by_role("heading", name="Produk layanan")).to_be_visible()
    checked(citizen, "journey-5-issued-360")
    with citizen.expect_download() as info:
        citizen.get_by_role("link", name=re.compile(r"^Unduh (?!tanda terima).* \(PDF\)$")).click()
    downloaded = Path(info.value.path()).read_bytes()
    assert hashlib.sha256(downloaded).hexdigest() == output.sha256
    citizen.get_by_role("link", name="Halaman verifikasi").click()
    expect(citizen.get_by_text("Sah", exact=True)).to_be_visible()
    citizen.locator("input[type=file]").set_input_files(
        files=[{"name": "akta.pdf", "mimeType": "application/pdf", "buffer": downloaded}]
    )
    citizen.get_by_role("button", name="Periksa berkas").click()
    expect(citizen.get_by_role("status")).to_contain_text("Cocok.")
    checked(citizen, "journey-5-verified-360")
