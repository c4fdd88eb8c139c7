"""The workflow engine through the services officers and citizens use."""

import datetime

import pytest
from django.core import mail
from freezegun import freeze_time

from mpp.cases import services
from mpp.cases.models import Application
from mpp.catalog.models import Agency, AgencyKind
from mpp.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from mpp.core.identifiers import is_valid_tracking
from mpp.core.roles import Role
from mpp.workflow import timers
from mpp.workflow.models import Step, Transition
from mpp.workflow.services import save_process
from tests.support.cases import demo_process

pytestmark = pytest.mark.django_db


def submit(user, offering, key="k-1", data=None):
    return services.submit_application(
        user=user,
        offering_id=offering.pk,
        data=data if data is not None else {"child_name": "Budi"},
        idempotency_key=key,
    ).application


@pytest.fixture
def officer(make_officer, akta_ready):
    return make_officer(Role.AGENCY_OFFICER, agency=akta_ready.agency)


def steps(application):
    return {s.key: s for s in Step.objects.filter(application=application)}


def test_submission_opens_the_first_step_and_records_it(applicant, akta_ready):
    application = submit(applicant, akta_ready)

    assert is_valid_tracking(application.tracking)
    assert application.tracking.startswith("3510-")
    assert application.status == Application.Status.SUBMITTED
    assert application.due_at > application.submitted_at  # 1 working day of the standard
    rows = steps(application)
    assert rows["verifikasi"].status == Step.Status.OPEN
    assert rows["verifikasi"].agency == akta_ready.agency
    assert rows["verifikasi"].due_at is not None
    assert rows["penerbitan"].status == Step.Status.WAITING
    assert list(Transition.objects.values_list("action", "to_status")) == [("submit", "submitted")]


def test_completing_every_step_approves(applicant, akta_ready, officer):
    application = submit(applicant, akta_ready)

    services.act_on_application(
        user=officer, tracking=application.tracking, step_key="verifikasi", action="terima"
    )
    application.refresh_from_db()
    assert application.status == Application.Status.IN_PROGRESS
    assert steps(application)["penerbitan"].status == Step.Status.OPEN

    services.act_on_application(
        user=officer, tracking=application.tracking, step_key="penerbitan", action="terbitkan"
    )
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED
    assert application.closed_at is not None
    assert application.version == 3
    trail = list(
        Transition.objects.order_by("id").values_list("action", "from_status", "to_status")
    )
    assert trail == [
        ("submit", "", "submitted"),
        ("terima", "submitted", "in_progress"),
        ("terbitkan", "in_progress", "approved"),
    ]
    assert Transition.objects.filter(action="terima").get().actor == officer


def test_send_back_pauses_the_clock_and_resubmission_resumes_it(applicant, akta_ready, officer):
    application = submit(applicant, akta_ready)
    with pytest.raises(InvalidInput) as missing_fields:
        services.act_on_application(
            user=officer, tracking=application.tracking, step_key="verifikasi",
            action="minta_perbaikan", reason="Nama tidak terbaca",
        )  # fmt: skip
    assert missing_fields.value.field == "fields"

    services.act_on_application(
        user=officer, tracking=application.tracking, step_key="verifikasi",
        action="minta_perbaikan", reason="Nama tidak terbaca", fields=["child_name"],
    )  # fmt: skip
    application.refresh_from_db()
    step = steps(application)["verifikasi"]
    assert application.status == Application.Status.NEEDS_CORRECTION
    assert step.status == Step.Status.WITH_CITIZEN
    assert step.remaining_seconds is not None and step.remaining_seconds > 0
    sent_back = Transition.objects.get(action="minta_perbaikan")
    assert sent_back.data == {"fields": ["child_name"]} and sent_back.reason == "Nama tidak terbaca"

    # Officers cannot act while the citizen holds the file.
    with pytest.raises(Conflict):
        services.act_on_application(
            user=officer, tracking=application.tracking, step_key="verifikasi", action="terima"
        )

    services.resubmit_application(
        user=applicant, tracking=application.tracking, data={"child_name": "Budi Santoso"}
    )
    application.refresh_from_db()
    step = steps(application)["verifikasi"]
    assert application.status == Application.Status.IN_PROGRESS
    assert application.data["child_name"] == "Budi Santoso"
    assert step.status == Step.Status.OPEN and step.remaining_seconds is None
    assert step.due_at is not None


def test_resubmission_is_refused_unless_corrections_were_asked(applicant, akta_ready):
    application = submit(applicant, akta_ready)
    with pytest.raises(Conflict):
        services.resubmit_application(user=applicant, tracking=application.tracking, data={})


