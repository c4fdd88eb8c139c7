"""Mobile and partner apps file applications with an OAuth2 bearer token, without CSRF; signed-in
browsers still need the CSRF token."""

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone
from oauth2_provider.models import AccessToken
from oauth2_provider.models import Application as OAuthClient

from mpp.cases.models import Application

pytestmark = pytest.mark.django_db


def token_for(user, scope: str) -> str:
    client = OAuthClient.objects.create(
        name="app",
        client_type=OAuthClient.CLIENT_PUBLIC,
        authorization_grant_type=OAuthClient.GRANT_AUTHORIZATION_CODE,
        redirect_uris="https://app.example.id/callback",
    )
    return AccessToken.objects.create(
        user=user,
        application=client,
        token=f"token-{scope}",
        expires=timezone.now() + datetime.timedelta(hours=1),
        scope=scope,
    ).token


def submit(client: Client, offering, key: str, **headers):
    body = {"offering_id": offering.pk, "data": {"child_name": "Budi"}}
    return client.post(
        "/api/v1/applications",
        json.dumps(body),
        content_type="application/json",
        headers={"Idempotency-Key": key, **headers},
    )


def test_a_bearer_token_files_without_csrf(applicant, akta_ready):
    client = Client(enforce_csrf_checks=True)
    token = token_for(applicant, "applications")
    response = submit(client, akta_ready, "m1", Authorization=f"Bearer {token}")
    assert response.status_code == 201, response.content
    assert Application.objects.get().submitted_by == applicant
    mine = client.get("/api/v1/applications", headers={"Authorization": f"Bearer {token}"})
    assert [a["tracking"] for a in mine.json()] == [response.json()["tracking"]]


def test_a_token_without_the_scope_files_nothing(applicant, akta_ready):
    client = Client(enforce_csrf_checks=True)
    token = token_for(applicant, "openid profile")
    response = submit(client, akta_ready, "m2", Authorization=f"Bearer {token}")
    assert response.status_code in (401, 403)
    assert not Application.objects.exists()


def test_a_session_still_needs_the_csrf_token(applicant, akta_ready):
    client = Client(enforce_csrf_checks=True)
    client.force_login(applicant)
    refused = submit(client, akta_ready, "s1")
    assert refused.status_code == 403
    assert not Application.objects.exists()

    client.get("/")  # sets the csrftoken cookie
    accepted = submit(
        client, akta_ready, "s2", **{"X-CSRFToken": client.cookies["csrftoken"].value}
    )
    assert accepted.status_code == 201, accepted.content


def test_a_bearer_token_changes_notification_settings_and_reads_them_without_csrf(applicant):
    client = Client(enforce_csrf_checks=True)
    auth = {"Authorization": f"Bearer {token_for(applicant, 'applications')}"}
    changed = client.put(
        "/api/v1/me/notification-preferences",
        json.dumps({"email": False, "sms": False, "whatsapp": False, "language": "en"}),
        content_type="application/json",
        headers=auth,
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["language"] == "en"
    marked = client.post(
        "/api/v1/me/notifications/read", "{}", content_type="application/json", headers=auth
    )
    assert marked.status_code == 200


@pytest.mark.parametrize(
    "spoil",
    [
        {"expires": timezone.now() - datetime.timedelta(seconds=1)},  # expired
        {"scope": "applicationsx"},  # a scope that only starts the same
        {"resource": ["https://other.example.id/api"]},  # meant for another audience
    ],
    ids=["expired", "other-scope", "other-audience"],
)
def test_a_spoiled_token_files_nothing(applicant, akta_ready, spoil):
    token = token_for(applicant, "applications")
    AccessToken.objects.filter(token=token).update(**spoil)
    response = submit(Client(), akta_ready, "m3", Authorization=f"Bearer {token}")
    assert response.status_code == 401
    assert not Application.objects.exists()


def test_an_unknown_token_or_a_disabled_user_files_nothing(applicant, akta_ready):
    token = token_for(applicant, "applications")
    unknown = submit(Client(), akta_ready, "m4", Authorization=f"Bearer {token}x")
    applicant.is_active = False
    applicant.save()
    disabled = submit(Client(), akta_ready, "m5", Authorization=f"Bearer {token}")
    assert (unknown.status_code, disabled.status_code) == (401, 401)
    assert not Application.objects.exists()


def test_a_token_for_this_audience_files(applicant, akta_ready):
    token = token_for(applicant, "applications")
    AccessToken.objects.filter(token=token).update(
        resource=["http://testserver/api/v1/applications"]
    )
    response = submit(Client(), akta_ready, "m6", Authorization=f"Bearer {token}")
    assert response.status_code == 201, response.content


def test_with_introspection_a_local_token_stays_local_and_an_unknown_one_is_asked(
    applicant, akta_ready, settings, monkeypatch
):
    """A token of this provider is judged here without a network call; one it does not know
    goes to the introspection server (its answer stands in for a server outside this machine,
    behind the requests call DOT makes)."""
    from oauth2_provider import oauth2_validators

    settings.OAUTH2_PROVIDER = {
        **settings.OAUTH2_PROVIDER,
        "RESOURCE_SERVER_INTROSPECTION_URL": "https://sso.example.go.id/introspect",
        "RESOURCE_SERVER_AUTH_TOKEN": "demo",
    }
    asked: list[str] = []

    class Answer:
        status_code = 200

        def __init__(self, token: str) -> None:
            self.token = token

        def json(self) -> dict:
            active = self.token == "from-the-national-sso"
            return {"active": active, "scope": "applications", "username": applicant.username}

    def post(url, data, headers):
        asked.append(data["token"])
        return Answer(data["token"])

    monkeypatch.setattr(oauth2_validators.requests, "post", post)
    local = token_for(applicant, "applications")
    assert submit(Client(), akta_ready, "m7", Authorization=f"Bearer {local}").status_code == 201
    assert asked == []
    outside = submit(Client(), akta_ready, "m8", Authorization="Bearer from-the-national-sso")
    refused = submit(Client(), akta_ready, "m9", Authorization="Bearer revoked-at-the-sso")
    assert (outside.status_code, refused.status_code) == (201, 401)
    assert asked == ["from-the-national-sso", "revoked-at-the-sso"]
    assert Application.objects.count() == 2
