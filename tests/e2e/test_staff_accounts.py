"""Journey: a regional manager adds an agency officer on a 360 px phone; the officer sets a
password from the e-mailed link and is made to enrol an authenticator at first sign-in."""

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from mpp.accounts import services
from mpp.accounts.models import User
from mpp.catalog.models import AgencyKind
from mpp.catalog.services import ensure_agency
from mpp.core.roles import Role
from tests.support.browser import assert_accessible, assert_fits_width, save_screenshot

pytestmark = [pytest.mark.browser]
PASSWORD = "kopi-jahe-pengelola-7"


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_a_manager_adds_an_officer_who_then_sets_up_their_account(site_url, phone_page, smtp_inbox):
    AgencyKind.objects.create(slug="disdukcapil", name="Dinas Kependudukan dan Pencatatan Sipil",
                              short_name="Disdukcapil", level=AgencyKind.Level.REGIONAL)  # fmt: skip
    agency = ensure_agency(actor=None, region_code="35.10", kind_slug="disdukcapil")
    manager = services.ensure_user(username="pengelola.bwi", password=PASSWORD)
    services.grant_role(user=manager, role=Role.REGIONAL_MANAGER, region_code="35.10")
    device = TOTPDevice.objects.create(user=manager, name="app", confirmed=True)

    page = phone_page
    page.goto(site_url + "/akun/masuk/?next=/akun/petugas/")
    page.get_by_label("NIK, e-mail, atau nomor ponsel").fill("pengelola.bwi")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.get_by_label("Kode autentikator").fill(current_code(device))
    page.get_by_role("button", name="Verifikasi").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Petugas")
    expect(page.get_by_text("pengelola.bwi ·")).to_be_visible()
    assert_accessible(page)
    assert_fits_width(page)

    page.get_by_label("Nama pengguna").fill("capil.rina")
    page.get_by_label("Nama lengkap").fill("Rina Kartika")
    page.get_by_label("E-mail").fill("rina@example.id")
    page.get_by_label("Peran").select_option(label="Petugas instansi")
    page.get_by_label("Instansi").select_option(label=agency.name)
    page.get_by_role("button", name="Buat akun petugas").click()
    expect(page.get_by_text("Akun capil.rina dibuat")).to_be_visible()
    expect(page.get_by_text("Rina Kartika")).to_be_visible()
    assert_accessible(page)
    assert_fits_width(page)
    save_screenshot(page, "staff-accounts-360")
    assert User.objects.get(username="capil.rina").role_grants.get().agency == agency

    page.get_by_role("button", name="Keluar").click()
    link = re.search(r"http\S+/akun/atur-sandi/\S+/", smtp_inbox.bodies_to("rina@example.id")[0])
    page.goto(link.group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text("Buat kata sandi")
    assert_accessible(page)
    page.get_by_label("Kata sandi baru", exact=True).fill("teh-tarik-petugas-3")
    page.get_by_label("Ulangi kata sandi baru").fill("teh-tarik-petugas-3")
    page.get_by_role("button", name="Simpan kata sandi").click()
    expect(page.get_by_text("Kata sandi dibuat.")).to_be_visible()

    page.get_by_label("NIK, e-mail, atau nomor ponsel").fill("capil.rina")
    page.get_by_label("Kata sandi").fill("teh-tarik-petugas-3")
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verifikasi dua langkah")
    expect(page.locator("figure.qr svg")).to_be_visible()
