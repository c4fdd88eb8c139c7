"""Officer pages: the work queue, the overdue view, one application with its actions."""

import datetime
import re

import pytest
from django.urls import include, path
from django.utils import timezone
from freezegun import freeze_time

from mpp.accounts.models import DataAccess
from mpp.cases import comments, queries, services
from mpp.cases.models import Application
from mpp.config import urls as root_urls
from mpp.core.errors import InvalidInput, NotFound
from mpp.core.roles import Role
from mpp.workflow.models import Comment, Step, Transition

# Until the project's urls include the officer pages, mount them here as the lead will.
urlpatterns = list(root_urls.urlpatterns)
if not any(getattr(p, "namespace", None) == "cases_officer" for p in urlpatterns):
    urlpatterns.insert(0, path("petugas/permohonan/", include("mpp.cases.officer_urls")))

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]
QUEUE = "/petugas/permohonan/"


def submit(applicant, offering, key, name="Budi"):
    return services.submit_application(
        user=applicant, offering_id=offering.pk, data={"child_name": name}, idempotency_key=key
    ).application


@pytest.fixture
def application(applicant, akta_ready):
    return submit(applicant, akta_ready, "k1")


@pytest.fixture
def officer(make_officer, akta_ready):
    return make_officer(Role.AGENCY_OFFICER, agency=akta_ready.agency)


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def text(response):
    return response.content.decode()


def make_overdue(application, hours=3):
    Step.objects.filter(application=application, key="verifikasi").update(
        due_at=timezone.now() - datetime.timedelta(hours=hours)
    )


# The work queue


def test_queue_lists_the_officers_steps_with_an_sla_badge(officer_client, application):
    response = officer_client.get(QUEUE)
    assert response.status_code == 200
    body = text(response)
    assert application.tracking in body
    assert "Penerbitan Akta Kelahiran" in body
    assert "Verifikasi berkas" in body
    assert ("Tepat waktu" in body) or ("Batas hari ini" in body)
    assert "Belum diambil" in body


def test_due_today_ends_at_midnight_where_the_step_is(
    officer_client, applicant, akta_ready, application
):
    wib = datetime.timezone(datetime.timedelta(hours=7))
    tonight = submit(applicant, akta_ready, "k2", name="Ani")
    for app, due in ((tonight, (23, 50)), (application, (0, 10))):
        day = 25 if app is tonight else 26
        Step.objects.filter(application=app).update(
            due_at=datetime.datetime(2026, 11, day, *due, tzinfo=wib)
        )
    with freeze_time(datetime.datetime(2026, 11, 25, 23, 30, tzinfo=wib)):
        listed = text(officer_client.get(QUEUE + "?sla=due_today"))
    assert tonight.tracking in listed and application.tracking not in listed
    # The badge, in a region's own zone: 00:10 WIB is 01:10 in WITA, the same WITA day as 23:30
    # WIB (00:30 WITA), so due today in Bali and not in Banyuwangi.
    now = datetime.datetime(2026, 11, 25, 23, 30, tzinfo=wib)
    due = datetime.datetime(2026, 11, 26, 0, 10, tzinfo=wib)
    assert queries.sla_status(due, paused=False, now=now, region_code="35.10") == "on_time"
    assert queries.sla_status(due, paused=False, now=now, region_code="51.71") == "due_today"


def test_queue_refuses_anonymous_and_citizens(client, applicant, application):
    assert client.get(QUEUE).status_code == 302
    client.force_login(applicant)
    response = client.get(QUEUE)
    assert response.status_code == 403
    assert "hanya untuk petugas" in text(response)


