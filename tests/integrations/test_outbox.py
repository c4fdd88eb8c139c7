"""The outbox: events written with the change, delivered signed over real HTTP, in order per
application, retried with backoff, rested by the circuit breaker, dead-lettered and replayed."""

import datetime
import threading

import pytest
import requests
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from mpp.cases import services as case_services
from mpp.catalog.models import Channel, OfferingChannel
from mpp.core.errors import Conflict, InvalidInput, NotFound
from mpp.core.roles import Role
from mpp.integrations import delivery, events, services
from mpp.integrations.models import DeliveryAttempt, Endpoint, OutboxEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def integrated(akta_ready):
    OfferingChannel.objects.create(
        offering=akta_ready, region_id=akta_ready.region_id, kind=Channel.INTEGRATED
    )
    return akta_ready


@pytest.fixture
def agency_admin(make_officer, integrated):
    return make_officer(Role.AGENCY_ADMIN, agency=integrated.agency)


@pytest.fixture
def endpoint(agency_admin, integrated, receiver):
    registered = services.register_endpoint(
        user=agency_admin,
        agency_id=integrated.agency_id,
        name="SIAK Banyuwangi",
        url=receiver.url,
        event_types=["application.submitted", "application.resubmitted"],
    )
    receiver.secret = registered.secret
    return registered.endpoint


def submit(applicant, offering, key="k1"):
    return case_services.submit_application(
        user=applicant, offering_id=offering.pk, data={"child_name": "Budi"}, idempotency_key=key
    ).application


def deliver_all(rounds=5):
    with requests.Session() as session:
        return sum(delivery.deliver_batch(session) for _ in range(rounds))


def test_nothing_is_queued_for_a_service_the_agency_system_does_not_handle(
    applicant, akta_ready, make_officer
):
    application = submit(applicant, akta_ready)
    assert events.emit(application, "application.submitted") == 0
    assert not OutboxEvent.objects.exists()


def test_an_event_reaches_the_agency_signed_as_a_cloudevent(applicant, endpoint, receiver):
    application = submit(applicant, endpoint.agency.offerings.get())
    OutboxEvent.objects.all().delete()  # what submission queued, if hooked; emit it here
    assert events.emit(application, "application.submitted") == 1

    assert deliver_all() == 1
    [received] = receiver.received
    assert received.signature_ok
    assert received.headers["content-type"] == "application/cloudevents+json"
    event = received.event
    assert event["specversion"] == "1.0"
    assert event["type"] == "application.submitted"
    assert event["subject"] == application.tracking
    assert event["source"] == "/mpp-digital/35.10"
    assert event["data"]["form"] == {"child_name": "Budi"}
    assert event["data"]["applicant"] == {"name": "Siti Aminah"}
    assert "3510015708900001" not in received.body.decode()  # no NIK
    stored = OutboxEvent.objects.get()
    assert event["id"] == str(stored.event_id) == received.headers["webhook-id"]
    assert stored.status == OutboxEvent.Status.DELIVERED
    attempt = DeliveryAttempt.objects.get()
    assert attempt.ok and attempt.status_code == 200 and attempt.response_excerpt == "ok"


def test_an_event_for_a_type_the_endpoint_did_not_choose_is_not_queued(applicant, endpoint):
    application = submit(applicant, endpoint.agency.offerings.get())
    OutboxEvent.objects.all().delete()
    assert events.emit(application, "application.cancelled") == 0


