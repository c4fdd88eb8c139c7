"""Agency systems move applications through the inbound API with OAuth2 client credentials,
under the same workflow rules as officers, idempotent by their own event id."""

import threading

import pytest
from django.db import connection
from django.test import Client
from oauth2_provider.models import Application as OAuthApplication

from mpp.accounts.client_policy import set_client_policy
from mpp.cases import services as case_services
from mpp.cases.models import Application
from mpp.catalog.models import Agency, AgencyKind
from mpp.workflow.models import Transition

pytestmark = pytest.mark.django_db
SECRET = "rahasia-siak-banyuwangi-2026"


def agency_app(agency, *, scopes=("openid", "agency"), grant=None):
    app = OAuthApplication.objects.create(
        name="SIAK",
        client_type=OAuthApplication.CLIENT_CONFIDENTIAL,
        authorization_grant_type=grant or OAuthApplication.GRANT_CLIENT_CREDENTIALS,
        client_secret=SECRET,
        hash_client_secret=True,
    )
    set_client_policy(application=app, allowed_scopes=list(scopes), agency_id=agency.pk)
    return app


def token_for(app, scope="agency") -> str:
    response = Client().post(
        "/o/token/",
        {"grant_type": "client_credentials", "scope": scope},
        HTTP_AUTHORIZATION=_basic(app.client_id, SECRET),
    )
    assert response.status_code == 200, response.content
    return response.json()["access_token"]


def _basic(user: str, password: str) -> str:
    import base64

    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


@pytest.fixture
def application(applicant, akta_ready):
    return case_services.submit_application(
        user=applicant, offering_id=akta_ready.pk, data={"child_name": "Budi"},
        idempotency_key="inbound-1",
    ).application  # fmt: skip


@pytest.fixture
def siak(akta_ready):
    return Client(HTTP_AUTHORIZATION="Bearer " + token_for(agency_app(akta_ready.agency)))


def act(client, tracking, action, **body):
    return client.post(
        f"/api/v1/agency/applications/{tracking}/actions/{action}",
        body, content_type="application/json",
    )  # fmt: skip


def test_the_agency_system_sees_what_it_may_do(siak, application):
    response = siak.get(f"/api/v1/agency/applications/{application.tracking}")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "submitted"
    assert body["actions"] == {"verifikasi": ["terima", "minta_perbaikan", "tolak"]}
    listed = siak.get("/api/v1/agency/applications?open=true").json()
    assert [row["tracking"] for row in listed] == [application.tracking]


def test_an_action_moves_the_application_once_whatever_the_retries(siak, application):
    first = act(siak, application.tracking, "terima", event_id="siak-001", step="verifikasi")
    assert first.status_code == 200, first.content
    assert first.json()["actions"] == {"penerbitan": ["terbitkan", "tolak"]}
    again = act(siak, application.tracking, "terima", event_id="siak-001", step="verifikasi")
    assert again.status_code == 200 and again.json() == first.json()
    assert Transition.objects.filter(application=application, action="terima").count() == 1
    transition = Transition.objects.get(application=application, action="terima")
    assert transition.actor is None and "SIAK" in transition.actor_label

    other = act(siak, application.tracking, "tolak", event_id="siak-001", step="penerbitan",
                reason="x")  # fmt: skip
    assert other.status_code == 409
    assert other.json()["detail"] == "event_id ini sudah dipakai untuk permintaan lain."


def test_a_transition_the_workflow_forbids_is_refused_and_changes_nothing(siak, application):
    response = act(siak, application.tracking, "terbitkan", event_id="e2", step="penerbitan")
    assert response.status_code == 409
    assert "langkah menunggu" in response.json()["detail"]
    missing_reason = act(siak, application.tracking, "tolak", event_id="e3", step="verifikasi")
    assert missing_reason.status_code == 400
    unknown_field = act(siak, application.tracking, "minta_perbaikan", event_id="e4",
                        step="verifikasi", reason="x", fields=["nama_ayah"])  # fmt: skip
    assert unknown_field.status_code == 400 and "nama_ayah" in unknown_field.json()["detail"]
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED and application.version == 1


def test_another_regions_or_another_agencys_application_is_not_found(siak, application, akta_ready):
    assert siak.get("/api/v1/agency/applications/3510-000000-00000-0").status_code == 404
    kind = AgencyKind.objects.create(slug="kantor-lain", name="Kantor lain", level="regional")
    elsewhere = Agency.objects.create(kind=kind, region_id="33.14", name="Kantor Sragen")
    stranger = Client(HTTP_AUTHORIZATION="Bearer " + token_for(agency_app(elsewhere)))
    assert stranger.get(f"/api/v1/agency/applications/{application.tracking}").status_code == 404
    response = act(stranger, application.tracking, "terima", event_id="x1", step="verifikasi")
    assert response.status_code == 404
    assert stranger.get("/api/v1/agency/applications").json() == []
    application.refresh_from_db()
    assert application.version == 1


