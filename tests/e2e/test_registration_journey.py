"""Journey: a citizen registers with NIK on a 360 px phone, gets the code by e-mail, verifies."""

import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import assert_accessible, assert_fits_width, save_screenshot

pytestmark = [pytest.mark.browser]


def test_citizen_registers_and_verifies(site_url, phone_page, smtp_inbox):
    page = phone_page
    page.goto(site_url + "/akun/daftar/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Daftar akun MPP Digital")
    assert_accessible(page)
    assert_fits_width(page)
    page.get_by_label("NIK").fill("3510015708900001")
    page.get_by_label("Nama lengkap sesuai KTP/KK").fill("Siti Aminah")
    page.get_by_label("Tanggal lahir").fill("1990-08-17")
    page.get_by_label("Laki-laki").check()  # wrong on purpose: the NIK says female
    page.get_by_label("E-mail").fill("siti@example.id")
    page.get_by_label("Kata sandi").fill("kopi-tubruk-pagi-hari")
    page.get_by_role("button", name="Daftar").click()
    expect(page.get_by_text("Jenis kelamin tidak sesuai dengan NIK")).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, "register-error-360")

    page.get_by_label("Perempuan").check()
    page.get_by_label("Kata sandi").fill("kopi-tubruk-pagi-hari")
    page.get_by_role("button", name="Daftar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Masukkan kode verifikasi")
    expect(page.get_by_text("Kode dikirim ke si***@example.id.")).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, "verify-360")

    code = re.search(r"\b(\d{6})\b", smtp_inbox.bodies_to("siti@example.id")[0]).group(1)
    page.get_by_label("Kode 6 angka").fill(code)
    page.get_by_role("button", name="Verifikasi").click()
    expect(page).to_have_url(site_url + "/")
    expect(page.get_by_role("button", name="Keluar")).to_be_visible()

    page.get_by_role("link", name="Profil", exact=True).click()
    expect(page.get_by_label("Nama lengkap")).to_have_value("Siti Aminah")
    page.get_by_label("Pekerjaan").fill("Bidan")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Profil disimpan.")).to_be_visible()
    expect(page.get_by_label("Pekerjaan")).to_have_value("Bidan")
    assert_accessible(page)
    assert_fits_width(page)
    save_screenshot(page, "profile-360")

    page.get_by_role("link", name="Persetujuan saya").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Persetujuan saya")
    assert_accessible(page)
    assert_fits_width(page)
    page.go_back()

    page.get_by_role("link", name="Siapa memakai data saya, unduh, atau hapus akun").click()
    expect(
        page.get_by_text("Belum ada petugas atau instansi yang membaca data Anda.")
    ).to_be_visible()
    assert_accessible(page)
    assert_fits_width(page)
    save_screenshot(page, "my-data-360")


def test_login_page_is_accessible(site_url, phone_page):
    phone_page.goto(site_url + "/akun/masuk/")
    expect(phone_page.get_by_label("NIK, e-mail, atau nomor ponsel")).to_be_visible()
    assert_accessible(phone_page)
    assert_fits_width(phone_page)
