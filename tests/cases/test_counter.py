"""Assisted service at the counter: find or register a walk-in citizen, file for them."""

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from freezegun import freeze_time

from mpp.accounts.models import Citizen, DataAccess, IdentityCheck, User
from mpp.accounts.walk_in import register_walk_in
from mpp.cases import counter, documents, prefill, services
from mpp.cases.models import Application, ApplicationDocument, Document, FormDefinition
from mpp.catalog.models import DocumentType
from mpp.catalog.services import ChannelSpec, save_offering
from mpp.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from mpp.core.roles import Role
from tests.support.cases import NIK, serve
from tests.support.pdf import make_pdf

pytestmark = pytest.mark.django_db
HOME = "/petugas/loket/"
WALK_IN_NIK = "3510011203850002"  # Banyuwangi, born 12-03-1985, male
FORM = {
    "fields": [
        {"key": "child_name", "type": "text", "label": {"id": "Nama anak"}, "required": True},
        {"key": "mother", "type": "text", "label": {"id": "Nama ibu"}, "prefill": "full_name"},
        {
            "key": "kk_scan",
            "type": "file",
            "label": {"id": "Kartu Keluarga"},
            "document_type": "kartu-keluarga",
        },
    ]
}


def pdf_upload(text: str = "KK") -> SimpleUploadedFile:
    return SimpleUploadedFile("kk.pdf", make_pdf(text), content_type="application/pdf")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.MPP_MALWARE_SCANNER = "noop"


@pytest.fixture
def akta_form(akta):  # overrides the shared fixture: a prefill field and a file field
    DocumentType.objects.get_or_create(slug="kartu-keluarga", defaults={"name": "Kartu Keluarga"})
    return FormDefinition.objects.create(
        template=akta, number=1, status=FormDefinition.Status.PUBLISHED, definition=FORM
    )


@pytest.fixture
def loket(make_officer):
    return make_officer(Role.COUNTER_OFFICER)


@pytest.fixture
def loket_client(client, loket):
    client.force_login(loket)
    return client


@pytest.fixture
def citizen(applicant):
    return Citizen.objects.get(user=applicant)


def find(client, nik):
    return client.post(HOME + "cari/", {"nik": nik})


def apply_url(citizen, offering):
    return f"{HOME}warga/{citizen.pk}/layanan/{offering.pk}/"


# --- finding a citizen -------------------------------------------------------------------------


def test_look_up_by_nik_is_logged_for_the_citizen(loket_client, loket, citizen, akta_ready):
    response = find(loket_client, NIK[:4] + " " + NIK[4:])
    assert response.status_code == 302
    assert response["Location"] == f"{HOME}warga/{citizen.pk}/"
    [entry] = DataAccess.objects.filter(citizen=citizen)
    assert entry.accessor == loket and entry.region_id == "35.10"
    assert "loket" in entry.purpose
    page = loket_client.get(response["Location"])
    assert page.status_code == 200
    assert (
        "Siti Aminah" in page.content.decode()
        and "Penerbitan Akta Kelahiran" in page.content.decode()
    )


def test_malformed_nik_is_a_clear_400_and_logs_nothing(loket_client, citizen):
    response = find(loket_client, "12345")
    assert response.status_code == 400
    assert "NIK harus 16 angka" in response.content.decode()
    assert not DataAccess.objects.exists()


def test_unknown_nik_offers_registration(loket_client):
    response = find(loket_client, WALK_IN_NIK)
    assert response.status_code == 404
    body = response.content.decode()
    assert "Daftarkan warga baru" in body and f'value="{WALK_IN_NIK}"' in body


def test_citizen_page_needs_a_look_up_first(loket_client, citizen, akta_ready):
    """A citizen id typed into the address gives nothing until the officer looked them up."""
    assert loket_client.get(f"{HOME}warga/{citizen.pk}/").status_code == 404
    assert loket_client.get(apply_url(citizen, akta_ready)).status_code == 404
    find(loket_client, NIK)
    assert loket_client.get(f"{HOME}warga/{citizen.pk}/").status_code == 200