def test_a_failure_backs_off_and_holds_back_later_events_of_that_application(
    applicant, endpoint, receiver, monkeypatch
):
    application = submit(applicant, endpoint.agency.offerings.get())
    OutboxEvent.objects.all().delete()
    events.emit(application, "application.submitted")
    events.emit(application, "application.resubmitted")
    receiver.status = 500

    monkeypatch.setattr(delivery.random, "uniform", lambda low, high: high)  # the longest wait
    before = timezone.now()
    assert deliver_all() == 1  # only the head of the line was tried
    first, second = OutboxEvent.objects.order_by("id")
    assert first.attempts == 1 and first.status == OutboxEvent.Status.PENDING
    # The first retry waits 2 s at most (the second would wait 4), from the end of the send.
    wait = first.next_attempt_at - before
    assert datetime.timedelta(seconds=2) <= wait < datetime.timedelta(seconds=4)
    assert second.attempts == 0
    assert DeliveryAttempt.objects.get().status_code == 500

    receiver.status = 200
    OutboxEvent.objects.update(next_attempt_at=timezone.now())
    deliver_all()
    types = [e["type"] for e in receiver.events()]
    assert types == ["application.submitted", "application.submitted", "application.resubmitted"]
    assert set(OutboxEvent.objects.values_list("status", flat=True)) == {"delivered"}


def test_a_receiver_that_is_down_is_retried_until_the_window_closes_then_dead_lettered(
    applicant, endpoint, receiver
):
    application = submit(applicant, endpoint.agency.offerings.get())
    OutboxEvent.objects.all().delete()
    events.emit(application, "application.submitted")
    endpoint.url = "http://127.0.0.1:9/nobody-listens"
    endpoint.save()
    with override_settings(MPP_OUTBOX_RETRY_HOURS=0.0001):  # 0.36 s
        deliver_all(rounds=1)
    event = OutboxEvent.objects.get()
    assert event.status == OutboxEvent.Status.DEAD
    assert "ConnectionError" in DeliveryAttempt.objects.get().error


def test_the_circuit_opens_after_repeated_failures_and_the_endpoint_rests(
    applicant, endpoint, receiver, settings
):
    settings.MPP_OUTBOX_CIRCUIT_FAILURES = 2
    offering = endpoint.agency.offerings.get()
    receiver.status = 503
    for n in range(3):
        events.emit(submit(applicant, offering, key=f"c{n}"), "application.submitted")
    for _ in range(2):
        OutboxEvent.objects.update(next_attempt_at=timezone.now())
        deliver_all(rounds=1)
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 2
    assert endpoint.circuit_open_until > timezone.now() + datetime.timedelta(seconds=25)

    OutboxEvent.objects.update(next_attempt_at=timezone.now())
    assert deliver_all(rounds=1) == 0  # resting: nothing is even tried
    Endpoint.objects.update(circuit_open_until=timezone.now())
    receiver.status = 200
    deliver_all()
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 0 and endpoint.circuit_open_until is None


def test_a_killed_worker_leaves_a_lease_that_expires_and_the_event_goes_again(
    applicant, endpoint, receiver
):
    application = submit(applicant, endpoint.agency.offerings.get())
    OutboxEvent.objects.all().delete()
    events.emit(application, "application.submitted")
    now = timezone.now()
    assert len(delivery.claim(limit=10, now=now)) == 1  # ... and the worker dies here
    assert delivery.claim(limit=10, now=now) == []
    later = now + delivery.lease_length() + datetime.timedelta(seconds=1)
    assert len(delivery.claim(limit=10, now=later)) == 1


def test_an_agency_admin_replays_a_dead_event_others_cannot(
    applicant, endpoint, receiver, agency_admin, make_officer
):
    application = submit(applicant, endpoint.agency.offerings.get())
    OutboxEvent.objects.all().delete()
    events.emit(application, "application.submitted")
    event = OutboxEvent.objects.get()
    with pytest.raises(Conflict):
        services.replay_event(user=agency_admin, event_id=event.pk)
    OutboxEvent.objects.update(status=OutboxEvent.Status.DEAD)

    stranger = make_officer(Role.AGENCY_ADMIN, region="33.14")
    with pytest.raises(NotFound):
        services.replay_event(user=stranger, event_id=event.pk)
    services.replay_event(user=agency_admin, event_id=event.pk)
    deliver_all()
    event.refresh_from_db()
    assert event.status == OutboxEvent.Status.DELIVERED and event.replayed_by == agency_admin


