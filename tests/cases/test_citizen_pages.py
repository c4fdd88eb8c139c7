"""The citizen's pages: apply (consent, prefill, draft, submit), mine, detail, public status."""

import re

import pytest

from mpp.accounts.models import Consent
from mpp.cases import services
from mpp.cases.models import Application, Draft, FormDefinition
from mpp.core.roles import Role

pytestmark = pytest.mark.django_db

APPLY = "/wilayah/35.10/layanan/akta-kelahiran/ajukan/"


@pytest.fixture
def prefill_form(akta_form):
    FormDefinition.objects.filter(pk=akta_form.pk).update(
        definition={
            "fields": [
                *akta_form.definition["fields"],
                {"key": "reporter", "type": "text", "label": {"id": "Nama pelapor"},
                 "prefill": "full_name"},
            ]
        }
    )  # fmt: skip
    return akta_form


def test_apply_needs_login(client, akta_ready):
    response = client.get(APPLY)
    assert response.status_code == 302 and "/akun/masuk" in response["Location"]


def test_consent_then_prefill_then_submit(client, applicant, akta_ready, prefill_form):
    client.force_login(applicant)
    asked = client.get(APPLY)
    assert asked.status_code == 200
    assert "Setuju, isi otomatis" in asked.content.decode()
    assert "<li>Nama lengkap</li>" in asked.content.decode()  # what is asked, in words

    client.post(APPLY, {"action": "consent"})
    consent = Consent.objects.get(citizen=applicant.citizen)
    assert consent.fields == ["full_name"] and consent.agency == akta_ready.agency

    form = client.get(APPLY).content.decode()
    assert 'value="Siti Aminah"' in form
    key = form.split('name="idempotency_key" value="')[1].split('"')[0]

    done = client.post(
        APPLY, {"action": "submit", "idempotency_key": key, "child_name": "Budi",
                "reporter": "Siti Aminah"},
    )  # fmt: skip
    application = Application.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/permohonan/{application.tracking}/"
    # A double-click posts the same key again: still one application.
    again = client.post(APPLY, {"action": "submit", "idempotency_key": key, "child_name": "Budi",
                                "reporter": "Siti Aminah"})  # fmt: skip
    assert again.status_code == 302 and Application.objects.count() == 1


def test_typing_by_hand_skips_consent(client, applicant, akta_ready, prefill_form):
    client.force_login(applicant)
    page = client.get(APPLY + "?isi=sendiri").content.decode()
    assert 'name="child_name"' in page and "Siti Aminah" not in page
    assert not Consent.objects.exists()


def test_every_error_shown_and_nothing_created(client, applicant, akta_ready, akta_form):
    client.force_login(applicant)
    response = client.post(APPLY, {"action": "submit", "idempotency_key": "k", "remarks": ""})
    assert response.status_code == 400
    assert "isian perlu diperbaiki" in response.content.decode()
    assert not Application.objects.exists()


def test_draft_is_kept_for_another_device(client, applicant, akta_ready, akta_form):
    client.force_login(applicant)
    client.post(APPLY, {"action": "draft", "child_name": "Bud"})
    assert Draft.objects.get().data == {"child_name": "Bud"}
    assert 'value="Bud"' in client.get(APPLY).content.decode()


def test_detail_correction_and_resubmit(client, applicant, akta_ready, make_officer):
    application = services.submit_application(
        user=applicant, offering_id=akta_ready.pk, data={"child_name": "Budi"}, idempotency_key="p"
    ).application
    officer = make_officer(Role.AGENCY_OFFICER, agency=akta_ready.agency)
    services.act_on_application(
        user=officer, tracking=application.tracking, step_key="verifikasi",
        action="minta_perbaikan", reason="Tulis nama lengkap anak", fields=["child_name"],
    )  # fmt: skip
    client.force_login(applicant)
    url = f"/permohonan/{application.tracking}/"
    page = client.get(url).content.decode()
    assert "Perlu perbaikan" in page and "Tulis nama lengkap anak" in page
    stale = client.post(url, {"action": "resubmit", "version": "1", "child_name": "Budi S"})
    assert stale.status_code == 409
    sent = client.post(url, {"action": "resubmit", "version": "2", "child_name": "Budi Santoso"})
    assert sent.status_code == 302
    application.refresh_from_db()
    assert application.status == "in_progress" and application.data["child_name"] == "Budi Santoso"
    assert application.tracking in client.get("/permohonan/").content.decode()


