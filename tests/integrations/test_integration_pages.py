"""Agency admins register endpoints, read the delivery log and replay dead events on pages;
nobody else sees them."""

import re

import pytest

from mpp.core.roles import Role
from mpp.integrations import services
from mpp.integrations.models import DeliveryAttempt, Endpoint, OutboxEvent

pytestmark = pytest.mark.django_db
PAGE = "/petugas/integrasi/"


@pytest.fixture
def admin_client(client, make_officer, akta_ready):
    admin = make_officer(Role.AGENCY_ADMIN, agency=akta_ready.agency)
    client.force_login(admin)
    client.admin = admin
    return client


def register(client, agency, **overrides):
    form = {
        "agency": agency.pk, "name": "SIAK", "url": "https://siak.example.id/events",
        "event_types": ["application.submitted", "application.cancelled"], **overrides,
    }  # fmt: skip
    return client.post(PAGE, form)


def test_an_agency_admin_registers_an_endpoint_and_sees_the_secret_once(admin_client, akta_ready):
    response = register(admin_client, akta_ready.agency)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    secret = re.search(r'value="(whsec_[^"]+)"', response.content.decode())[1]
    endpoint = Endpoint.objects.get()
    assert endpoint.event_types == ["application.cancelled", "application.submitted"]
    assert secret not in endpoint.secret_cipher
    listing = admin_client.get(PAGE).content.decode()
    assert "SIAK" in listing and secret not in listing
    assert secret not in admin_client.get(f"{PAGE}{endpoint.pk}/").content.decode()


def test_bad_input_is_shown_on_the_form_and_stores_nothing(admin_client, akta_ready):
    response = register(admin_client, akta_ready.agency, url="ftp://siak", event_types=[])
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"event_types"}
    assert 'class="error" role="alert"' in response.content.decode()
    response = register(admin_client, akta_ready.agency, url="ftp://siak")
    assert response.status_code == 400
    assert "Alamat penerima harus URL" in response.content.decode()
    assert not Endpoint.objects.exists()


def test_the_log_shows_each_try_and_a_dead_event_can_be_sent_again(
    admin_client, akta_ready, applicant
):
    endpoint = services.register_endpoint(
        user=admin_client.admin, agency_id=akta_ready.agency_id, name="SIAK",
        url="https://siak.example.id/events", event_types=["application.submitted"],
    ).endpoint  # fmt: skip
    from django.utils import timezone

    now = timezone.now()
    event = OutboxEvent.objects.create(
        endpoint=endpoint, type="application.submitted", subject="3510-261123-00001-7",
        data={}, created_at=now, retry_from=now, next_attempt_at=now,
        status=OutboxEvent.Status.DEAD, attempts=1,
    )  # fmt: skip
    DeliveryAttempt.objects.create(
        event=event, attempted_at=now, status_code=503, latency_ms=41, ok=False,
        response_excerpt="SIAK sedang pemeliharaan",
    )  # fmt: skip
    page = admin_client.get(f"{PAGE}{endpoint.pk}/?status=dead").content.decode()
    assert "HTTP 503" in page and "SIAK sedang pemeliharaan" in page and "Kirim ulang" in page

    response = admin_client.post(f"{PAGE}{endpoint.pk}/", {"action": "replay", "event": event.pk})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == OutboxEvent.Status.PENDING and event.replayed_by == admin_client.admin
    again = admin_client.post(f"{PAGE}{endpoint.pk}/", {"action": "replay", "event": event.pk})
    assert again.status_code == 409
    assert admin_client.post(f"{PAGE}{endpoint.pk}/", {"action": "x"}).status_code == 400
    garbage = admin_client.post(f"{PAGE}{endpoint.pk}/", {"action": "replay", "event": "abc"})
    assert garbage.status_code == 404


def test_others_see_nothing(client, make_officer, akta_ready, applicant):
    endpoint = services.register_endpoint(
        user=make_officer(Role.AGENCY_ADMIN, agency=akta_ready.agency),
        agency_id=akta_ready.agency_id, name="SIAK", url="https://siak.example.id/e",
        event_types=["application.submitted"],
    ).endpoint  # fmt: skip
    client.force_login(make_officer(Role.AGENCY_ADMIN, region="33.14"))
    assert "SIAK" not in client.get(PAGE).content.decode()
    assert client.get(f"{PAGE}{endpoint.pk}/").status_code == 404
    client.force_login(make_officer(Role.AGENCY_OFFICER, agency=akta_ready.agency))
    assert client.get(PAGE).status_code == 403
    client.force_login(applicant)
    assert client.get(PAGE).status_code == 403
    client.logout()
    assert client.get(PAGE).status_code == 302


def test_the_same_over_the_api(admin_client, akta_ready, make_officer):
    created = admin_client.post(
        "/api/v1/integrations/endpoints",
        {"agency_id": akta_ready.agency_id, "name": "SIAK", "url": "https://siak.example.id/e",
         "event_types": ["application.submitted"]},
        content_type="application/json",
    )  # fmt: skip
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["secret"].startswith("whsec_") and body["endpoint"]["name"] == "SIAK"
    endpoint_id = body["endpoint"]["id"]
    listed = admin_client.get("/api/v1/integrations/endpoints").json()
    assert [e["id"] for e in listed] == [endpoint_id] and "secret" not in listed[0]
    changed = admin_client.put(
        f"/api/v1/integrations/endpoints/{endpoint_id}",
        {"url": "https://siak.example.id/v2", "event_types": ["application.cancelled"],
         "is_active": False},
        content_type="application/json",
    )  # fmt: skip
    assert changed.status_code == 200 and changed.json()["is_active"] is False
    bad = admin_client.put(
        f"/api/v1/integrations/endpoints/{endpoint_id}",
        {"url": "nope", "event_types": ["application.cancelled"]},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "url"
    rotated = admin_client.post(f"/api/v1/integrations/endpoints/{endpoint_id}/rotate-secret")
    assert rotated.json()["secret"] != body["secret"]
    assert admin_client.get(f"/api/v1/integrations/endpoints/{endpoint_id}/events").json() == []
    assert admin_client.post("/api/v1/integrations/events/999/replay").status_code == 404

    admin_client.force_login(make_officer(Role.AGENCY_ADMIN, region="33.14"))
    assert admin_client.get("/api/v1/integrations/endpoints").json() == []
    gone = admin_client.get(f"/api/v1/integrations/endpoints/{endpoint_id}/events")
    assert gone.status_code == 404