def test_registering_an_endpoint_checks_its_input_and_keeps_the_secret_encrypted(
    agency_admin, integrated, make_officer
):
    register = services.register_endpoint
    agency_id = integrated.agency_id
    with pytest.raises(InvalidInput) as error:
        register(user=agency_admin, agency_id=agency_id, name="x", url="ftp://a", event_types=[])
    assert error.value.field == "url"
    with pytest.raises(InvalidInput) as error:
        register(
            user=agency_admin, agency_id=agency_id, name="x", url="https://siak.example.id/e",
            event_types=["application.exploded"],
        )  # fmt: skip
    assert error.value.field == "event_types"
    other = make_officer(Role.AGENCY_ADMIN, region="33.14")
    with pytest.raises(NotFound):
        register(
            user=other, agency_id=agency_id, name="x", url="https://siak.example.id/e",
            event_types=["application.submitted"],
        )  # fmt: skip
    assert not Endpoint.objects.exists()

    registered = register(
        user=agency_admin, agency_id=agency_id, name="SIAK", url="https://siak.example.id/e",
        event_types=["application.submitted"],
    )  # fmt: skip
    assert registered.secret.startswith("whsec_")
    assert registered.secret not in Endpoint.objects.get().secret_cipher


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_never_claim_the_same_event(official_regions, request):
    applicant = request.getfixturevalue("applicant")
    endpoint = request.getfixturevalue("endpoint")
    offering = endpoint.agency.offerings.get()
    for n in range(20):
        submit(applicant, offering, key=f"w{n}")  # each submission queues its event
    assert OutboxEvent.objects.filter(type="application.submitted").count() == 20
    claimed: list[list[int]] = []
    barrier = threading.Barrier(2)

    def worker() -> None:
        barrier.wait()
        try:
            claimed.append([e.pk for e in delivery.claim(limit=15, now=timezone.now())])
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    first, second = claimed
    assert not set(first) & set(second)
    assert len(first) + len(second) == OutboxEvent.objects.count()


def test_every_move_of_an_integrated_application_queues_its_event(
    applicant, endpoint, make_officer
):
    Endpoint.objects.update(
        event_types=[
            "application.submitted", "application.resubmitted", "application.cancelled",
            "application.status_changed",
        ]
    )  # fmt: skip
    offering = endpoint.agency.offerings.get()
    application = submit(applicant, offering)
    officer = make_officer(Role.AGENCY_OFFICER, agency=offering.agency)
    case_services.act_on_application(
        user=officer, tracking=application.tracking, step_key="verifikasi",
        action="minta_perbaikan", reason="Nama anak beda", fields=["child_name"],
    )  # fmt: skip
    case_services.resubmit_application(
        user=applicant, tracking=application.tracking, data={"child_name": "Budi Santoso"}
    )
    case_services.cancel_application(user=applicant, tracking=application.tracking)

    queued = list(OutboxEvent.objects.order_by("id"))
    assert [e.type for e in queued] == [
        "application.submitted",
        "application.status_changed",
        "application.resubmitted",
        "application.cancelled",
    ]
    sent_back = queued[1].data["transition"]
    assert sent_back["action"] == "minta_perbaikan" and sent_back["fields"] == ["child_name"]
    assert queued[2].data["form"] == {"child_name": "Budi Santoso"}


def test_a_failed_submission_queues_nothing(applicant, endpoint):
    with pytest.raises(InvalidInput):
        case_services.submit_application(
            user=applicant, offering_id=endpoint.agency.offerings.get().pk, data={},
            idempotency_key="bad",
        )  # fmt: skip
    assert not OutboxEvent.objects.exists()


def test_an_overdue_application_is_asked_about_again_but_not_too_often(applicant, endpoint):
    from mpp.integrations import reconcile
    from mpp.workflow.models import Step

    Endpoint.objects.update(event_types=["application.status_requested"])
    application = submit(applicant, endpoint.agency.offerings.get())
    step = Step.objects.get(application=application, status=Step.Status.OPEN)
    assert reconcile.run() == 0  # not late yet
    later = step.due_at + datetime.timedelta(minutes=1)
    assert reconcile.run(now=later) == 1
    assert reconcile.run(now=later + datetime.timedelta(hours=1)) == 0
    asked = OutboxEvent.objects.get(type="application.status_requested")
    assert asked.data["overdue_step"]["key"] == step.key
    Endpoint.objects.update(is_active=False)
    assert reconcile.run(now=later + datetime.timedelta(hours=5)) == 0