def test_tokens_that_are_not_an_agency_systems_are_refused(akta_ready, application):
    assert Client().get("/api/v1/agency/applications").status_code == 401
    no_scope = agency_app(akta_ready.agency, scopes=("openid",))
    response = Client().post(
        "/o/token/", {"grant_type": "client_credentials", "scope": "agency"},
        HTTP_AUTHORIZATION=_basic(no_scope.client_id, SECRET),
    )  # fmt: skip
    assert response.status_code == 400 and response.json()["error"] == "invalid_scope"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_event_sent_twice_at_once_moves_the_application_once(official_regions, request):
    applicant = request.getfixturevalue("applicant")
    akta_ready = request.getfixturevalue("akta_ready")
    application = case_services.submit_application(
        user=applicant, offering_id=akta_ready.pk, data={"child_name": "Budi"},
        idempotency_key="race",
    ).application  # fmt: skip
    token = token_for(agency_app(akta_ready.agency))
    barrier = threading.Barrier(4)
    codes: list[int] = []

    def send() -> None:
        barrier.wait()
        try:
            client = Client(HTTP_AUTHORIZATION="Bearer " + token)
            codes.append(
                act(
                    client, application.tracking, "terima", event_id="dup", step="verifikasi"
                ).status_code
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert codes == [200] * 4
    assert Transition.objects.filter(application=application, action="terima").count() == 1


def test_the_agency_system_writes_to_the_citizen_once(siak, application):
    from mpp.notifications.models import Notification
    from mpp.workflow.models import Comment

    def send(**body):
        return siak.post(
            f"/api/v1/agency/applications/{application.tracking}/comments",
            body, content_type="application/json",
        )  # fmt: skip

    first = send(event_id="c-1", body="Silakan bawa KK asli ke loket.", to_citizen=True)
    assert first.status_code == 200, first.content
    assert send(event_id="c-1", body="Silakan bawa KK asli ke loket.", to_citizen=True).json() == (
        first.json()
    )
    note = Comment.objects.get()
    assert note.to_citizen and note.author is None and "SIAK" in note.author_label
    assert Notification.objects.filter(body__contains="KK asli").count() == 1
    assert send(event_id="c-2", body="  ", to_citizen=False).status_code == 400
    assert send(event_id="c-1", body="lain", to_citizen=False).status_code == 409
    assert Comment.objects.count() == 1


def test_the_list_pages_by_the_last_tracking_number(siak, application, applicant, akta_ready):
    from mpp.integrations import inbound_api

    second = case_services.submit_application(
        user=applicant, offering_id=akta_ready.pk, data={"child_name": "Ani"},
        idempotency_key="inbound-2",
    ).application  # fmt: skip
    inbound_api.PAGE, saved = 1, inbound_api.PAGE
    try:
        first_page = siak.get("/api/v1/agency/applications").json()
        next_page = siak.get(
            f"/api/v1/agency/applications?after={first_page[-1]['tracking']}"
        ).json()
    finally:
        inbound_api.PAGE = saved
    assert [r["tracking"] for r in first_page + next_page] == [
        application.tracking,
        second.tracking,
    ]
    assert siak.get("/api/v1/agency/applications?after=nope").status_code == 404


def test_the_state_names_the_applicant_as_the_agencys_sign_in_app_knows_them(
    siak, application, akta_ready, applicant
):
    """A link-out app checks the person signed in by SSO against this before trusting
    `mpp_tracking`."""
    from mpp.accounts.oidc import pairwise_subject

    sign_in = OAuthApplication.objects.create(
        name="SIAK web", client_type=OAuthApplication.CLIENT_CONFIDENTIAL,
        authorization_grant_type=OAuthApplication.GRANT_AUTHORIZATION_CODE,
        redirect_uris="https://siak.example.id/callback",
    )  # fmt: skip
    set_client_policy(
        application=sign_in, allowed_scopes=["openid", "profile"], agency_id=akta_ready.agency_id
    )
    state = siak.get(f"/api/v1/agency/applications/{application.tracking}").json()
    assert state["applicant_subs"] == {
        sign_in.client_id: pairwise_subject(sign_in.client_id, applicant.pk)
    }