def test_queue_filters_by_sla_status_service_and_mine(
    officer_client, officer, applicant, akta_ready, application
):
    late = submit(applicant, akta_ready, "k2", name="Ani")
    make_overdue(late)
    overdue = text(officer_client.get(QUEUE + "?sla=overdue"))
    assert late.tracking in overdue and application.tracking not in overdue
    assert "⚠ Terlambat" in overdue

    assert application.tracking not in text(officer_client.get(QUEUE + "?service=skck"))
    assert application.tracking in text(officer_client.get(QUEUE + "?service=akta-kelahiran"))

    assert application.tracking not in text(officer_client.get(QUEUE + "?mine=1"))
    services.claim_step(user=officer, tracking=application.tracking, step_key="verifikasi")
    mine = text(officer_client.get(QUEUE + "?mine=1"))
    assert application.tracking in mine and late.tracking not in mine

    services.act_on_application(
        user=officer, tracking=late.tracking, step_key="verifikasi", action="minta_perbaikan",
        reason="Buram", fields=["child_name"],
    )  # fmt: skip
    waiting = text(officer_client.get(QUEUE + "?status=with_citizen"))
    assert late.tracking in waiting and application.tracking not in waiting
    assert "Jeda: menunggu pemohon" in waiting
    # Unknown filter values are ignored rather than failing.
    assert officer_client.get(QUEUE + "?status=bogus&sla=x&page=abc").status_code == 200


def test_queue_pages_forward_and_back(officer_client, applicant, akta_ready, monkeypatch):
    first, second = (submit(applicant, akta_ready, k) for k in ("p1", "p2"))
    monkeypatch.setattr(queries, "PAGE", 1)
    page_one = text(officer_client.get(QUEUE))
    assert first.tracking in page_one and second.tracking not in page_one
    assert 'rel="next"' in page_one and 'rel="prev"' not in page_one
    page_two = text(officer_client.get(QUEUE + "?page=2"))
    assert second.tracking in page_two and 'rel="prev"' in page_two


def test_bulk_claim_reports_taken_and_refused(
    officer_client, officer, make_officer, akta_ready, applicant, application
):
    other = submit(applicant, akta_ready, "k2")
    colleague = make_officer(Role.AGENCY_OFFICER, agency=akta_ready.agency)
    services.claim_step(user=colleague, tracking=other.tracking, step_key="verifikasi")
    response = officer_client.post(
        QUEUE + "?sla=",
        {"pick": [f"{application.tracking}:verifikasi", f"{other.tracking}:verifikasi"]},
        follow=True,
    )
    assert response.redirect_chain[0][0] == QUEUE + "?sla="
    body = text(response)
    assert f"Diambil: {application.tracking}." in body
    assert f"Tidak dapat diambil: {other.tracking} (Langkah ini sudah diambil" in body
    claimed = dict(
        Step.objects.filter(key="verifikasi").values_list("application_id", "claimed_by")
    )
    assert claimed == {application.pk: officer.pk, other.pk: colleague.pk}


def test_bulk_claim_without_picks_says_so(officer_client, application):
    body = text(officer_client.post(QUEUE, {}, follow=True))
    assert "Pilih dulu langkah yang akan diambil." in body


def test_counter_officer_sees_no_actions_and_cannot_claim(
    client, make_officer, application, akta_ready
):
    counter = make_officer(Role.COUNTER_OFFICER)
    client.force_login(counter)
    detail = text(client.get(f"{QUEUE}{application.tracking}/"))
    assert "Berkas lengkap" not in detail and "Minta perbaikan" not in detail
    body = text(client.post(QUEUE, {"pick": f"{application.tracking}:verifikasi"}, follow=True))
    assert "Tidak dapat diambil" in body
    assert Step.objects.get(application=application, key="verifikasi").claimed_by is None


def test_agency_officer_without_an_agency_sees_no_agency_steps(client, make_officer, application):
    client.force_login(make_officer(Role.AGENCY_OFFICER, agency=None))
    body = text(client.get(QUEUE))
    assert application.tracking not in body
    assert "Tidak ada pekerjaan yang cocok." in body


# The supervisor's overdue view