def test_non_counter_staff_and_citizens_get_403(client, make_officer, applicant, akta_ready):
    for user in (make_officer(Role.AGENCY_OFFICER, agency=akta_ready.agency), applicant):
        client.force_login(user)
        assert client.get(HOME).status_code == 403
        assert find(client, NIK).status_code == 403
        assert (
            client.post(HOME + "daftar/", {"nik": WALK_IN_NIK, "full_name": "X"}).status_code == 403
        )
    assert not DataAccess.objects.exists()
    assert not Citizen.objects.exclude(user=applicant).exists()


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(HOME)
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


# --- registering a walk-in citizen -------------------------------------------------------------


def test_register_walk_in_at_level_two_with_a_claim_link(loket, settings):
    settings.MPP_PUBLIC_URL = "https://mpp.example.id"
    citizen = register_walk_in(
        officer=loket, nik=WALK_IN_NIK, full_name="  Budi   Santoso ", email="Budi@Example.id",
    )  # fmt: skip
    assert citizen.full_name == "Budi Santoso"
    assert citizen.assurance_level == Citizen.Assurance.IN_PERSON
    assert citizen.birth_date.isoformat() == "1985-03-12" and citizen.sex == "M"
    assert citizen.region_id == "35.10"
    user = citizen.user
    assert user.is_active and not user.has_usable_password() and user.email == "budi@example.id"
    check = IdentityCheck.objects.get(citizen=citizen)
    assert check.officer == loket and check.document == "ktp-el"
    assert DataAccess.objects.filter(citizen=citizen, accessor=loket).exists()
    [message] = mail.outbox
    assert message.to == ["budi@example.id"]
    assert re.search(r"https://mpp\.example\.id/akun/atur-sandi/\S+/", message.body)


def test_walk_in_claims_the_account_through_the_link(client, loket, settings):
    settings.MPP_PUBLIC_URL = "https://mpp.example.id"
    register_walk_in(
        officer=loket, nik=WALK_IN_NIK, full_name="Budi Santoso", email="budi@example.id",
    )  # fmt: skip
    link = re.search(r"https://mpp\.example\.id(/akun/atur-sandi/\S+/)", mail.outbox[0].body)[1]
    form = client.get(link, follow=True)
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "kopi-jahe-warga-9", "new_password2": "kopi-jahe-warga-9"},
    )
    assert done.status_code == 302
    assert User.objects.get(email="budi@example.id").check_password("kopi-jahe-warga-9")
    signed_in_page = client.get(done["Location"]).content.decode()
    assert "Kata sandi dibuat. Silakan masuk." in signed_in_page


def test_counter_resends_the_claim_link_until_a_password_is_set(
    loket_client, loket, caplog, settings
):
    settings.MPP_DEMO = True  # the console SMS gateway shows messages in demo mode only
    citizen = register_walk_in(
        officer=loket, nik=WALK_IN_NIK, full_name="Budi Santoso", phone="081234567890"
    )
    page = loket_client.get(f"{HOME}warga/{citizen.pk}/").content.decode()
    assert "Kirim ulang tautan" in page
    response = loket_client.post(f"{HOME}warga/{citizen.pk}/tautan-akun/")
    assert response.status_code == 302
    sent = [m for r in caplog.records if (m := r.getMessage()).startswith("console_sms to +6281")]
    assert len(sent) == 2 and all("/akun/atur-sandi/" in message for message in sent)
    assert not mail.outbox
    user = citizen.user
    user.set_password("kopi-jahe-warga-9")
    user.save()
    refused = loket_client.post(f"{HOME}warga/{citizen.pk}/tautan-akun/")
    assert refused.status_code == 409
    assert (
        "Kirim ulang tautan" not in loket_client.get(f"{HOME}warga/{citizen.pk}/").content.decode()
    )


def test_register_without_contact_sends_nothing(loket):
    citizen = register_walk_in(officer=loket, nik=WALK_IN_NIK, full_name="Budi Santoso")
    assert citizen.user.email == "" and citizen.phone == ""
    assert not mail.outbox


def test_a_nik_is_never_recorded_twice(loket, citizen):
    with pytest.raises(Conflict) as refused:
        register_walk_in(officer=loket, nik=NIK, full_name="Siti Lain")
    assert refused.value.field == "nik"
    assert Citizen.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"nik": "35100112038500"}, "nik"),
        ({"nik": "9910011203850002"}, "nik"),
        ({"full_name": "  "}, "full_name"),
        ({"email": "bukan-email"}, "email"),
        ({"phone": "12"}, "phone"),
    ],
)
def test_bad_registration_input_changes_nothing(loket, fields, field):
    with pytest.raises(InvalidInput) as refused:
        register_walk_in(officer=loket, **{"nik": WALK_IN_NIK, "full_name": "Budi", **fields})
    assert refused.value.field == field
    assert (
        not Citizen.objects.exists() and not User.objects.filter(username__startswith="w").exists()
    )


