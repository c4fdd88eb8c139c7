"""Journey: an agency app sends a citizen to MPP Digital to sign in; the consent page on a phone."""

import datetime

import pytest
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from django.utils import timezone
from oauth2_provider.models import get_application_model
from playwright.sync_api import expect

from mpp.accounts import registration
from mpp.accounts.client_policy import set_client_policy
from mpp.accounts.models import Citizen, User
from tests.support.browser import assert_accessible, assert_fits_width, save_screenshot

pytestmark = [pytest.mark.browser]

Application = get_application_model()
REDIRECT_URI = "http://127.0.0.1:9/callback"


def test_consent_page_on_a_phone(site_url, phone_page):
    done = registration.register_citizen(
        nik="3510015708900001", full_name="Siti Aminah", birth_date=datetime.date(1990, 8, 17),
        sex="F", password="kopi-tubruk-pagi-hari", email="siti@example.id",
    )  # fmt: skip
    User.objects.filter(pk=done.user.pk).update(is_active=True)
    Citizen.objects.filter(user=done.user).update(contact_verified_at=timezone.now())
    application = Application.objects.create(
        name="Aplikasi Disdukcapil (uji)", client_id="uji-e2e", client_secret="rahasia-uji-e2e",
        client_type=Application.CLIENT_CONFIDENTIAL, redirect_uris=REDIRECT_URI,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        algorithm=Application.RS256_ALGORITHM,
    )  # fmt: skip
    set_client_policy(application=application, allowed_scopes=["openid", "profile", "nik"])
    rp = OAuth2Session(
        "uji-e2e", "rahasia-uji-e2e", scope="openid profile nik", redirect_uri=REDIRECT_URI,
        code_challenge_method="S256",
    )  # fmt: skip
    url, _state = rp.create_authorization_url(
        site_url + "/o/authorize/", code_verifier=generate_token(48), nonce=generate_token(16)
    )

    page = phone_page
    page.goto(url)  # not signed in yet: the login page, then back to the consent page
    page.get_by_label("NIK, e-mail, atau nomor ponsel").fill("3510015708900001")
    page.get_by_label("Kata sandi").fill("kopi-tubruk-pagi-hari")
    page.get_by_role("button", name="Masuk").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Masuk ke Aplikasi Disdukcapil (uji) dengan akun MPP Digital?"
    )
    expect(page.get_by_text("NIK dan tingkat kepastian identitas")).to_be_visible()
    expect(page.get_by_role("button", name="Izinkan")).to_be_visible()
    expect(page.get_by_role("button", name="Tolak")).to_be_visible()
    assert_accessible(page)
    assert_fits_width(page)
    save_screenshot(page, "oidc-consent-360")

    with page.expect_request(lambda request: request.url.startswith(REDIRECT_URI)) as sent:
        page.get_by_role("button", name="Izinkan").click()
    assert "code=" in sent.value.url
