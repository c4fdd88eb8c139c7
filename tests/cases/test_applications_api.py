"""/api/v1/applications: submit with Idempotency-Key, follow, act, correct, public status."""

import json
import threading

import pytest
from django.db import connection

from mpp.cases import services
from mpp.cases.models import Application
from mpp.core.roles import Role
from mpp.workflow.models import Transition

pytestmark = pytest.mark.django_db


def post(client, url, body, **headers):
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


@pytest.fixture
def citizen_client(client, applicant):
    client.force_login(applicant)
    return client


def body(offering, **data):
    return {"offering_id": offering.pk, "data": {"child_name": "Budi", **data}}


def test_submit_then_replay_then_conflict(citizen_client, akta_ready):
    first = post(
        citizen_client, "/api/v1/applications", body(akta_ready), **{"Idempotency-Key": "a1"}
    )
    assert first.status_code == 201, first.content
    tracking = first.json()["tracking"]
    assert first["Location"] == f"/api/v1/applications/{tracking}"
    assert first.json()["steps"][0]["key"] == "verifikasi"

    again = post(
        citizen_client, "/api/v1/applications", body(akta_ready), **{"Idempotency-Key": "a1"}
    )
    assert again.status_code == 200 and again.json()["tracking"] == tracking
    assert again["Idempotent-Replayed"] == "true"

    other = post(
        citizen_client, "/api/v1/applications", body(akta_ready, child_name="Ani"),
        **{"Idempotency-Key": "a1"},
    )  # fmt: skip
    assert other.status_code == 409
    assert other["Content-Type"] == "application/problem+json"
    assert Application.objects.count() == 1


def test_the_201_answer_is_what_a_later_get_shows(citizen_client, akta_ready):
    """The answer to a submission is built from the objects just written, not read back: it
    must say exactly what the application's own address says afterwards, and so must a replay."""
    created = post(
        citizen_client, "/api/v1/applications", body(akta_ready), **{"Idempotency-Key": "g1"}
    )
    assert created.status_code == 201, created.content
    shown = citizen_client.get(created["Location"])
    assert shown.status_code == 200
    assert created.json() == shown.json()
    replayed = post(
        citizen_client, "/api/v1/applications", body(akta_ready), **{"Idempotency-Key": "g1"}
    )
    assert replayed.json() == shown.json()


def test_missing_key_and_bad_fields_change_nothing(citizen_client, akta_ready):
    no_key = post(citizen_client, "/api/v1/applications", body(akta_ready))
    assert no_key.status_code == 400
    assert no_key.json()["errors"][0]["field"] == "Idempotency-Key"

    bad = post(
        citizen_client,
        "/api/v1/applications",
        {"offering_id": akta_ready.pk, "data": {"remarks": "x" * 5000}},
        **{"Idempotency-Key": "b1"},
    )
    assert bad.status_code == 400
    fields = {e["field"] for e in bad.json()["errors"]}
    assert "child_name" in fields  # every field error at once
    assert not Application.objects.exists()
    # The refused key was not spent: the corrected request goes through with it.
    good = post(
        citizen_client, "/api/v1/applications", body(akta_ready), **{"Idempotency-Key": "b1"}
    )
    assert good.status_code == 201


def test_unknown_or_inactive_offering_is_404(citizen_client, akta_ready):
    response = post(
        citizen_client, "/api/v1/applications", {"offering_id": 999999, "data": {}},
        **{"Idempotency-Key": "c1"},
    )  # fmt: skip
    assert response.status_code == 404


def test_anonymous_is_401(client, akta_ready):
    response = post(client, "/api/v1/applications", body(akta_ready), **{"Idempotency-Key": "d"})
    assert response.status_code == 401