def test_later_events_carry_the_state_not_the_form(applicant, endpoint, make_officer):
    Endpoint.objects.update(event_types=["application.submitted", "application.status_changed"])
    offering = endpoint.agency.offerings.get()
    application = submit(applicant, offering)
    case_services.act_on_application(
        user=make_officer(Role.AGENCY_OFFICER, agency=offering.agency),
        tracking=application.tracking, step_key="verifikasi", action="terima",
    )  # fmt: skip
    submitted, changed = OutboxEvent.objects.order_by("id")
    assert submitted.data["form"] == {"child_name": "Budi"}
    assert "form" not in changed.data and "applicant" not in changed.data
    assert changed.data["transition"]["action"] == "terima"


def test_a_send_that_outlived_its_lease_does_not_undo_the_delivery(applicant, endpoint):
    application = submit(applicant, endpoint.agency.offerings.get())
    OutboxEvent.objects.all().delete()
    events.emit(application, "application.submitted")
    now = timezone.now()
    [slow] = delivery.claim(limit=1, now=now)
    later = now + delivery.lease_length() + datetime.timedelta(seconds=1)
    [fast] = delivery.claim(limit=1, now=later)  # another worker took it over
    delivery.record(fast, delivery.Outcome(ok=True, latency_ms=5, status_code=200), now=later)
    delivery.record(slow, delivery.Outcome(ok=False, latency_ms=9000, error="Timeout"), now=later)
    event = OutboxEvent.objects.get()
    assert event.status == OutboxEvent.Status.DELIVERED and event.attempts == 1
    assert DeliveryAttempt.objects.count() == 2  # both tries stay in the log


def test_revoking_an_output_tells_the_citizen_and_the_agency_system(
    applicant, endpoint, make_officer, settings, tmp_path
):
    from mpp.cases import outputs
    from mpp.notifications.models import Notification

    settings.MEDIA_ROOT = str(tmp_path)
    Endpoint.objects.update(event_types=["output.revoked"])
    offering = endpoint.agency.offerings.get()
    application = submit(applicant, offering)
    officer = make_officer(Role.AGENCY_OFFICER, agency=offering.agency)
    for step, action in (("verifikasi", "terima"), ("penerbitan", "terbitkan")):
        case_services.act_on_application(
            user=officer, tracking=application.tracking, step_key=step, action=action
        )
    output = application.outputs.get()
    outputs.revoke_output(
        user=officer, code=output.code, public_reason="kesalahan_data", note="Data kelahiran keliru"
    )

    [revoked] = OutboxEvent.objects.filter(type="output.revoked")
    assert revoked.data["output"]["code"] == output.code
    told = Notification.objects.filter(user=applicant, title__contains="dicabut").get()
    assert "Kesalahan data pada dokumen" in told.body and "Data kelahiran keliru" in told.body


@pytest.mark.parametrize(
    "url",
    ["https://127.0.0.1/e", "https://localhost:8000/e", "https://10.1.2.3/e",
     "https://169.254.169.254/latest", "https://[::1]/e", "https://db.internal/e"],
)  # fmt: skip
def test_endpoints_on_the_platforms_own_network_are_refused(
    agency_admin, integrated, settings, url
):
    settings.MPP_OUTBOX_PRIVATE_HOSTS = False
    with pytest.raises(InvalidInput) as refused:
        services.register_endpoint(
            user=agency_admin, agency_id=integrated.agency_id, name="x", url=url,
            event_types=["application.submitted"],
        )  # fmt: skip
    assert refused.value.field == "url"
    assert not Endpoint.objects.exists()
