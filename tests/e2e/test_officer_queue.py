"""Journey: an agency officer signs in with 2FA on a 360 px phone, opens the work queue, opens
an application and sends it back to the citizen with a reason and the field to correct."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from mpp.accounts import services as account_services
from mpp.cases import services
from mpp.cases.models import Application
from mpp.core.roles import Role
from tests.support.browser import assert_accessible, assert_fits_width, save_screenshot

pytestmark = [pytest.mark.browser]
PASSWORD = "kopi-luwak-petugas-5"


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def sign_in_officer(page, site_url, akta_ready) -> None:
    """A Dukcapil officer of Banyuwangi signs in with 2FA, landing on the work queue."""
    officer = account_services.ensure_user(
        username="capil.rina", password=PASSWORD, first_name="Rina"
    )
    account_services.grant_role(
        user=officer, role=Role.AGENCY_OFFICER, region_code="35.10", agency_id=akta_ready.agency_id
    )
    device = TOTPDevice.objects.create(user=officer, name="app", confirmed=True)
    page.goto(site_url + "/akun/masuk/?next=/petugas/permohonan/")
    page.get_by_label("NIK, e-mail, atau nomor ponsel").fill("capil.rina")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.get_by_label("Kode autentikator").fill(current_code(device))
    page.get_by_role("button", name="Verifikasi").click()


def test_officer_sends_an_application_back_from_the_queue(
    site_url, phone_page, applicant, akta_ready
):
    application = services.submit_application(
        user=applicant, offering_id=akta_ready.pk, data={"child_name": "Budi"},
        idempotency_key="e2e-officer",
    ).application  # fmt: skip
    page = phone_page
    sign_in_officer(page, site_url, akta_ready)

    expect(page.get_by_role("heading", level=1)).to_have_text("Daftar pekerjaan")
    expect(page.get_by_text("Verifikasi berkas ·")).to_be_visible()
    assert_accessible(page)
    assert_fits_width(page)
    save_screenshot(page, "officer-queue-360")

    page.get_by_role("link", name=application.tracking).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Permohonan {application.tracking}")
    expect(page.get_by_text("Budi", exact=True)).to_be_visible()
    assert_accessible(page)
    assert_fits_width(page)
    save_screenshot(page, "officer-application-360")

    page.get_by_text("Minta perbaikan", exact=True).first.click()  # opens the <details>
    form = page.locator("details[open] form")
    note = form.get_by_label("Alasan untuk Nama anak (opsional)")
    expect(note).to_be_hidden()  # each field's own reason box shows once the field is ticked
    form.get_by_label("Nama anak", exact=True).check()
    expect(note).to_be_visible()
    note.fill("Sesuai surat keterangan lahir: Budi Santoso")
    form.get_by_label("Alasan", exact=True).fill("Nama anak berbeda dengan surat keterangan lahir")
    assert_accessible(page)
    form.get_by_role("button", name="Minta perbaikan").click()

    expect(page.get_by_text("Aksi dicatat.")).to_be_visible()
    expect(
        page.get_by_text("Alasan: Nama anak berbeda dengan surat keterangan lahir")
    ).to_be_visible()
    expect(
        page.get_by_text("Nama anak: Sesuai surat keterangan lahir: Budi Santoso")
    ).to_be_visible()
    assert_accessible(page)
    assert_fits_width(page)
    save_screenshot(page, "officer-sent-back-360")
    application.refresh_from_db()
    assert application.status == Application.Status.NEEDS_CORRECTION


def test_officer_approves_two_applications_at_once_from_the_queue(
    site_url, phone_page, applicant, akta_ready
):
    filed = [
        services.submit_application(
            user=applicant,
            offering_id=akta_ready.pk,
            data={"child_name": name},
            idempotency_key=f"e2e-bulk-{name}",
        ).application
        for name in ("Ani", "Budi")
    ]
    page = phone_page
    sign_in_officer(page, site_url, akta_ready)

    for application in filed:
        page.get_by_label(f"Pilih {application.tracking} (Verifikasi berkas)").check()
    page.get_by_label("Aksi untuk yang dipilih").select_option(label="Berkas lengkap")
    assert_accessible(page)
    assert_fits_width(page)
    save_screenshot(page, "officer-queue-bulk-360")
    page.get_by_role("button", name="Jalankan pada yang dipilih").click()

    done = ", ".join(a.tracking for a in filed)
    expect(page.get_by_text(f"Berkas lengkap: selesai untuk {done}.")).to_be_visible()
    assert_accessible(page)
    assert_fits_width(page)
    for application in filed:
        assert application.steps.get(key="verifikasi").status == "done"