def test_overdue_view_lists_late_steps_latest_first(
    client, make_officer, applicant, akta_ready, application
):
    later = submit(applicant, akta_ready, "k2")
    make_overdue(application, hours=2)
    make_overdue(later, hours=30)
    Step.objects.filter(application=later).update(escalated_at=timezone.now())
    on_time = submit(applicant, akta_ready, "k3")
    client.force_login(make_officer(Role.REGIONAL_MANAGER))
    response = client.get(QUEUE + "terlambat/")
    assert response.status_code == 200
    body = text(response)
    assert body.index(later.tracking) < body.index(application.tracking)
    assert on_time.tracking not in body
    assert body.count("Dieskalasi") == 1
    assert "Terlambat 1" in body  # "Terlambat 1 hari, 6 jam"


def test_overdue_view_is_for_supervisors_only(officer_client):
    response = officer_client.get(QUEUE + "terlambat/")
    assert response.status_code == 403


# One application


def test_detail_shows_data_steps_actions_and_logs_the_read(
    officer_client, officer, applicant, application
):
    response = officer_client.get(f"{QUEUE}{application.tracking}/")
    assert response.status_code == 200
    body = text(response)
    assert "Nama anak" in body and "Budi" in body
    for label in ("Berkas lengkap", "Minta perbaikan", "Tolak", "Ambil", "Verifikasi berkas"):
        assert label in body
    assert f'name="version" value="{application.version}"' in body
    access = DataAccess.objects.get(citizen=applicant.citizen, accessor=officer)
    assert access.fields == ["child_name"]


def test_officer_of_another_region_gets_404(client, make_officer, application):
    client.force_login(make_officer(Role.AGENCY_OFFICER, region="33.14"))
    assert client.get(f"{QUEUE}{application.tracking}/").status_code == 404
    response = client.post(
        f"{QUEUE}{application.tracking}/aksi/",
        {"step": "verifikasi", "action": "terima", "version": "1"},
    )
    assert response.status_code == 404
    assert not DataAccess.objects.exists()
    assert Transition.objects.count() == 1


def test_send_back_with_reason_and_fields(officer_client, application):
    url = f"{QUEUE}{application.tracking}/aksi/"
    form = {"step": "verifikasi", "action": "minta_perbaikan", "version": "1",
            "reason": "Nama anak tidak sesuai akta", "fields": ["child_name"],
            "note.child_name": "Tulis sesuai surat lahir", "note.remarks": "not asked"}  # fmt: skip
    response = officer_client.post(url, form, follow=True)
    assert response.redirect_chain[-1][0] == f"{QUEUE}{application.tracking}/"
    body = text(response)
    assert "Aksi dicatat." in body
    assert "Alasan: Nama anak tidak sesuai akta" in body
    assert "Isian yang perlu diperbaiki: Nama anak" in body
    assert "Nama anak: Tulis sesuai surat lahir" in body
    application.refresh_from_db()
    assert application.status == Application.Status.NEEDS_CORRECTION
    assert Transition.objects.filter(action="minta_perbaikan").get().data == {
        "fields": ["child_name"],
        "notes": {"child_name": "Tulis sesuai surat lahir"},
    }  # a note for a field not ticked is not sent (the page hides its box)
    services.resubmit_application(
        user=application.applicant.user, tracking=application.tracking,
        data={"child_name": "Budi Santoso"},
    )  # fmt: skip
    corrected = text(officer_client.get(f"{QUEUE}{application.tracking}/"))
    assert "Isian yang diubah pemohon: Nama anak" in corrected


def test_send_back_offers_every_field_of_the_form_and_only_those(officer_client, application):
    """An empty optional answer can be asked for; a stored key the form no longer has cannot
    (check_named_fields would refuse it)."""
    Application.objects.filter(pk=application.pk).update(data={**application.data, "old_key": "x"})
    page = officer_client.get(f"{QUEUE}{application.tracking}/").content.decode()
    offered = re.findall(r'name="fields" value="([^"]+)"', page)
    assert offered == ["child_name", "remarks"]


