# ruff: noqa: F811 - the OIDC fixtures are imported from test_oidc and requested by name
"""Each agency app asks only for the scopes its registration allows (a real RP: Authlib)."""

from urllib.parse import parse_qs, urlsplit

import pytest
from authlib.common.security import generate_token
from django.urls import reverse

from mpp.accounts.client_policy import allowed_scopes, set_client_policy
from mpp.accounts.models import ClientPolicy
from mpp.core.errors import InvalidInput, NotFound
from mpp.core.roles import Role
from tests.accounts.test_oidc import (  # noqa: F401 - fixtures
    NIK,
    Application,
    app,
    authorize,
    browser_session,
    citizen,
    id_token_claims,
    provider,
    relying_party,
    sign_in_with_mpp,
)


def ask(provider, session, scope):
    """Start the flow; the provider's first answer (a consent page, or a redirect with an error)."""
    url, _state = relying_party(scope).create_authorization_url(
        provider["authorization_endpoint"], code_verifier=generate_token(48), nonce="n"
    )
    return session.get(url, allow_redirects=False, timeout=10)


def error_of(response) -> str:
    assert response.status_code == 302, response.text[:300]
    return parse_qs(urlsplit(response.headers["Location"]).query)["error"][0]


def test_an_app_registered_without_nik_cannot_get_it(live_server, provider, browser_session, app):
    set_client_policy(application=app, allowed_scopes=["openid", "profile"])
    assert error_of(ask(provider, browser_session, "openid nik")) == "invalid_scope"
    assert error_of(ask(provider, browser_session, "openid profile email")) == "invalid_scope"
    _rp, token, nonce, _code, _verifier = sign_in_with_mpp(
        provider, browser_session, "openid profile"
    )
    claims = id_token_claims(provider, token["id_token"], nonce)
    assert claims["name"] == "Siti Aminah"
    assert "nik" not in claims and "email" not in claims


def test_an_app_registered_with_nik_gets_it(live_server, provider, browser_session, app):
    set_client_policy(application=app, allowed_scopes=["openid", "nik"])
    _rp, token, nonce, _code, _verifier = sign_in_with_mpp(provider, browser_session, "openid nik")
    assert id_token_claims(provider, token["id_token"], nonce)["nik"] == NIK


def test_an_app_without_a_policy_never_gets_the_nik(live_server, provider, browser_session, app):
    ClientPolicy.objects.filter(application=app).delete()
    assert error_of(ask(provider, browser_session, "openid nik")) == "invalid_scope"
    assert ask(provider, browser_session, "openid profile email phone").status_code == 200
    assert "nik" not in allowed_scopes(app)


def test_a_policy_names_known_scopes_and_openid(app):
    with pytest.raises(InvalidInput):
        set_client_policy(application=app, allowed_scopes=["openid", "rahasia"])
    with pytest.raises(InvalidInput):
        set_client_policy(application=app, allowed_scopes=["profile"])
    with pytest.raises(NotFound):
        set_client_policy(application=app, allowed_scopes=["openid"], agency_id=999_999)
    assert ClientPolicy.objects.get(application=app).allowed_scopes == [
        "openid", "profile", "email", "phone", "nik",
    ]  # fmt: skip
    policy = set_client_policy(application=app, allowed_scopes=["nik", "openid"])
    assert policy.allowed_scopes == ["openid", "nik"]  # the settings' order


def test_national_admins_tick_the_scopes_when_registering(client, make_user, app):
    client.force_login(make_user(Role.NATIONAL_ADMIN))
    page = client.get(reverse("admin:oauth2_provider_application_change", args=[app.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="mpp_policy-0-allowed_scopes" value="nik"' in html


# --- RP-initiated logout -----------------------------------------------------------------------

LOGGED_OUT = "http://127.0.0.1:9/keluar"


def test_discovery_names_the_end_session_endpoint(live_server, provider):
    assert provider["end_session_endpoint"] == live_server.url + "/o/logout/"


def test_an_app_signs_the_person_out(live_server, provider, browser_session, app):
    Application.objects.filter(pk=app.pk).update(post_logout_redirect_uris=LOGGED_OUT)
    rp, token, _nonce, _code, _verifier = sign_in_with_mpp(provider, browser_session, "openid")
    response = browser_session.get(
        provider["end_session_endpoint"],
        params={"id_token_hint": token["id_token"], "post_logout_redirect_uri": LOGGED_OUT,
                "state": "s1"},
        allow_redirects=False, timeout=10,
    )  # fmt: skip
    assert response.status_code == 302
    assert response.headers["Location"] == LOGGED_OUT + "?state=s1"
    profile = browser_session.get(live_server.url + "/akun/profil/", allow_redirects=False)
    assert profile.headers["Location"].startswith("/akun/masuk/")  # signed out of MPP Digital
    assert rp.get(provider["userinfo_endpoint"], timeout=10).status_code == 401  # tokens gone


def test_logout_to_an_unregistered_address_is_refused(live_server, provider, browser_session, app):
    Application.objects.filter(pk=app.pk).update(post_logout_redirect_uris=LOGGED_OUT)
    _rp, token, _nonce, _code, _verifier = sign_in_with_mpp(provider, browser_session, "openid")
    response = browser_session.get(
        provider["end_session_endpoint"],
        params={"id_token_hint": token["id_token"],
                "post_logout_redirect_uri": "https://evil.example/"},
        allow_redirects=False, timeout=10,
    )  # fmt: skip
    assert response.status_code == 400
    assert "Permintaan keluar ditolak" in response.text
    still_in = browser_session.get(live_server.url + "/akun/profil/", allow_redirects=False)
    assert still_in.status_code == 200


def test_without_a_token_hint_the_person_is_asked(live_server, provider, browser_session):
    page = browser_session.get(provider["end_session_endpoint"], timeout=10)
    assert page.status_code == 200
    assert "Keluar dari MPP Digital?" in page.text