def test_rejection_needs_a_reason_and_ends_everything(applicant, akta_ready, officer):
    application = submit(applicant, akta_ready)
    with pytest.raises(InvalidInput):
        services.act_on_application(
            user=officer, tracking=application.tracking, step_key="verifikasi", action="tolak"
        )
    services.act_on_application(
        user=officer, tracking=application.tracking, step_key="verifikasi", action="tolak",
        reason="Bukan warga wilayah ini",
    )  # fmt: skip
    application.refresh_from_db()
    assert application.status == Application.Status.REJECTED
    assert {s.status for s in steps(application).values()} == {Step.Status.CANCELLED}
    with pytest.raises(Conflict):
        services.act_on_application(
            user=officer, tracking=application.tracking, step_key="verifikasi", action="terima"
        )


@pytest.mark.parametrize(
    ("step_key", "action", "error"),
    [
        ("penerbitan", "terbitkan", Conflict),  # still waiting for verification
        ("verifikasi", "terbang", InvalidInput),  # no such action
        ("tidak-ada", "terima", NotFound),
    ],
)
def test_invalid_transitions_change_nothing(
    applicant, akta_ready, officer, step_key, action, error
):
    application = submit(applicant, akta_ready)
    with pytest.raises(error):
        services.act_on_application(
            user=officer, tracking=application.tracking, step_key=step_key, action=action
        )
    application.refresh_from_db()
    assert application.version == 1 and application.status == Application.Status.SUBMITTED
    assert Transition.objects.count() == 1


def test_only_the_steps_agency_and_roles_may_act(applicant, akta_ready, make_officer):
    application = submit(applicant, akta_ready)
    kind = AgencyKind.objects.create(slug="dinsos", name="Dinas Sosial", level="regional")
    other_agency = Agency.objects.create(kind=kind, region_id="35.10", name="Dinsos Banyuwangi")
    refused = [
        make_officer(Role.AGENCY_OFFICER, agency=other_agency),
        make_officer(Role.COUNTER_OFFICER),
        applicant,
    ]
    for user in refused:
        with pytest.raises((Forbidden, NotFound)):
            services.act_on_application(
                user=user, tracking=application.tracking, step_key="verifikasi", action="terima"
            )
    elsewhere = make_officer(Role.AGENCY_OFFICER, agency=None, region="33.14")
    with pytest.raises(NotFound):  # another region's application: no hint that it exists
        services.act_on_application(
            user=elsewhere, tracking=application.tracking, step_key="verifikasi", action="terima"
        )
    assert Transition.objects.count() == 1


def test_a_stale_version_is_refused(applicant, akta_ready, officer):
    application = submit(applicant, akta_ready)
    with pytest.raises(Conflict):
        services.act_on_application(
            user=officer, tracking=application.tracking, step_key="verifikasi", action="terima",
            expected_version=7,
        )  # fmt: skip
    services.act_on_application(
        user=officer, tracking=application.tracking, step_key="verifikasi", action="terima",
        expected_version=1,
    )  # fmt: skip


def test_parallel_steps_join_before_the_last_one_opens(applicant, akta_ready, make_officer):
    pupr = AgencyKind.objects.create(slug="dinas-pupr", name="Dinas PUPR", level="regional")
    pupr_office = Agency.objects.create(kind=pupr, region_id="35.10", name="Dinas PUPR Banyuwangi")
    definition = demo_process("pbg")
    definition = {
        **definition,
        "steps": {
            key: {**step, "agency": "$offering" if step["agency"] == "dpmptsp" else step["agency"]}
            for key, step in definition["steps"].items()
        },
    }
    save_process(actor=None, slug="pbg-uji", template=akta_ready.template, definition=definition)
    application = submit(applicant, akta_ready)
    own = make_officer(Role.AGENCY_OFFICER, agency=akta_ready.agency)
    technical = make_officer(Role.AGENCY_OFFICER, agency=pupr_office)
    assert steps(application)["penilaian_teknis"].agency == pupr_office

    def act(user, key, action):
        services.act_on_application(
            user=user, tracking=application.tracking, step_key=key, action=action
        )

    act(own, "verifikasi", "terima")
    rows = steps(application)
    assert rows["penilaian_teknis"].status == rows["retribusi"].status == Step.Status.OPEN
    assert rows["penerbitan"].status == Step.Status.WAITING
    with pytest.raises(Forbidden):
        act(own, "penilaian_teknis", "setujui")  # another agency's step
    act(technical, "penilaian_teknis", "setujui")
    assert steps(application)["penerbitan"].status == Step.Status.WAITING  # join: one to go
    act(own, "retribusi", "tetapkan")
    assert steps(application)["penerbitan"].status == Step.Status.OPEN
    act(own, "penerbitan", "terbitkan")
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED


