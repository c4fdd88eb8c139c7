"""The work queue takes one action on many checked steps: each through the services act function
in its own transaction, so one refusal leaves the others done; only actions that need nothing
typed per application are offered."""

import re

import pytest

from mpp.cases import services
from mpp.cases.models import Application
from mpp.core.roles import Role
from mpp.workflow.models import Step, Transition

pytestmark = pytest.mark.django_db
QUEUE = "/petugas/permohonan/"


@pytest.fixture
def three(applicant, akta_ready):
    return [
        services.submit_application(
            user=applicant,
            offering_id=akta_ready.pk,
            data={"child_name": name},
            idempotency_key=name,
        ).application
        for name in ("Ani", "Budi", "Citra")
    ]


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def picks(applications, version=None):
    return [f"{a.tracking}:verifikasi:{version if version is not None else a.version}"
            for a in applications]  # fmt: skip


def statuses(applications):
    return [Step.objects.get(application=a, key="verifikasi").status for a in applications]


def test_only_actions_without_typed_input_are_offered(officer_client, three):
    body = officer_client.get(QUEUE).content.decode()
    offered = re.search(r'<select id="bulk-action" name="action"[^>]*>(.*?)</select>', body, re.S)
    assert offered is not None
    assert re.findall(r'<option value="([^"]+)">([^<]+)</option>', offered[1]) == [
        ("terima", "Berkas lengkap")
    ]
    assert f'value="{three[0].tracking}:verifikasi:1"' in body


def test_bulk_act_on_three_steps(officer_client, three):
    response = officer_client.post(
        QUEUE, {"bulk": "act", "action": "terima", "pick": picks(three)}, follow=True
    )
    body = response.content.decode()
    tracks = ", ".join(a.tracking for a in three)
    assert f"Berkas lengkap: selesai untuk {tracks}." in body
    assert "Tidak dapat diproses" not in body
    assert statuses(three) == [Step.Status.DONE] * 3
    assert Transition.objects.filter(action="terima").count() == 3


def test_one_refusal_in_the_middle_leaves_the_others_done(officer_client, three):
    first, middle, last = three
    form = {"bulk": "act", "action": "terima",
            "pick": [*picks([first]), *picks([middle], version=0), *picks([last])]}  # fmt: skip
    body = officer_client.post(QUEUE, form, follow=True).content.decode()
    assert f"Berkas lengkap: selesai untuk {first.tracking}, {last.tracking}." in body
    assert f"Tidak dapat diproses: {middle.tracking} (" in body
    assert "sudah diubah orang lain" in body
    assert statuses(three) == [Step.Status.DONE, Step.Status.OPEN, Step.Status.DONE]
    middle.refresh_from_db()
    assert middle.version == 1 and middle.status == Application.Status.SUBMITTED


def test_a_step_already_decided_is_reported_as_wrong_state(officer_client, officer, three):
    services.act_on_application(
        user=officer, tracking=three[1].tracking, step_key="verifikasi", action="terima"
    )
    body = officer_client.post(
        QUEUE, {"bulk": "act", "action": "terima", "pick": picks(three[1:2], version=2)},
        follow=True,
    ).content.decode()  # fmt: skip
    assert f"{three[1].tracking} (Aksi tidak dapat dilakukan" in body


def test_an_action_that_needs_a_reason_is_refused_in_bulk(officer_client, three):
    body = officer_client.post(
        QUEUE, {"bulk": "act", "action": "tolak", "pick": picks(three)}, follow=True
    ).content.decode()
    refused = "; ".join(f"{a.tracking} (Tuliskan alasannya.)" for a in three)
    assert f"Tidak dapat diproses: {refused}." in body
    assert "selesai untuk" not in body
    assert statuses(three) == [Step.Status.OPEN] * 3
    assert Transition.objects.count() == 3  # the three submissions only


def test_another_agencys_officer_changes_nothing(client, make_officer, other_agency, three):
    client.force_login(make_officer(Role.AGENCY_OFFICER, agency=other_agency))
    body = client.post(
        QUEUE, {"bulk": "act", "action": "terima", "pick": picks(three)}, follow=True
    ).content.decode()
    # Not theirs to read either (cases.queries.staff_scope): no hint that they exist.
    assert "Permohonan tidak ditemukan." in body
    assert "selesai untuk" not in body
    client.force_login(make_officer(Role.AGENCY_OFFICER, region="33.14"))
    body = client.post(
        QUEUE, {"bulk": "act", "action": "terima", "pick": picks(three)}, follow=True
    ).content.decode()
    assert "Permohonan tidak ditemukan." in body
    assert statuses(three) == [Step.Status.OPEN] * 3
    assert Transition.objects.count() == 3
    assert set(Application.objects.values_list("version", flat=True)) == {1}


def test_without_picks_or_action_says_so(officer_client, three):
    body = officer_client.post(QUEUE, {"bulk": "act", "action": "terima"}, follow=True)
    assert "Pilih dulu langkah yang akan diproses." in body.content.decode()
    body = officer_client.post(QUEUE, {"bulk": "act", "pick": picks(three)}, follow=True)
    assert "Pilih dulu aksi yang akan dijalankan." in body.content.decode()
    assert statuses(three) == [Step.Status.OPEN] * 3


def test_odd_digits_in_picks_and_pages_are_not_a_500(officer_client, three):
    """ "²" is a digit to str.isdigit() but not to int(): such input is ignored or refused."""
    odd = officer_client.post(
        QUEUE, {"bulk": "act", "action": "terima", "pick": picks(three[:1], version="²")},
        follow=True,
    )  # fmt: skip
    assert odd.status_code == 200
    assert officer_client.get(QUEUE + "?page=²").status_code == 200
    stale = officer_client.post(
        f"/api/v1/applications/{three[1].tracking}/actions/terima",
        {"step": "verifikasi"}, content_type="application/json", headers={"If-Match": "²"},
    )  # fmt: skip
    assert stale.status_code == 400
    assert statuses(three) == [Step.Status.OPEN] * 3
