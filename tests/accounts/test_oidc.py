"""Single sign-on for agency apps: a real relying party (Authlib + joserfc) against the live server.

The citizen signs in on a requests session, the app runs the authorization-code flow with PKCE
and a nonce, validates the RS256 ID token against the published JWKS and calls userinfo.
"""

import base64
import datetime
import json
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from authlib.common.security import generate_token
from authlib.integrations.base_client import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from django.urls import reverse
from django.utils import timezone
from joserfc import jwt
from joserfc.errors import BadSignatureError, InvalidClaimError
from joserfc.jwk import KeySet
from joserfc.jwt import JWTClaimsRegistry
from oauth2_provider.models import get_application_model

from mpp.accounts import registration
from mpp.accounts.client_policy import set_client_policy
from mpp.accounts.models import Citizen, DataAccess, User
from mpp.accounts.oidc import pairwise_subject
from mpp.core.roles import Role

Application = get_application_model()

NIK = "3510015708900001"
PASSWORD = "kopi-tubruk-pagi-hari"
CLIENT_ID = "uji-disdukcapil"
CLIENT_SECRET = "rahasia-aplikasi-uji-0123456789"
REDIRECT_URI = "http://127.0.0.1:9/callback"
ALL_SCOPES = ["openid", "profile", "email", "phone", "nik"]


class _FormInputs(HTMLParser):
    """The named inputs of the first form with method=post (and the given id) on a page."""

    def __init__(self, form_id: str | None) -> None:
        super().__init__()
        self.form_id = form_id
        self.fields: dict[str, str] = {}
        self._in_form = False
        self._done = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if (
            tag == "form"
            and attributes.get("method") == "post"
            and self.form_id in (None, attributes.get("id"))
            and not self._done
        ):
            self._in_form = True
        elif tag == "input" and self._in_form and attributes.get("name"):
            self.fields[attributes["name"]] = attributes.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form" and self._in_form:
            self._in_form, self._done = False, True


def form_inputs(html: str, form_id: str | None = None) -> dict[str, str]:
    parser = _FormInputs(form_id)
    parser.feed(html)
    return parser.fields


@pytest.fixture
def citizen(official_regions) -> User:
    done = registration.register_citizen(
        nik=NIK, full_name="Siti Aminah", birth_date=datetime.date(1990, 8, 17), sex="F",
        password=PASSWORD, email="siti@example.id",
    )  # fmt: skip
    User.objects.filter(pk=done.user.pk).update(is_active=True)
    Citizen.objects.filter(user=done.user).update(contact_verified_at=timezone.now())
    return done.user


@pytest.fixture
def app(official_regions):
    application = Application.objects.create(
        name="Aplikasi Uji Disdukcapil",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=REDIRECT_URI,
        algorithm=Application.RS256_ALGORITHM,
    )
    set_client_policy(application=application, allowed_scopes=ALL_SCOPES)
    return application


@pytest.fixture
def provider(live_server) -> dict:
    """The discovery document, fetched the way any relying party would."""
    response = requests.get(live_server.url + "/.well-known/openid-configuration", timeout=10)
    assert response.status_code == 200
    return response.json()


@pytest.fixture
def browser_session(live_server, citizen) -> requests.Session:
    """The citizen, signed in through the real login form."""
    session = requests.Session()
    page = session.get(live_server.url + "/akun/masuk/", timeout=10)
    fields = form_inputs(page.text)
    fields.update(username=NIK, password=PASSWORD)
    signed_in = session.post(
        live_server.url + "/akun/masuk/", data=fields, allow_redirects=False, timeout=10
    )
    assert signed_in.status_code == 302, signed_in.text[:500]
    return session


def relying_party(scope: str, **kwargs) -> OAuth2Session:
    return OAuth2Session(
        CLIENT_ID, CLIENT_SECRET, scope=scope, redirect_uri=REDIRECT_URI,
        code_challenge_method="S256", **kwargs,
    )  # fmt: skip