def test_each_field_shows_its_own_reason_when_the_officer_gave_one(
    client, applicant, akta_ready, make_officer
):
    application = services.submit_application(
        user=applicant, offering_id=akta_ready.pk, data={"child_name": "Budi"}, idempotency_key="q"
    ).application
    services.act_on_application(
        user=make_officer(Role.AGENCY_OFFICER, agency=akta_ready.agency),
        tracking=application.tracking, step_key="verifikasi", action="minta_perbaikan",
        reason="Lengkapi isian", fields=["child_name", "remarks"],
        notes={"child_name": "Tulis nama lengkap sesuai surat lahir", "remarks": "  "},
    )  # fmt: skip
    client.force_login(applicant)
    page = client.get(f"/permohonan/{application.tracking}/").content.decode()
    name_error = re.search(r'id="f-child_name-error"><p class="error">([^<]*)<', page)
    remarks_error = re.search(r'id="f-remarks-error"><p class="error">([^<]*)<', page)
    assert name_error and "Tulis nama lengkap sesuai surat lahir" in name_error[1]
    assert remarks_error and "Lengkapi isian" in remarks_error[1]  # no note of its own


def test_someone_elses_application_is_404(client, applicant, akta_ready, make_user):
    application = services.submit_application(
        user=applicant, offering_id=akta_ready.pk, data={"child_name": "Budi"}, idempotency_key="q"
    ).application
    client.force_login(make_user())
    assert client.get(f"/permohonan/{application.tracking}/").status_code == 404


def test_public_status_page(client, applicant, akta_ready):
    application = services.submit_application(
        user=applicant, offering_id=akta_ready.pk, data={"child_name": "Budi"}, idempotency_key="r"
    ).application
    found = client.post("/lacak/", {"nomor": application.tracking, "nik4": "0001"})
    assert found.status_code == 200 and "Verifikasi berkas" in found.content.decode()
    assert "Budi" not in found.content.decode()
    assert (
        client.post("/lacak/", {"nomor": application.tracking, "nik4": "1234"}).status_code == 404
    )
    assert client.post("/lacak/", {"nomor": application.tracking, "nik4": "12"}).status_code == 400


def test_the_lookup_keeps_the_nik_digits_out_of_the_address(client, applicant, akta_ready):
    """A GET (the receipt's QR code) only fills in the number; the look-up itself is posted."""
    tracking = services.submit_application(
        user=applicant, offering_id=akta_ready.pk, data={"child_name": "Budi"}, idempotency_key="q"
    ).application.tracking
    page = client.get(f"/lacak/?nomor={tracking}&nik4=0001").content.decode()
    assert f'value="{tracking}"' in page and 'method="post"' in page
    assert "Verifikasi berkas" not in page and 'value="0001"' not in page


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_apply_with_an_upload_and_a_fake_one(client, applicant, akta_ready, akta_form):
    from django.core.files.uploadedfile import SimpleUploadedFile

    FormDefinition.objects.filter(pk=akta_form.pk).update(
        definition={
            "fields": [
                *akta_form.definition["fields"],
                {"key": "birth_letter", "type": "file", "label": {"id": "Surat keterangan lahir"},
                 "required": True},
            ]
        }
    )  # fmt: skip
    client.force_login(applicant)
    fake = client.post(APPLY, {
        "action": "submit", "idempotency_key": "u1", "child_name": "Budi",
        "birth_letter": SimpleUploadedFile("surat.pdf", b"<html>not a pdf</html>"),
    })  # fmt: skip
    assert fake.status_code == 400 and not Application.objects.exists()
    done = client.post(APPLY, {
        "action": "submit", "idempotency_key": "u1", "child_name": "Budi",
        "birth_letter": SimpleUploadedFile("surat.pdf", PDF, content_type="application/pdf"),
    })  # fmt: skip
    assert done.status_code == 302, done.content.decode()[:2000]
    application = Application.objects.get()
    assert application.attachments.get().field == "birth_letter"
    # The citizen's page shows what they sent: the answers by label, the document to download.
    page = client.get(done["Location"]).content.decode()
    assert "Isian dan dokumen yang Anda kirim" in page
    assert "Nama anak" in page and "Budi" in page and "Surat keterangan lahir" in page
    link = re.search(r'href="(/berkas/[^"]+)" download>surat.pdf<', page)
    assert link and client.get(link[1])["Content-Type"] == "application/pdf"


