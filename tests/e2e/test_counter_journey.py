"""Journey: a counter officer signs in with 2FA on a 360 px screen, looks a walk-in citizen up
by NIK, registers them when nobody has that NIK, files an akta kelahiran for them and sees the
printable confirmation."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from mpp.accounts import services as account_services
from mpp.accounts.models import Citizen, DataAccess
from mpp.cases.models import Application
from mpp.core.roles import Role
from tests.support.browser import assert_accessible, assert_fits_width, save_screenshot

pytestmark = [pytest.mark.browser]
PASSWORD = "kopi-luwak-loket-5"
WALK_IN_NIK = "3510011203850002"


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def check(page, name: str) -> None:
    assert_accessible(page)
    assert_fits_width(page)
    save_screenshot(page, name)


def test_counter_officer_registers_a_walk_in_citizen_and_files_for_them(
    site_url, phone_page, akta_ready
):
    officer = account_services.ensure_user(
        username="loket.rina", password=PASSWORD, first_name="Rina"
    )
    account_services.grant_role(user=officer, role=Role.COUNTER_OFFICER, region_code="35.10")
    device = TOTPDevice.objects.create(user=officer, name="app", confirmed=True)

    page = phone_page
    page.goto(site_url + "/akun/masuk/?next=/petugas/loket/")
    page.get_by_label("NIK, e-mail, atau nomor ponsel").fill("loket.rina")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.get_by_label("Kode autentikator").fill(current_code(device))
    page.get_by_role("button", name="Verifikasi").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Loket MPP: layanan dibantu")
    check(page, "counter-home-360")

    page.get_by_label("NIK (16 angka, dari KTP-el)").fill("3510")
    page.get_by_role("button", name="Cari").click()
    expect(page.get_by_text("NIK harus 16 angka; yang diisi 4 angka.")).to_be_visible()
    check(page, "counter-bad-nik-360")

    page.get_by_label("NIK (16 angka, dari KTP-el)").fill(WALK_IN_NIK)
    page.get_by_role("button", name="Cari").click()
    expect(page.get_by_text("Belum ada akun dengan NIK itu.", exact=False)).to_be_visible()
    page.get_by_label("Nama lengkap (sesuai KTP-el)").fill("Budi Santoso")
    page.get_by_label("Nomor ponsel").fill("0812 3456 7890")
    check(page, "counter-register-360")
    page.get_by_role("button", name="Daftarkan warga").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Layanan untuk Budi Santoso")
    expect(page.get_by_text("Diverifikasi petugas")).to_be_visible()
    check(page, "counter-citizen-360")
    page.get_by_role("link", name="Penerbitan Akta Kelahiran").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Ajukan Penerbitan Akta Kelahiran di loket"
    )
    page.get_by_label("Nama anak").fill("Bayu")
    check(page, "counter-apply-360")
    page.get_by_role("button", name="Ajukan untuk warga").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Permohonan diajukan")
    expect(page.get_by_text("Diajukan oleh petugas Rina untuk warga Budi Santoso.")).to_be_visible()
    check(page, "counter-done-360")

    citizen = Citizen.objects.get(full_name="Budi Santoso")
    application = Application.objects.get()
    assert application.applicant == citizen and application.submitted_by == officer
    assert application.channel == Application.Channel.COUNTER
    expect(page.get_by_text(application.tracking, exact=True)).to_be_visible()
    assert DataAccess.objects.filter(citizen=citizen, accessor=officer).exists()

    page.get_by_role("link", name="Layani warga berikutnya").click()
    expect(page.get_by_role("link", name=application.tracking)).to_be_visible()
