"""A small `make reliability` in the suite: the agency simulator (tools/agency_simulator) in a
thread receives what the outbox delivers while it fails for a while and a worker dies mid-send,
then moves each application on through the inbound API over real HTTP. Everything arrives
signed and exactly once, and each application is moved once by the agency's system."""

import datetime
import time

import pytest
import requests
from django.db import connection
from django.db.models import Count
from django.utils import timezone
from oauth2_provider.models import Application as OAuthApplication
from tools.agency_simulator.simulator import Config, Simulator

from mpp.accounts.client_policy import set_client_policy
from mpp.cases import services as case_services
from mpp.cases.models import Application
from mpp.catalog.models import Channel, OfferingChannel
from mpp.core.roles import Role
from mpp.integrations import delivery, services
from mpp.integrations.models import OutboxEvent
from mpp.workflow.models import Transition

APPLICATIONS = 20
CLIENT_SECRET = "rahasia-simulator-2026"


@pytest.fixture
def simulator(settings):
    settings.MPP_OUTBOX_BACKOFF = 0.05
    settings.MPP_OUTBOX_BACKOFF_MAX = 0.2
    settings.MPP_OUTBOX_CIRCUIT_FAILURES = 10_000  # resting 30 s would only slow the test down
    sim = Simulator(Config(port=0, db=":memory:", delay=0, appliers=0, mode="error"))
    sim.start()
    yield sim
    sim.stop()


def agency_client(agency) -> OAuthApplication:
    app = OAuthApplication.objects.create(
        name="SIAK",
        client_type=OAuthApplication.CLIENT_CONFIDENTIAL,
        authorization_grant_type=OAuthApplication.GRANT_CLIENT_CREDENTIALS,
        client_secret=CLIENT_SECRET,
    )
    set_client_policy(application=app, allowed_scopes=["openid", "agency"], agency_id=agency.pk)
    return app


def deliver_until_done(session: requests.Session, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while OutboxEvent.objects.filter(status=OutboxEvent.Status.PENDING, leased_until=None).exists():
        assert time.monotonic() < deadline, "events still pending"
        if not delivery.deliver_batch(session, limit=8):
            time.sleep(0.05)


def wait_for(sim: Simulator, done, seconds: float = 25) -> dict:
    deadline = time.monotonic() + seconds
    while not done(stats := requests.get(f"{sim.url}/stats", timeout=5).json()):
        assert time.monotonic() < deadline, stats
        time.sleep(0.1)
    return stats


@pytest.mark.django_db(transaction=True)
def test_every_event_arrives_once_signed_and_moves_its_application_once(
    official_regions, live_server, simulator, request
):
    applicant = request.getfixturevalue("applicant")
    offering = request.getfixturevalue("akta_ready")
    OfferingChannel.objects.create(
        offering=offering, region_id=offering.region_id, kind=Channel.INTEGRATED
    )
    admin = request.getfixturevalue("make_officer")(Role.AGENCY_ADMIN, agency=offering.agency)
    registered = services.register_endpoint(
        user=admin, agency_id=offering.agency_id, name="SIAK", url=f"{simulator.url}/events",
        event_types=["application.submitted", "application.resubmitted"],
    )  # fmt: skip
    app = agency_client(offering.agency)
    simulator.config.secret = registered.secret
    simulator.config.platform = live_server.url
    simulator.config.client_id, simulator.config.client_secret = app.client_id, CLIENT_SECRET
    applications = [
        case_services.submit_application(
            user=applicant, offering_id=offering.pk, data={"child_name": f"Anak {n}"},
            idempotency_key=f"rel-{n}",
        ).application
        for n in range(APPLICATIONS)
    ]  # fmt: skip
    assert OutboxEvent.objects.count() == APPLICATIONS

    with requests.Session() as session:
        for _ in range(3):  # the agency system answers 500
            OutboxEvent.objects.update(next_attempt_at=timezone.now())
            delivery.deliver_batch(session, limit=8)
        assert not OutboxEvent.objects.filter(status=OutboxEvent.Status.DELIVERED).exists()
        simulator.faults.set("ok")

        # A worker claims five, sends three of them, and dies before recording anything.
        crashed = delivery.claim(limit=5, now=timezone.now())
        for event in crashed[:3]:
            assert delivery.send(session, event).ok
        deliver_until_done(session)
        assert OutboxEvent.objects.exclude(status=OutboxEvent.Status.DELIVERED).count() == 5

        later = timezone.now() + delivery.lease_length() + datetime.timedelta(seconds=1)
        for event in delivery.claim(limit=50, now=later):  # the leases expired: they go again
            delivery.record(event, delivery.send(session, event), now=timezone.now())

    assert set(OutboxEvent.objects.values_list("status", flat=True)) == {"delivered"}
    stats = requests.get(f"{simulator.url}/stats", timeout=5).json()
    assert stats["errors_injected"] >= 3
    assert (stats["received"], stats["duplicates"], stats["bad_signatures"]) == (APPLICATIONS, 3, 0)
    received = {e["subject"] for e in requests.get(f"{simulator.url}/events", timeout=5).json()}
    assert received == {a.tracking for a in applications}

    # Only now the agency system acts (on SQLite the live server shares this test's connection,
    # so nothing else touches the database meanwhile).
    simulator.start_appliers(1 if connection.vendor == "sqlite" else 3)
    stats = wait_for(simulator, lambda s: s["applied"] + s["apply_errors"] == APPLICATIONS)
    assert stats["apply_errors"] == 0 and stats["actions"] == 2 * APPLICATIONS

    by_agency = Transition.objects.filter(actor__isnull=True, actor_label__contains="SIAK")
    moves = by_agency.values("application_id", "step__key").annotate(n=Count("id"))
    assert len(moves) == 2 * APPLICATIONS and {m["n"] for m in moves} == {1}
    assert set(Application.objects.values_list("status", flat=True)) == {"approved"}

    forged = requests.post(
        f"{simulator.url}/events", data=b'{"id": "x"}', timeout=5,
        headers={"webhook-id": "x", "webhook-timestamp": str(int(time.time())),
                 "webhook-signature": "v1,Zm9yZ2Vk"},
    )  # fmt: skip
    assert forged.status_code == 401
    assert requests.get(f"{simulator.url}/stats", timeout=5).json()["bad_signatures"] == 1