def test_mine_detail_and_other_citizens(citizen_client, applicant, akta_ready, make_user):
    created = post(
        citizen_client, "/api/v1/applications", body(akta_ready), **{"Idempotency-Key": "e"}
    )
    tracking = created.json()["tracking"]
    mine = citizen_client.get("/api/v1/applications")
    assert [a["tracking"] for a in mine.json()] == [tracking]
    assert citizen_client.get(f"/api/v1/applications/{tracking}").json()["data"] == {
        "child_name": "Budi"
    }
    stranger = make_user()
    citizen_client.force_login(stranger)
    assert citizen_client.get(f"/api/v1/applications/{tracking}").status_code == 404


def test_officer_flow_with_version_check_and_access_log(
    client, applicant, akta_ready, make_officer
):
    application = services.submit_application(
        user=applicant, offering_id=akta_ready.pk, data={"child_name": "Budi"}, idempotency_key="f"
    ).application
    officer = make_officer(Role.AGENCY_OFFICER, agency=akta_ready.agency)
    client.force_login(officer)

    queue = client.get("/api/v1/work-queue").json()
    assert [(i["tracking"], i["step"], i["sla"]) for i in queue] == [
        (application.tracking, "verifikasi", queue[0]["sla"])
    ]
    assert queue[0]["sla"] in ("on_time", "due_today")
    detail = client.get(f"/api/v1/applications/{application.tracking}").json()
    assert detail["steps"][0]["actions"] == ["terima", "minta_perbaikan", "tolak"]
    assert applicant.citizen.data_accesses.filter(accessor=officer).exists()

    url = f"/api/v1/applications/{application.tracking}/actions/minta_perbaikan"
    unknown = post(
        client, url, {"step": "verifikasi", "reason": "x", "fields": ["child_name", "<b>ktp</b>"]}
    )
    assert unknown.status_code == 400
    assert unknown.json()["detail"] == ("Isian ini tidak ada pada formulir permohonan: <b>ktp</b>.")
    stray_note = post(client, url, {"step": "verifikasi", "reason": "x", "fields": ["child_name"],
                                    "notes": {"remarks": "bukan yang diminta"}})  # fmt: skip
    assert stray_note.status_code == 400 and stray_note.json()["errors"][0]["field"] == "notes"
    stale = post(client, url, {"step": "verifikasi", "reason": "x", "fields": ["child_name"]},
                 **{"If-Match": "5"})  # fmt: skip
    assert stale.status_code == 409
    sent = post(
        client, url, {"step": "verifikasi", "reason": "Nama buram", "fields": ["child_name"],
                      "notes": {"child_name": " Tulis   nama lengkap "}},
        **{"If-Match": '"1"'},
    )  # fmt: skip
    assert sent.status_code == 200, sent.content
    assert sent.json()["status"] == "needs_correction"

    client.force_login(applicant)
    fixed = post(
        client, f"/api/v1/applications/{application.tracking}/resubmit",
        {"data": {"child_name": "Budi Santoso"}},
    )  # fmt: skip
    assert fixed.status_code == 200 and fixed.json()["status"] == "in_progress"
    timeline = [e["action"] for e in fixed.json()["timeline"]]
    assert timeline == ["submit", "minta_perbaikan", "resubmit"]
    asked, corrected = fixed.json()["timeline"][1:]
    assert (asked["fields"], corrected["changed"]) == (["child_name"], ["child_name"])
    assert asked["notes"] == {"child_name": "Tulis nama lengkap"}


def test_officer_of_another_region_gets_404(client, applicant, akta_ready, make_officer):
    application = services.submit_application(
        user=applicant, offering_id=akta_ready.pk, data={"child_name": "Budi"}, idempotency_key="g"
    ).application
    client.force_login(make_officer(Role.AGENCY_OFFICER, agency=None, region="33.14"))
    assert client.get(f"/api/v1/applications/{application.tracking}").status_code == 404
    response = post(
        client,
        f"/api/v1/applications/{application.tracking}/actions/terima",
        {"step": "verifikasi"},
    )
    assert response.status_code == 404
    assert Transition.objects.count() == 1