def test_only_counter_officers_register(make_officer):
    with pytest.raises(Forbidden):
        register_walk_in(officer=make_officer(Role.AGENCY_OFFICER), nik=WALK_IN_NIK, full_name="B")


def test_register_page_duplicate_and_malformed_nik_are_clear_4xx(loket_client, citizen):
    duplicate = loket_client.post(HOME + "daftar/", {"nik": NIK, "full_name": "Siti Lain"})
    assert duplicate.status_code == 409
    assert "NIK ini sudah terdaftar" in duplicate.content.decode()
    malformed = loket_client.post(HOME + "daftar/", {"nik": "abc", "full_name": "Budi"})
    assert malformed.status_code == 400
    assert "NIK hanya berisi angka" in malformed.content.decode()
    assert Citizen.objects.count() == 1


def test_register_page_then_serve_the_citizen(loket_client, akta_ready):
    response = loket_client.post(
        HOME + "daftar/",
        {"nik": WALK_IN_NIK, "full_name": "Budi Santoso", "phone": "0812-3456-7890"},
    )
    citizen = Citizen.objects.get(full_name="Budi Santoso")
    assert response["Location"] == f"{HOME}warga/{citizen.pk}/"
    assert citizen.phone == "+6281234567890"
    assert loket_client.get(apply_url(citizen, akta_ready)).status_code == 200


# --- filing for the citizen --------------------------------------------------------------------


@freeze_time("2026-11-25 10:00:00+07:00", tick=True)  # "today" must not end mid-test
def test_submission_is_recorded_as_counter_by_the_officer(loket_client, loket, citizen, akta_ready):
    find(loket_client, NIK)
    response = loket_client.post(
        apply_url(citizen, akta_ready),
        {"child_name": "Budi", "idempotency_key": "loket-1", "kk_scan": pdf_upload()},
    )
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{HOME}permohonan/{application.tracking}/"
    assert application.channel == Application.Channel.COUNTER
    assert application.submitted_by == loket and application.applicant == citizen
    assert "untuk Siti Aminah" in application.transitions.first().actor_label
    [attachment] = ApplicationDocument.objects.filter(application=application)
    assert attachment.added_by == loket
    assert attachment.document.owner == citizen and attachment.document.uploaded_by == loket
    assert DataAccess.objects.filter(citizen=citizen, purpose__contains="Mengunggah").exists()

    done = loket_client.get(response["Location"])
    body = done.content.decode()
    assert application.tracking in body and "Penerbitan Akta Kelahiran" in body
    assert "Diajukan oleh petugas Petugas untuk warga Siti Aminah." in body
    today = loket_client.get(HOME).content.decode()
    assert application.tracking in today


def test_double_submit_files_one_application(loket_client, citizen, akta_ready):
    find(loket_client, NIK)
    posted = {"child_name": "Budi", "idempotency_key": "loket-twice"}
    first = loket_client.post(apply_url(citizen, akta_ready), posted)
    second = loket_client.post(apply_url(citizen, akta_ready), posted)
    assert first["Location"] == second["Location"]
    assert Application.objects.count() == 1


def test_bad_form_input_is_400_and_files_nothing(loket_client, citizen, akta_ready):
    find(loket_client, NIK)
    response = loket_client.post(apply_url(citizen, akta_ready), {"idempotency_key": "k"})
    assert response.status_code == 400
    assert "isian perlu diperbaiki" in response.content.decode()
    assert not Application.objects.exists()


def test_another_regions_offering_is_refused(loket_client, loket, citizen, akta_ready):
    elsewhere = save_offering(
        actor=None, region_code="33.14", template_slug="akta-kelahiran",
        channels=[ChannelSpec("counter")],
    )  # fmt: skip
    find(loket_client, NIK)
    assert loket_client.get(apply_url(citizen, elsewhere)).status_code == 404
    posted = {"child_name": "Budi", "idempotency_key": "x"}
    assert loket_client.post(apply_url(citizen, elsewhere), posted).status_code == 404
    with pytest.raises(Forbidden):
        services.submit_application(
            user=loket, offering_id=elsewhere.pk, data={"child_name": "Budi"},
            idempotency_key="y", on_behalf_of=citizen.pk,
        )  # fmt: skip
    assert not Application.objects.exists()