def test_stale_version_gets_409_and_changes_nothing(officer_client, officer, application):
    services.claim_step(user=officer, tracking=application.tracking, step_key="verifikasi")
    response = officer_client.post(
        f"{QUEUE}{application.tracking}/aksi/",
        {"step": "verifikasi", "action": "terima", "version": "0"},
    )
    assert response.status_code == 409
    assert "sudah diubah orang lain" in text(response) and "Muat ulang" in text(response)
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED and application.version == 1


def test_reject_without_reason_is_400_and_changes_nothing(officer_client, application):
    response = officer_client.post(
        f"{QUEUE}{application.tracking}/aksi/",
        {"step": "verifikasi", "action": "tolak", "version": "1", "reason": "  "},
    )
    assert response.status_code == 400
    assert "Tuliskan alasannya." in text(response)
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED and application.version == 1
    assert Transition.objects.count() == 1


def test_missing_version_is_400(officer_client, application):
    response = officer_client.post(
        f"{QUEUE}{application.tracking}/aksi/", {"step": "verifikasi", "action": "terima"}
    )
    assert response.status_code == 400
    assert Transition.objects.count() == 1


def test_approve_moves_to_the_next_step(officer_client, application):
    response = officer_client.post(
        f"{QUEUE}{application.tracking}/aksi/",
        {"step": "verifikasi", "action": "terima", "version": "1"},
    )
    assert response.status_code == 302
    steps = dict(Step.objects.filter(application=application).values_list("key", "status"))
    assert steps == {"verifikasi": Step.Status.DONE, "penerbitan": Step.Status.OPEN}


def test_claim_and_release_from_the_page(officer_client, officer, application):
    url = f"{QUEUE}{application.tracking}/ambil/"
    body = text(officer_client.post(url, {"step": "verifikasi"}, follow=True))
    assert "Langkah Anda ambil." in body and "Lepaskan" in body
    assert Step.objects.get(application=application, key="verifikasi").claimed_by == officer
    officer_client.post(url, {"step": "verifikasi", "release": "1"})
    assert Step.objects.get(application=application, key="verifikasi").claimed_by is None
    missing = officer_client.post(url, {"step": "nope"})
    assert missing.status_code == 404 and "Langkah tidak ditemukan." in text(missing)


# Comments


def test_comment_service_adds_a_note_and_refuses_bad_input(officer, make_officer, application):
    note = comments.comment_on_application(
        user=officer, tracking=application.tracking, body="  Cek KK  ", to_citizen=True
    )
    assert (note.body, note.to_citizen, note.application_id) == ("Cek KK", True, application.pk)
    with pytest.raises(InvalidInput):
        comments.comment_on_application(
            user=officer, tracking=application.tracking, body=" ", to_citizen=False
        )
    with pytest.raises(InvalidInput):
        comments.comment_on_application(
            user=officer, tracking=application.tracking, body="x" * 2001, to_citizen=False
        )
    stranger = make_officer(Role.AGENCY_OFFICER, region="33.14")
    with pytest.raises(NotFound):
        comments.comment_on_application(
            user=stranger, tracking=application.tracking, body="Hai", to_citizen=False
        )
    assert Comment.objects.count() == 1


def test_comment_from_the_page(officer_client, application):
    url = f"{QUEUE}{application.tracking}/catatan/"
    body = text(officer_client.post(url, {"body": "Mohon cek NIK ayah", "to_citizen": "0"},
                                    follow=True))  # fmt: skip
    assert "Catatan disimpan." in body and "Mohon cek NIK ayah" in body and "internal" in body
    empty = officer_client.post(url, {"body": ""})
    assert empty.status_code == 400 and "Tuliskan isi catatan." in text(empty)
    assert Comment.objects.get().to_citizen is False
