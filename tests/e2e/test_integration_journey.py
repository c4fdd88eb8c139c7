"""Journey: an agency admin signs in with 2FA on a 360 px phone, registers the agency system's
endpoint, copies the secret shown once, and opens the endpoint's delivery log."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from mpp.accounts import services as account_services
from mpp.core.roles import Role
from mpp.integrations.models import Endpoint
from tests.support.browser import assert_accessible, assert_fits_width, save_screenshot

pytestmark = [pytest.mark.browser]
PASSWORD = "kopi-luwak-admin-7"


def test_agency_admin_registers_the_agency_system(site_url, phone_page, akta_ready):
    admin = account_services.ensure_user(username="admin.capil", password=PASSWORD)
    account_services.grant_role(
        user=admin, role=Role.AGENCY_ADMIN, region_code="35.10", agency_id=akta_ready.agency_id
    )
    device = TOTPDevice.objects.create(user=admin, name="app", confirmed=True)

    page = phone_page
    page.goto(site_url + "/akun/masuk/?next=/petugas/integrasi/")
    page.get_by_label("NIK, e-mail, atau nomor ponsel").fill("admin.capil")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.get_by_label("Kode autentikator").fill(
        f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    )
    page.get_by_role("button", name="Verifikasi").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Integrasi sistem instansi")
    expect(page.get_by_role("navigation", name="Menu petugas")).to_contain_text("Integrasi")
    assert_accessible(page)
    assert_fits_width(page)
    save_screenshot(page, "integrations-360")
    page.get_by_label("Nama sistem").fill("SIAK Banyuwangi")
    page.get_by_label("Alamat penerima (URL)").fill("https://siak.example.id/mpp/events")
    page.get_by_label("Permohonan diajukan").check()
    page.get_by_role("button", name="Daftarkan").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Kunci rahasia")
    secret = page.get_by_label("Kunci rahasia").input_value()
    assert secret.startswith("whsec_")
    assert_accessible(page)
    assert_fits_width(page)
    page.get_by_role("link", name="Ke titik integrasi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("SIAK Banyuwangi")
    expect(page.get_by_text("Belum ada kejadian.")).to_be_visible()
    assert_accessible(page)
    assert_fits_width(page)
    save_screenshot(page, "integration-endpoint-360")
    assert Endpoint.objects.get().event_types == ["application.submitted"]