def test_claim_is_exclusive(client, applicant, akta_ready, make_officer):
    application = services.submit_application(
        user=applicant, offering_id=akta_ready.pk, data={"child_name": "Budi"}, idempotency_key="h"
    ).application
    first, second = (make_officer(Role.AGENCY_OFFICER, agency=akta_ready.agency) for _ in "ab")
    url = f"/api/v1/applications/{application.tracking}/claim"
    client.force_login(first)
    assert post(client, url, {"step": "verifikasi"}).status_code == 200
    assert client.get("/api/v1/work-queue?mine=true").json()[0]["claimed_by"] == first.username
    client.force_login(second)
    assert post(client, url, {"step": "verifikasi"}).status_code == 409
    # Nor may the second officer act on the step the first holds; a supervisor may.
    act = f"/api/v1/applications/{application.tracking}/actions/terima"
    refused = post(client, act, {"step": "verifikasi"})
    assert refused.status_code == 409 and "sedang dipegang" in refused.json()["detail"]
    application.refresh_from_db()
    assert application.version == 1 and application.status == "submitted"
    client.force_login(make_officer(Role.AGENCY_ADMIN, agency=akta_ready.agency))
    assert post(client, act, {"step": "verifikasi"}).status_code == 200


def test_public_status_shows_no_personal_data(client, applicant, akta_ready):
    application = services.submit_application(
        user=applicant, offering_id=akta_ready.pk, data={"child_name": "Budi"}, idempotency_key="i"
    ).application
    ok = client.get(f"/api/v1/status?tracking={application.tracking}&nik4=0001")
    assert ok.status_code == 200
    text = ok.content.decode()
    assert "Budi" not in text and "Siti" not in text and "3510015708900001" not in text
    assert ok.json()["steps"][0]["status"] == "open"
    assert (
        client.get(f"/api/v1/status?tracking={application.tracking}&nik4=9999").status_code == 404
    )
    assert client.get(f"/api/v1/status?tracking={application.tracking}&nik4=ab").status_code == 422


def test_public_status_is_rate_limited(client):
    codes = [
        client.get("/api/v1/status?tracking=3510-261123-00001-0&nik4=0000").status_code
        for _ in range(31)
    ]
    assert codes[:30] == [404] * 30 and codes[30] == 429


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_make_one_application(official_regions, request):
    """A double-click: the same key twice at the same moment (PostgreSQL only: real locking)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, there is no race to test")
    applicant = request.getfixturevalue("applicant")
    offering = request.getfixturevalue("akta_ready")
    barrier = threading.Barrier(4)
    results: list = []

    def submit():
        try:
            barrier.wait()
            results.append(
                services.submit_application(
                    user=applicant,
                    offering_id=offering.pk,
                    data={"child_name": "Budi"},
                    idempotency_key="race",
                )
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 4
    assert len({r.application.pk for r in results}) == 1
    assert sorted(r.replayed for r in results) == [False, True, True, True]
    assert Application.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_officers_never_lose_a_transition(official_regions, request):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, there is no race to test")
    applicant = request.getfixturevalue("applicant")
    offering = request.getfixturevalue("akta_ready")
    make_officer = request.getfixturevalue("make_officer")
    application = services.submit_application(
        user=applicant, offering_id=offering.pk, data={"child_name": "Budi"}, idempotency_key="x"
    ).application
    officers = [make_officer(Role.AGENCY_OFFICER, agency=offering.agency) for _ in range(4)]
    barrier = threading.Barrier(4)
    outcomes: list = []

    def act(officer, action):
        try:
            barrier.wait()
            services.act_on_application(
                user=officer, tracking=application.tracking, step_key="verifikasi",
                action=action, reason="r", fields=["child_name"],
            )  # fmt: skip
            outcomes.append(action)
        except Exception as error:
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    actions = ["terima", "minta_perbaikan", "tolak", "terima"]
    threads = [
        threading.Thread(target=act, args=pair) for pair in zip(officers, actions, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [o for o in outcomes if o in actions]
    assert len(winners) == 1 and outcomes.count("Conflict") == 3
    application.refresh_from_db()
    assert application.version == 2
    assert Transition.objects.filter(application=application).count() == 2
