"""Journey: on a 360 px phone a citizen sees the unread badge after an officer sends the
application back, reads the notification list, opens one and marks the rest read."""

import pytest
from playwright.sync_api import expect

from mpp.cases import services
from mpp.core.roles import Role
from tests.support.browser import assert_accessible, assert_fits_width, save_screenshot

pytestmark = [pytest.mark.browser]


def test_citizen_sees_the_badge_and_the_list(
    site_url, akta_ready, applicant, make_officer, phone_page
):
    application = services.submit_application(
        user=applicant, offering_id=akta_ready.pk, data={"child_name": "Budi"},
        idempotency_key="e2e-1",
    ).application  # fmt: skip
    officer = make_officer(Role.AGENCY_OFFICER, agency=akta_ready.agency)
    services.act_on_application(
        user=officer, tracking=application.tracking, step_key="verifikasi",
        action="minta_perbaikan", reason="Nama anak belum lengkap.", fields=["child_name"],
    )  # fmt: skip

    page = phone_page
    page.goto(site_url + "/akun/masuk/")
    page.get_by_label("NIK, e-mail, atau nomor ponsel").fill("siti@example.id")
    page.get_by_label("Kata sandi").fill("x")
    page.get_by_role("button", name="Masuk").click()

    badge = page.get_by_role("link", name="Notifikasi 2 belum dibaca")
    expect(badge).to_be_visible()
    badge.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifikasi")
    first = page.get_by_role("article").first
    expect(first).to_contain_text(f"Permohonan {application.tracking} perlu diperbaiki")
    expect(first).to_contain_text("Nama anak belum lengkap.")
    assert_accessible(page)
    assert_fits_width(page)
    save_screenshot(page, "notifications-360")

    first.get_by_role("button", name="Lihat permohonan").click()
    expect(page).to_have_url(f"{site_url}/permohonan/{application.tracking}/")
    expect(page.get_by_role("link", name="Notifikasi 1 belum dibaca")).to_be_visible()

    page.goto(site_url + "/notifikasi/")
    page.get_by_role("button", name="Tandai semua dibaca").click()
    expect(page.get_by_role("link", name="Notifikasi", exact=True)).to_be_visible()
    assert_accessible(page)