def test_confirmation_is_only_for_the_officer_who_filed(
    client, loket, make_officer, citizen, akta_ready
):
    serve(loket, citizen)
    application = services.submit_application(
        user=loket, offering_id=akta_ready.pk, data={"child_name": "Budi"},
        idempotency_key="z", on_behalf_of=citizen.pk,
    ).application  # fmt: skip
    client.force_login(make_officer(Role.COUNTER_OFFICER))
    assert client.get(f"{HOME}permohonan/{application.tracking}/").status_code == 404


def test_prefill_only_under_the_citizens_own_consent(loket_client, loket, citizen, akta_ready):
    find(loket_client, NIK)
    page = loket_client.get(apply_url(citizen, akta_ready)).content.decode()
    assert "belum menyetujui isi otomatis" in page and 'value="Siti Aminah"' not in page
    prefill.agree_to_prefill(citizen, akta_ready, services.form_for(akta_ready)[1])  # online
    page = loket_client.get(apply_url(citizen, akta_ready)).content.decode()
    assert 'value="Siti Aminah"' in page
    assert DataAccess.objects.filter(
        citizen=citizen, purpose__contains="persetujuan warga"
    ).exists()


def test_citizen_and_officer_pages_say_who_filed(
    client, loket, make_officer, citizen, applicant, akta_ready
):
    serve(loket, citizen)
    application = services.submit_application(
        user=loket, offering_id=akta_ready.pk, data={"child_name": "Budi"},
        idempotency_key="z", on_behalf_of=citizen.pk,
    ).application  # fmt: skip
    own = services.submit_application(
        user=applicant, offering_id=akta_ready.pk, data={"child_name": "Ani"}, idempotency_key="o"
    ).application
    client.force_login(applicant)
    said = "Diajukan oleh petugas Petugas untuk warga Siti Aminah."
    assert said in client.get(f"/permohonan/{application.tracking}/").content.decode()
    assert (
        "Diajukan oleh petugas" not in client.get(f"/permohonan/{own.tracking}/").content.decode()
    )
    client.force_login(make_officer(Role.AGENCY_OFFICER, agency=akta_ready.agency))
    assert said in client.get(f"/petugas/permohonan/{application.tracking}/").content.decode()


# --- documents on the citizen's behalf ---------------------------------------------------------


def test_upload_for_citizen_needs_a_counter_grant_in_the_region(make_officer, citizen):
    officer = make_officer(Role.COUNTER_OFFICER)
    with pytest.raises(Forbidden):
        documents.upload_for_citizen(
            officer=officer, citizen=citizen, region_code="33.14", upload=pdf_upload(),
            document_type=None,
        )  # fmt: skip
    with pytest.raises(Forbidden):
        documents.upload_for_citizen(
            officer=make_officer(Role.AGENCY_OFFICER), citizen=citizen, region_code="35.10",
            upload=pdf_upload(), document_type=None,
        )  # fmt: skip
    assert not Document.objects.exists()


# --- API ---------------------------------------------------------------------------------------


