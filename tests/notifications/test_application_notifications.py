"""Every move of an application reaches its citizen: what is said, where, and in which language."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction

from mpp.cases import comments, services
from mpp.cases.models import Application
from mpp.core.roles import Role
from mpp.notifications.models import Notification
from mpp.notifications.services import set_preferences
from mpp.workflow import timers
from mpp.workflow.models import Step
from mpp.workflow.services import save_process
from tests.notifications.conftest import PHONE
from tests.support.cases import demo_process, serve

pytestmark = pytest.mark.django_db


def submit(user, offering, key="k-1", on_behalf_of=None):
    return services.submit_application(
        user=user, offering_id=offering.pk, data={"child_name": "Budi"},
        idempotency_key=key, on_behalf_of=on_behalf_of,
    ).application  # fmt: skip


@pytest.fixture
def officer(make_officer, akta_ready):
    return make_officer(Role.AGENCY_OFFICER, agency=akta_ready.agency)


def inbox(user):
    return list(Notification.objects.filter(user=user).order_by("id"))


def act(officer, application, step, action, **kwargs):
    return services.act_on_application(
        user=officer, tracking=application.tracking, step_key=step, action=action, **kwargs
    )


def test_submission_writes_one_inbox_row_and_one_email(applicant, akta_ready):
    application = submit(applicant, akta_ready)

    [note] = inbox(applicant)
    assert note.title == f"Permohonan {application.tracking} diterima"
    assert "Akta Kelahiran" in note.body and application.tracking in note.body
    assert note.link == f"/permohonan/{application.tracking}/"
    assert note.read_at is None
    assert [m.to for m in mail.outbox] == [["siti@example.id"]]
    assert mail.outbox[0].subject == note.title
    assert f"/permohonan/{application.tracking}/" in mail.outbox[0].body


def test_the_rows_and_tasks_are_written_in_the_submitting_transaction(
    applicant, akta_ready, settings
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with pytest.raises(RuntimeError), transaction.atomic():
        submit(applicant, akta_ready)
        raise RuntimeError("roll back")
    assert not Notification.objects.exists() and not DBTaskResult.objects.exists()

    submit(applicant, akta_ready, key="k-2")
    assert Notification.objects.count() == 1
    task = DBTaskResult.objects.get()  # one task per channel: e-mail only by default
    assert task.task_path == "mpp.notifications.tasks.deliver"
    assert task.args_kwargs["kwargs"]["channel"] == "email"
    assert "siti@example.id" not in str(task.args_kwargs)  # destination travels encrypted


@pytest.mark.django_db(transaction=True)  # the worker commits and checks its connections
def test_sending_back_names_the_fields_and_reason_in_a_real_email(
    official_regions, applicant, akta_ready, officer, smtp_inbox, settings
):
    """Through the database task queue and a worker, to a real SMTP server."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    application = submit(applicant, akta_ready)
    act(officer, application, "verifikasi", "minta_perbaikan",
        reason="Nama anak tidak sesuai surat kelahiran.", fields=["child_name"],
        notes={"child_name": "tulis Budi Santoso"})  # fmt: skip
    assert smtp_inbox.messages == []  # nothing leaves inside the request

    call_command("db_worker", batch=True, no_startup_delay=True, interval=0)

    bodies = smtp_inbox.bodies_to("siti@example.id")
    assert len(bodies) == 2  # submitted, then sent back
    subjects = [m["Subject"] for m in smtp_inbox.messages]
    assert subjects == [
        f"Permohonan {application.tracking} diterima",
        f"Permohonan {application.tracking} perlu diperbaiki",
    ]
    assert "Nama anak (tulis Budi Santoso)" in bodies[1]
    assert "Nama anak tidak sesuai surat kelahiran." in bodies[1]
    assert f"/permohonan/{application.tracking}/" in bodies[1]


def test_sms_and_whatsapp_go_through_the_configured_gateways(
    with_phone, akta_ready, officer, gateways
):
    set_preferences(user=with_phone, email=False, sms=True, whatsapp=True, language="id")
    application = submit(with_phone, akta_ready)
    act(officer, application, "verifikasi", "tolak", reason="Dokumen palsu.")

    for kind in ("sms", "whatsapp"):
        sent = gateways[kind].sent
        assert [m["destination"] for m in sent] == [PHONE, PHONE]
        assert sent[1]["subject"] == f"Permohonan {application.tracking} ditolak"
        assert "Dokumen palsu." in sent[1]["body"]
        assert sent[1]["body"].endswith(f"/permohonan/{application.tracking}/")
        assert len(sent[1]["body"]) <= 300
    assert mail.outbox == []  # e-mail switched off