def authorize(session: requests.Session, url: str, *, allow: bool = True) -> dict[str, list[str]]:
    """Show the consent page, answer it, and return the query of the redirect to the app."""
    consent = session.get(url, allow_redirects=False, timeout=10)
    assert consent.status_code == 200, consent.text[:500]
    fields = form_inputs(consent.text, "izin")
    if allow:
        fields["allow"] = "on"
    answer = session.post(consent.url, data=fields, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text[:500]
    location = answer.headers["Location"]
    assert location.startswith(REDIRECT_URI + "?")
    return parse_qs(urlsplit(location).query)


def sign_in_with_mpp(provider: dict, session: requests.Session, scope: str):
    """The whole flow; returns the relying party, its token and the nonce it sent."""
    rp = relying_party(scope)
    verifier, nonce = generate_token(48), generate_token(20)
    url, state = rp.create_authorization_url(
        provider["authorization_endpoint"], code_verifier=verifier, nonce=nonce
    )
    query = authorize(session, url)
    assert query["state"] == [state]
    assert query["iss"] == [provider["issuer"]]  # RFC 9207
    token = rp.fetch_token(
        provider["token_endpoint"], code=query["code"][0], code_verifier=verifier
    )
    return rp, token, nonce, query["code"][0], verifier


def id_token_claims(provider: dict, id_token: str, nonce: str) -> dict:
    keys = KeySet.import_key_set(requests.get(provider["jwks_uri"], timeout=10).json())
    token = jwt.decode(id_token, keys, algorithms=["RS256"])
    JWTClaimsRegistry(
        iss={"essential": True, "value": provider["issuer"]},
        aud={"essential": True, "value": CLIENT_ID},
        nonce={"essential": True, "value": nonce},
        sub={"essential": True},
        exp={"essential": True},
    ).validate(token.claims)
    return token.claims


def test_discovery_publishes_the_endpoints(live_server, provider):
    assert provider["issuer"] == live_server.url + "/o"
    assert provider["authorization_endpoint"] == live_server.url + "/o/authorize/"
    assert provider["jwks_uri"] == live_server.url + "/o/.well-known/jwks.json"
    assert "RS256" in provider["id_token_signing_alg_values_supported"]
    assert provider["subject_types_supported"] == ["pairwise"]
    assert {"nik", "birthdate", "phone_number"} <= set(provider["claims_supported"])
    same = requests.get(live_server.url + "/o/.well-known/openid-configuration", timeout=10)
    assert same.json() == provider


def test_citizen_signs_in_to_an_agency_app(live_server, provider, browser_session, app, citizen):
    rp, token, nonce, _code, _verifier = sign_in_with_mpp(
        provider, browser_session, "openid profile email phone"
    )
    claims = id_token_claims(provider, token["id_token"], nonce)
    assert claims["sub"] == pairwise_subject(CLIENT_ID, citizen.pk)
    assert claims["name"] == "Siti Aminah"
    assert claims["birthdate"] == "1990-08-17"
    assert claims["gender"] == "female"
    assert claims["email"] == "siti@example.id"
    assert claims["email_verified"] is True
    assert "nik" not in claims and "assurance_level" not in claims

    info = rp.get(provider["userinfo_endpoint"], timeout=10)
    assert info.status_code == 200
    assert info.json()["sub"] == claims["sub"]
    assert info.json()["name"] == "Siti Aminah"
    assert "nik" not in info.json()

    # the citizen sees each hand-over on "who used my data"
    log = DataAccess.objects.filter(citizen__user=citizen)
    assert log.count() == 2  # the ID token and the userinfo call
    assert {entry.accessor_label for entry in log} == {"Aplikasi Uji Disdukcapil"}
    assert "nik" not in log.first().fields


def test_nik_only_with_the_nik_scope(live_server, provider, browser_session, app, citizen):
    rp, token, nonce, _code, _verifier = sign_in_with_mpp(provider, browser_session, "openid nik")
    claims = id_token_claims(provider, token["id_token"], nonce)
    assert claims["nik"] == NIK
    assert claims["assurance_level"] == Citizen.Assurance.SELF_DECLARED
    assert "name" not in claims and "email" not in claims
    info = rp.get(provider["userinfo_endpoint"], timeout=10).json()
    assert info["nik"] == NIK
    assert DataAccess.objects.filter(citizen__user=citizen).first().fields == ["nik"]


def test_relying_party_detects_a_wrong_nonce_and_a_tampered_token(
    live_server, provider, browser_session, app
):
    _rp, token, nonce, _code, _verifier = sign_in_with_mpp(provider, browser_session, "openid")
    with pytest.raises(InvalidClaimError):
        id_token_claims(provider, token["id_token"], nonce="not-the-nonce-i-sent")

    header, payload, signature = token["id_token"].split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["sub"] = "someone-else"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    with pytest.raises(BadSignatureError):
        id_token_claims(provider, f"{header}.{forged}.{signature}", nonce)


def test_an_authorization_code_works_once(live_server, provider, browser_session, app):
    rp, _token, _nonce, code, verifier = sign_in_with_mpp(provider, browser_session, "openid")
    with pytest.raises(OAuthError) as refused:
        rp.fetch_token(provider["token_endpoint"], code=code, code_verifier=verifier)
    assert refused.value.error == "invalid_grant"


def test_a_wrong_code_verifier_is_refused(live_server, provider, browser_session, app):
    rp = relying_party("openid")
    url, _state = rp.create_authorization_url(
        provider["authorization_endpoint"], code_verifier=generate_token(48), nonce="n"
    )
    code = authorize(browser_session, url)["code"][0]
    with pytest.raises(OAuthError) as refused:
        rp.fetch_token(provider["token_endpoint"], code=code, code_verifier=generate_token(48))
    assert refused.value.error == "invalid_grant"


def test_pkce_is_required(live_server, provider, browser_session, app):
    rp = OAuth2Session(CLIENT_ID, CLIENT_SECRET, scope="openid", redirect_uri=REDIRECT_URI)
    url, _state = rp.create_authorization_url(provider["authorization_endpoint"], nonce="n")
    assert "code_challenge" not in url
    response = browser_session.get(url, allow_redirects=False, timeout=10)
    assert response.status_code == 302
    query = parse_qs(urlsplit(response.headers["Location"]).query)
    assert query["error"] == ["invalid_request"]
    assert "code" not in query


def test_an_unregistered_redirect_uri_is_refused(live_server, provider, browser_session, app):
    rp = OAuth2Session(
        CLIENT_ID, CLIENT_SECRET, scope="openid", redirect_uri="https://evil.example/callback",
        code_challenge_method="S256",
    )  # fmt: skip
    url, _state = rp.create_authorization_url(
        provider["authorization_endpoint"], code_verifier=generate_token(48), nonce="n"
    )
    response = browser_session.get(url, allow_redirects=False, timeout=10)
    assert response.status_code == 400
    assert "Location" not in response.headers
    assert "Permintaan masuk ditolak" in response.text


def test_the_citizen_may_refuse(live_server, provider, browser_session, app):
    rp = relying_party("openid profile")
    url, _state = rp.create_authorization_url(
        provider["authorization_endpoint"], code_verifier=generate_token(48), nonce="n"
    )
    query = authorize(browser_session, url, allow=False)
    assert query["error"] == ["access_denied"]
    assert "code" not in query


def test_a_public_client_may_not_ask_for_the_nik(live_server, provider, browser_session, app):
    Application.objects.filter(pk=app.pk).update(client_type=Application.CLIENT_PUBLIC)
    rp = relying_party("openid nik")
    url, _state = rp.create_authorization_url(
        provider["authorization_endpoint"], code_verifier=generate_token(48), nonce="n"
    )
    response = browser_session.get(url, allow_redirects=False, timeout=10)
    assert response.status_code == 302
    assert parse_qs(urlsplit(response.headers["Location"]).query)["error"] == ["invalid_scope"]


def test_signing_in_is_required_first(live_server, provider, app):
    rp = relying_party("openid")
    url, _state = rp.create_authorization_url(
        provider["authorization_endpoint"], code_verifier=generate_token(48), nonce="n"
    )
    response = requests.get(url, allow_redirects=False, timeout=10)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/akun/masuk/?next=")


def test_subjects_are_pairwise():
    assert pairwise_subject("app-a", 7) == pairwise_subject("app-a", 7)
    assert pairwise_subject("app-a", 7) != pairwise_subject("app-b", 7)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [(Role.NATIONAL_ADMIN, True), (Role.REGIONAL_MANAGER, False), (Role.AGENCY_ADMIN, False)],
)
def test_only_national_admins_register_clients(client, make_user, role, allowed):
    client.force_login(make_user(role))
    for name in ("changelist", "add"):
        response = client.get(reverse(f"admin:oauth2_provider_application_{name}"))
        assert response.status_code == (200 if allowed else 403)
    index = client.get(reverse("admin:index"))
    assert (b"oauth2_provider/application" in index.content) is allowed


def test_authorising_an_app_is_a_consent_and_withdrawing_it_revokes_the_tokens(
    live_server, provider, browser_session, app, citizen
):
    from oauth2_provider.models import get_access_token_model

    from mpp.accounts.consent import withdraw_consent
    from mpp.accounts.models import Consent

    rp, _token, _nonce, _code, _verifier = sign_in_with_mpp(
        provider, browser_session, "openid profile"
    )
    given = Consent.objects.get(citizen__user=citizen)
    assert (given.recipient, given.client_id) == ("Aplikasi Uji Disdukcapil", CLIENT_ID)
    assert given.fields == ["birth_date", "full_name", "sex"]
    assert rp.get(provider["userinfo_endpoint"], timeout=10).status_code == 200

    withdraw_consent(citizen=given.citizen, consent_id=given.pk)
    assert not get_access_token_model().objects.filter(user=citizen).exists()
    assert rp.get(provider["userinfo_endpoint"], timeout=10).status_code == 401
