"""Officers and admins need a TOTP second factor; citizens do not; staff sessions are shorter."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from mpp.core.roles import Role

pytestmark = pytest.mark.django_db


def code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


@pytest.fixture
def officer(make_user):
    return make_user(Role.REGIONAL_MANAGER, "35.10", second_factor=False)


def sign_in(client, user):
    user.set_password("kata-sandi-petugas-1")
    user.save()
    client.post("/akun/masuk/", {"username": user.username, "password": "kata-sandi-petugas-1"})


def test_an_officer_sets_up_the_app_then_reaches_the_admin(client, officer, settings):
    sign_in(client, officer)
    assert client.get("/admin/")["Location"] == "/akun/2fa/?next=%2Fadmin%2F"
    page = client.get("/akun/2fa/")
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    done = client.post("/akun/2fa/?next=/admin/", {"token": code(device)})
    assert done["Location"] == "/admin/"
    assert TOTPDevice.objects.get(user=officer).confirmed
    assert client.get("/admin/").status_code == 200
    assert client.session.get_expiry_age() == settings.MPP_STAFF_SESSION_SECONDS


def test_a_wrong_code_is_refused(client, officer):
    sign_in(client, officer)
    client.get("/akun/2fa/")
    response = client.post("/akun/2fa/", {"token": "000000"})
    assert response.status_code == 400
    assert "Kode autentikator salah." in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_the_staff_api_refuses_without_the_second_factor(client, officer):
    sign_in(client, officer)
    response = client.get("/api/v1/mpp-sites")
    assert response.status_code == 403
    assert response.json()["code"] == "second_factor_required"


def test_citizens_are_not_asked(client, make_user):
    citizen = make_user()
    sign_in(client, citizen)
    assert client.get("/akun/data-saya/").status_code in (200, 404)  # no redirect to 2FA


def test_an_open_redirect_after_2fa_goes_to_the_admin(client, officer):
    sign_in(client, officer)
    client.get("/akun/2fa/")
    device = TOTPDevice.objects.get(user=officer)
    done = client.post("/akun/2fa/?next=https://evil.example/", {"token": code(device)})
    assert done["Location"] == "/admin/"