def test_messages_leave_in_the_language_the_citizen_chose(applicant, akta_ready, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    set_preferences(user=applicant, email=True, sms=False, whatsapp=False, language="en")
    submit(applicant, akta_ready)

    assert DBTaskResult.objects.get().args_kwargs["kwargs"]["language"] == "en"


def test_every_engine_path(applicant, akta_ready, officer, gateways):
    application = submit(applicant, akta_ready)
    act(officer, application, "verifikasi", "minta_perbaikan", reason="Lengkapi.",
        fields=["child_name"])  # fmt: skip
    services.resubmit_application(
        user=applicant, tracking=application.tracking, data={"child_name": "Budi Santoso"}
    )
    act(officer, application, "verifikasi", "terima")
    act(officer, application, "penerbitan", "terbitkan")

    t = application.tracking
    titles = [n.title for n in inbox(applicant)]
    assert titles == [
        f"Permohonan {t} diterima",
        f"Permohonan {t} perlu diperbaiki",
        f"Perbaikan {t} diterima",
        f"Permohonan {t} diteruskan ke {akta_ready.agency.name}",
        f"Permohonan {t} disetujui",
    ]
    # Status changes leave by e-mail; resubmission and forwarding stay in the app.
    assert [m.subject for m in mail.outbox] == [titles[0], titles[1], titles[4]]
    assert gateways["sms"].sent == []  # no phone, no SMS


def test_rejection_and_cancellation(applicant, akta_ready, officer):
    rejected = submit(applicant, akta_ready)
    act(officer, rejected, "verifikasi", "tolak", reason="Bukan wilayah ini.")
    cancelled = submit(applicant, akta_ready, key="k-2")
    services.cancel_application(user=applicant, tracking=cancelled.tracking, reason="Salah isi")

    notes = {n.title: n for n in inbox(applicant)}
    assert "Bukan wilayah ini." in notes[f"Permohonan {rejected.tracking} ditolak"].body
    assert f"Permohonan {cancelled.tracking} dibatalkan" in notes
    assert len(mail.outbox) == 4


def test_automatic_decision_reaches_the_citizen(applicant, akta_ready):
    save_process(
        actor=None, slug="sip-uji", template=akta_ready.template,
        definition=demo_process("sip-tenaga-kesehatan"),
    )  # fmt: skip
    application = submit(applicant, akta_ready)
    step = Step.objects.get(application=application, key="pemeriksaan")

    assert timers.run(now=step.auto_at).decided == 1
    assert inbox(applicant)[-1].title == f"Permohonan {application.tracking} disetujui"
    assert mail.outbox[-1].subject == f"Permohonan {application.tracking} disetujui"


def test_escalation_and_internal_notes_tell_the_citizen_nothing(applicant, akta_ready, officer):
    application = submit(applicant, akta_ready)
    step = Step.objects.get(application=application, key="verifikasi")
    assert timers.run(now=step.due_at + datetime.timedelta(minutes=1)).escalated == 1
    comments.comment_on_application(
        user=officer, tracking=application.tracking, body="Cek ulang NIK.", to_citizen=False
    )
    assert len(inbox(applicant)) == 1 and len(mail.outbox) == 1  # the submission alone

    comments.comment_on_application(
        user=officer, tracking=application.tracking, body="Mohon bawa KK asli.", to_citizen=True
    )
    last = inbox(applicant)[-1]
    assert last.title == f"Pesan petugas tentang {application.tracking}"
    assert last.body == "Mohon bawa KK asli."
    assert mail.outbox[-1].body.startswith("Mohon bawa KK asli.")


def test_counter_application_for_a_citizen_without_email(
    applicant, with_phone, akta_ready, make_officer, gateways
):
    applicant.email = ""
    applicant.save()
    counter = make_officer(Role.COUNTER_OFFICER)
    citizen = applicant.citizen
    serve(counter, citizen)
    application = submit(counter, akta_ready, on_behalf_of=citizen.pk)

    assert application.channel == Application.Channel.COUNTER
    assert [n.title for n in inbox(applicant)] == [f"Permohonan {application.tracking} diterima"]
    assert inbox(counter) == []
    assert mail.outbox == []
    # A phone and no e-mail: SMS by default, so the citizen still hears of it.
    assert [m["destination"] for m in gateways["sms"].sent] == [PHONE]
    assert gateways["whatsapp"].sent == []