def test_api_finds_a_citizen_masked_and_logged(loket_client, loket, citizen):
    response = loket_client.post(
        "/api/v1/counter/citizens/search", {"nik": NIK}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json() == {
        "id": citizen.pk, "name": "Si** Am****", "nik": "351001******0001",
        "assurance_level": citizen.assurance_level,
    }  # fmt: skip
    assert DataAccess.objects.filter(citizen=citizen, accessor=loket).count() == 1
    assert (
        loket_client.post(
            "/api/v1/counter/citizens/search", {"nik": "123"}, content_type="application/json"
        ).status_code
        == 400
    )
    assert (
        loket_client.post(
            "/api/v1/counter/citizens/search", {"nik": WALK_IN_NIK}, content_type="application/json"
        ).status_code
        == 404
    )


def test_api_registers_walk_ins_once(loket_client):
    posted = {"nik": WALK_IN_NIK, "full_name": "Budi Santoso"}
    made = loket_client.post("/api/v1/counter/citizens", posted, content_type="application/json")
    assert made.status_code == 201 and made.json()["name"] == "Bu** Sa*****"
    again = loket_client.post("/api/v1/counter/citizens", posted, content_type="application/json")
    assert again.status_code == 409
    assert Citizen.objects.count() == 1


def test_api_refuses_other_staff(client, make_officer, citizen):
    client.force_login(make_officer(Role.AGENCY_OFFICER))
    assert (
        client.post(
            "/api/v1/counter/citizens/search", {"nik": NIK}, content_type="application/json"
        ).status_code
        == 403
    )
    posted = {"nik": WALK_IN_NIK, "full_name": "Budi Santoso"}
    assert (
        client.post("/api/v1/counter/citizens", posted, content_type="application/json").status_code
        == 403
    )
    assert not DataAccess.objects.exists() and Citizen.objects.count() == 1


def test_masked_name_keeps_short_words():
    assert counter.masked_name("A Bc Dewi") == "A Bc De**"


@pytest.mark.django_db(transaction=True)
def test_two_counters_registering_one_nik_at_once_make_one_citizen(official_regions, request):
    """PostgreSQL only: both pass the first check, the unique index decides, the loser gets 409."""
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, there is no race to test")
    make_officer = request.getfixturevalue("make_officer")
    officers = [make_officer(Role.COUNTER_OFFICER) for _ in range(3)]
    barrier = threading.Barrier(len(officers))
    outcomes: list[str] = []

    def register(officer):
        try:
            barrier.wait()
            register_walk_in(officer=officer, nik=WALK_IN_NIK, full_name="Budi Santoso")
            outcomes.append("made")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(o,)) for o in officers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "conflict", "made"]
    assert Citizen.objects.count() == 1
    assert User.objects.filter(username__startswith="w").count() == 1


def test_a_bare_citizen_id_over_the_api_files_nothing(client, loket, citizen, akta_ready):
    """Filing for a citizen needs the NIK look-up first, through the API as on the pages."""
    client.force_login(loket)
    response = client.post(
        "/api/v1/applications",
        {"offering_id": akta_ready.pk, "data": {"child_name": "Budi"}, "on_behalf_of": citizen.pk},
        content_type="application/json", HTTP_IDEMPOTENCY_KEY="bare-id",
    )  # fmt: skip
    assert response.status_code == 404
    assert not Application.objects.exists()
    serve(loket, citizen)
    response = client.post(
        "/api/v1/applications",
        {"offering_id": akta_ready.pk, "data": {"child_name": "Budi"}, "on_behalf_of": citizen.pk},
        content_type="application/json", HTTP_IDEMPOTENCY_KEY="served",
    )  # fmt: skip
    assert response.status_code == 201


def test_another_logged_read_does_not_open_the_citizens_file(loket, citizen, akta_ready):
    from mpp.accounts.privacy import record_access

    record_access(
        citizen=citizen, accessor=loket, purpose="Memproses permohonan", fields=["data"],
        region_code="35.10",
    )  # fmt: skip
    with pytest.raises(NotFound):
        services.submit_application(
            user=loket, offering_id=akta_ready.pk, data={"child_name": "Budi"},
            idempotency_key="not-served", on_behalf_of=citizen.pk,
        )  # fmt: skip
    assert not Application.objects.exists()


def test_an_officer_who_no_longer_serves_gets_no_replay(loket, applicant, akta_ready):
    """A citizen's retry is answered even after the catalogue changed; an officer's retry after
    losing the counter is refused, not given the citizen's application."""
    citizen = Citizen.objects.get(user=applicant)
    serve(loket, citizen)
    first = services.submit_application(
        user=loket, offering_id=akta_ready.pk, data={"child_name": "Budi"},
        idempotency_key="once", on_behalf_of=citizen.pk,
    )  # fmt: skip
    loket.role_grants.filter(role=Role.COUNTER_OFFICER).delete()
    with pytest.raises(Forbidden):
        services.submit_application(
            user=loket, offering_id=akta_ready.pk, data={"child_name": "Budi"},
            idempotency_key="once", on_behalf_of=citizen.pk,
        )  # fmt: skip
    assert Application.objects.get().tracking == first.application.tracking
