"""/api/v1/me/notifications, /api/v1/me/notification-preferences and the /notifikasi/ pages."""

import datetime
import json

import pytest
from django.utils import timezone
from oauth2_provider.models import get_access_token_model, get_application_model

from mpp.notifications import services
from mpp.notifications.models import Notification, NotificationPreference

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_inboxes(applicant, make_user):
    other = make_user()
    for title in ("pesan-satu", "pesan-dua"):
        services.notify(applicant, title=title, body="isi", link="/permohonan/x/", channels=())
    services.notify(other, title="milik orang lain", body="", channels=())
    return applicant, other


def bearer(user, scope):
    app = get_application_model().objects.create(
        name="Aplikasi seluler", client_type="public", authorization_grant_type="authorization-code"
    )
    token = get_access_token_model().objects.create(
        user=user, application=app, token=f"t-{scope}", scope=scope,
        expires=timezone.now() + datetime.timedelta(hours=1),
    )  # fmt: skip
    return {"Authorization": f"Bearer {token.token}"}


def test_inbox_newest_first_and_only_mine(client, two_inboxes):
    applicant, _other = two_inboxes
    client.force_login(applicant)
    body = client.get("/api/v1/me/notifications").json()
    assert body["unread"] == 2
    assert [n["title"] for n in body["items"]] == ["pesan-dua", "pesan-satu"]
    assert body["items"][0]["link"] == "/permohonan/x/"


def test_mark_read_by_ids_and_all_and_never_anothers(client, two_inboxes):
    applicant, other = two_inboxes
    theirs = Notification.objects.get(user=other)
    mine = Notification.objects.filter(user=applicant).order_by("id").first()
    client.force_login(applicant)
    url = "/api/v1/me/notifications/read"

    answer = client.post(url, json.dumps({"ids": [theirs.pk]}), content_type="application/json")
    assert answer.status_code == 200 and answer.json() == {"marked": 0}
    assert Notification.objects.get(pk=theirs.pk).read_at is None

    answer = client.post(url, json.dumps({"ids": [mine.pk]}), content_type="application/json")
    assert answer.json() == {"marked": 1}
    unread = client.get("/api/v1/me/notifications?unread=true").json()
    assert [n["title"] for n in unread["items"]] == ["pesan-dua"]
    assert client.post(url, "{}", content_type="application/json").json() == {"marked": 1}
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_bad_input_and_no_login(client, applicant):
    assert client.get("/api/v1/me/notifications").status_code == 401
    assert client.get("/api/v1/me/notification-preferences").status_code == 401
    client.force_login(applicant)
    bad = client.post(
        "/api/v1/me/notifications/read", '{"ids": ["x"]}', content_type="application/json"
    )
    assert bad.status_code == 422
    assert client.get("/api/v1/me/notifications?page=0").status_code == 422


def test_preferences_get_and_put(client, applicant):
    client.force_login(applicant)
    url = "/api/v1/me/notification-preferences"
    assert client.get(url).json() == {
        "email": True, "sms": False, "whatsapp": False, "language": "id",
        "email_available": True, "phone_available": False, "chosen": False,
    }  # fmt: skip

    put = client.put(
        url, json.dumps({"email": False, "sms": False, "whatsapp": False, "language": "en"}),
        content_type="application/json",
    )  # fmt: skip
    assert put.status_code == 200 and put.json()["chosen"] is True
    assert put.json()["language"] == "en" and put.json()["email"] is False

    refused = client.put(
        url, json.dumps({"email": True, "sms": True, "whatsapp": False, "language": "id"}),
        content_type="application/json",
    )  # fmt: skip
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"] == "sms"
    assert NotificationPreference.objects.get(user=applicant).language == "en"  # unchanged


def test_bearer_token_with_the_applications_scope(client, two_inboxes):
    applicant, _other = two_inboxes
    ok = client.get("/api/v1/me/notifications", headers=bearer(applicant, "applications"))
    assert ok.status_code == 200 and len(ok.json()["items"]) == 2
    wrong = client.get("/api/v1/me/notifications", headers=bearer(applicant, "openid"))
    assert wrong.status_code == 401


def test_pages_list_mark_all_and_open_one(client, two_inboxes):
    applicant, other = two_inboxes
    assert client.get("/notifikasi/").status_code == 302  # sign in first
    client.force_login(applicant)

    page = client.get("/notifikasi/").content.decode()
    assert page.count("card--unread") == 2 and "milik orang lain" not in page
    assert 'class="badge badge--count">2' in page
    assert page.index("pesan-dua") < page.index("pesan-satu")

    theirs = Notification.objects.get(user=other)
    assert client.post(f"/notifikasi/{theirs.pk}/buka/").status_code == 404
    first = Notification.objects.filter(user=applicant).order_by("id").first()
    opened = client.post(f"/notifikasi/{first.pk}/buka/")
    assert opened.status_code == 302 and opened["Location"] == "/permohonan/x/"

    assert client.get("/notifikasi/tandai-dibaca/").status_code == 405
    client.post("/notifikasi/tandai-dibaca/")
    page = client.get("/notifikasi/").content.decode()
    assert "card--unread" not in page and "badge--count" not in page
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_preferences_page(client, applicant):
    client.force_login(applicant)
    assert "siti@example.id" in client.get("/notifikasi/pengaturan/").content.decode()
    saved = client.post("/notifikasi/pengaturan/", {"language": "en"})
    assert saved.status_code == 302
    stored = NotificationPreference.objects.get(user=applicant)
    assert (stored.email, stored.sms, stored.language) == (False, False, "en")

    refused = client.post("/notifikasi/pengaturan/", {"sms": "on", "language": "id"})
    assert refused.status_code == 400
    assert NotificationPreference.objects.get(user=applicant).language == "en"