def test_a_document_sent_with_corrections_is_attached(
    client, applicant, akta_ready, akta_form, make_officer
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    FormDefinition.objects.filter(pk=akta_form.pk).update(
        definition={"fields": [*akta_form.definition["fields"], {
            "key": "birth_letter", "type": "file", "label": {"id": "Surat keterangan lahir"}}]}
    )  # fmt: skip
    application = services.submit_application(
        user=applicant, offering_id=akta_ready.pk, data={"child_name": "Budi"}, idempotency_key="v"
    ).application
    services.act_on_application(
        user=make_officer(Role.AGENCY_OFFICER, agency=akta_ready.agency),
        tracking=application.tracking, step_key="verifikasi", action="minta_perbaikan",
        reason="Lampirkan surat keterangan lahir", fields=["birth_letter"],
    )  # fmt: skip
    client.force_login(applicant)
    sent = client.post(f"/permohonan/{application.tracking}/", {
        "action": "resubmit", "version": "2", "child_name": "Budi",
        "birth_letter": SimpleUploadedFile("surat.pdf", PDF, content_type="application/pdf"),
    })  # fmt: skip
    assert sent.status_code == 302
    assert application.attachments.get().field == "birth_letter"


def test_a_correction_keeps_the_documents_already_attached(
    client, applicant, akta_ready, akta_form, make_officer
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    FormDefinition.objects.filter(pk=akta_form.pk).update(
        definition={"fields": [*akta_form.definition["fields"], {
            "key": "birth_letter", "type": "file", "label": {"id": "Surat keterangan lahir"},
            "required": True}]}
    )  # fmt: skip
    client.force_login(applicant)
    client.post(APPLY, {
        "action": "submit", "idempotency_key": "k", "child_name": "Budi",
        "birth_letter": SimpleUploadedFile("surat.pdf", PDF, content_type="application/pdf"),
    })  # fmt: skip
    application = Application.objects.get()
    services.act_on_application(
        user=make_officer(Role.AGENCY_OFFICER, agency=akta_ready.agency),
        tracking=application.tracking, step_key="verifikasi", action="minta_perbaikan",
        reason="Nama lengkap", fields=["child_name"],
    )  # fmt: skip
    page = client.get(f"/permohonan/{application.tracking}/").content.decode()
    document_id = application.data["birth_letter"]
    assert f'name="birth_letter" value="{document_id}" checked' in page  # the attached one, kept
    sent = client.post(f"/permohonan/{application.tracking}/", {
        "action": "resubmit", "version": "2", "child_name": "Budi Santoso",
        "birth_letter": [str(document_id), ""],  # the checked choice, then the empty file input
    })  # fmt: skip
    assert sent.status_code == 302, sent.content.decode()[:3000]
    application.refresh_from_db()
    assert application.status == Application.Status.IN_PROGRESS
    assert application.data == {"child_name": "Budi Santoso", "birth_letter": document_id}