def test_a_step_agency_missing_in_the_region_refuses_submission(applicant, akta_ready):
    save_process(
        actor=None, slug="pbg-uji", template=akta_ready.template, definition=demo_process("pbg")
    )  # names "dpmptsp" and "dinas-pupr": neither exists in the fixture region
    with pytest.raises(Conflict):
        submit(applicant, akta_ready)
    assert not Application.objects.exists()


def test_automatic_decision_on_working_day_five(applicant, akta_ready):
    save_process(
        actor=None,
        slug="sip-uji",
        template=akta_ready.template,
        definition=demo_process("sip-tenaga-kesehatan"),
    )
    application = submit(applicant, akta_ready)
    step = steps(application)["pemeriksaan"]
    assert step.auto_at is not None

    assert timers.run(now=step.auto_at - datetime.timedelta(seconds=1)).decided == 0
    assert timers.run(now=step.auto_at).decided == 1
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED
    decision = Transition.objects.get(action="terbitkan")
    assert decision.actor is None and decision.actor_label == "Sistem"
    assert timers.run(now=step.auto_at + datetime.timedelta(days=1)).decided == 0


def test_the_automatic_decision_waits_while_the_citizen_corrects(applicant, akta_ready, officer):
    """Sent back on working day 1 and corrected two weeks later: the SIP is not issued at once on
    the old date; it waits the working days that were left (4), as the step's deadline does.
    July 2026 has no holiday or cuti bersama in these weeks."""
    save_process(
        actor=None,
        slug="sip-uji",
        template=akta_ready.template,
        definition=demo_process("sip-tenaga-kesehatan"),
    )
    wib = datetime.timezone(datetime.timedelta(hours=7))
    with freeze_time(datetime.datetime(2026, 7, 6, 9, tzinfo=wib)):  # a Monday
        application = submit(applicant, akta_ready)
    first = steps(application)["pemeriksaan"].auto_at
    assert first == datetime.datetime(2026, 7, 13, 9, tzinfo=wib)  # five working days
    with freeze_time(datetime.datetime(2026, 7, 7, 9, tzinfo=wib)):  # one working day later
        services.act_on_application(
            user=officer, tracking=application.tracking, step_key="pemeriksaan",
            action="minta_perbaikan", reason="Foto buram", fields=["child_name"],
        )  # fmt: skip
    paused = steps(application)["pemeriksaan"]
    assert paused.auto_at is None and paused.auto_remaining_seconds > 0
    assert timers.run(now=first + datetime.timedelta(minutes=1)).decided == 0
    corrected_at = datetime.datetime(2026, 7, 20, 9, tzinfo=wib)  # two weeks on, a Monday
    with freeze_time(corrected_at):
        services.resubmit_application(
            user=applicant, tracking=application.tracking, data={"child_name": "Budi Santoso"}
        )
    resumed = steps(application)["pemeriksaan"]
    assert resumed.auto_remaining_seconds is None
    assert resumed.auto_at == datetime.datetime(2026, 7, 24, 9, tzinfo=wib)  # four left
    assert timers.run(now=corrected_at + datetime.timedelta(minutes=1)).decided == 0
    application.refresh_from_db()
    assert application.status == Application.Status.IN_PROGRESS
    assert timers.run(now=resumed.auto_at).decided == 1
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED


def test_late_steps_escalate_once_to_supervisors(applicant, akta_ready, make_officer):
    manager = make_officer(Role.REGIONAL_MANAGER)
    manager.email = "kepala@mpp.banyuwangikab.go.id"
    manager.save()
    application = submit(applicant, akta_ready)
    step = steps(application)["verifikasi"]

    assert timers.run(now=step.due_at + datetime.timedelta(minutes=1)).escalated == 1
    assert timers.run(now=step.due_at + datetime.timedelta(hours=1)).escalated == 0
    step.refresh_from_db()
    assert step.escalated_at is not None
    assert Transition.objects.filter(action="escalate").count() == 1
    # The citizen heard of the submission only; an escalation is internal.
    assert [m.to for m in mail.outbox] == [["siti@example.id"], ["kepala@mpp.banyuwangikab.go.id"]]
    assert application.tracking in mail.outbox[1].subject
