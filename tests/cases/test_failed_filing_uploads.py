"""A filing that fails leaves no new document behind; the retry stores the file once.

Files chosen in a form's file fields are stored before the form is checked (the check needs
their document ids). When the POST then fails (a field error, a refused file, a domain error),
the documents it created are deleted again; a document the citizen already had (the same bytes,
deduplicated) stays.
"""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mpp.accounts.models import Citizen
from mpp.cases import documents, services
from mpp.cases.models import Application, Document, FormDefinition
from mpp.catalog.models import DocumentType
from mpp.core.roles import Role
from tests.support.cases import NIK
from tests.support.pdf import make_pdf as pdf_bytes

pytestmark = pytest.mark.django_db

APPLY = "/wilayah/35.10/layanan/akta-kelahiran/ajukan/"
COUNTER = "/petugas/loket/"
FORM = {
    "fields": [
        {"key": "child_name", "type": "text", "label": {"id": "Nama anak"}, "required": True},
        {
            "key": "kk_scan",
            "type": "file",
            "label": {"id": "Kartu Keluarga"},
            "document_type": "kartu-keluarga",
        },
    ]
}


def pdf_upload(text: str = "KK") -> SimpleUploadedFile:
    return SimpleUploadedFile("kk.pdf", pdf_bytes(text), content_type="application/pdf")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.MPP_MALWARE_SCANNER = "noop"


@pytest.fixture
def akta_form(akta):  # overrides the shared fixture: a required text field and a file field
    DocumentType.objects.get_or_create(slug="kartu-keluarga", defaults={"name": "Kartu Keluarga"})
    return FormDefinition.objects.create(
        template=akta, number=1, status=FormDefinition.Status.PUBLISHED, definition=FORM
    )


@pytest.fixture
def citizen(applicant):
    return Citizen.objects.get(user=applicant)


@pytest.fixture
def loket(make_officer):
    return make_officer(Role.COUNTER_OFFICER)


@pytest.fixture
def loket_client(client, loket, citizen):
    client.force_login(loket)
    client.post(COUNTER + "cari/", {"nik": NIK})  # the look-up that opens the citizen's pages
    return client


def counter_url(citizen, offering):
    return f"{COUNTER}warga/{citizen.pk}/layanan/{offering.pk}/"


def stored_files(settings) -> list[Path]:
    return [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


# --- at the counter -----------------------------------------------------------------------------


def test_counter_form_error_keeps_no_scan_and_the_retry_stores_it_once(
    loket_client, citizen, akta_ready, settings
):
    # Given a scan sent with a form that misses a required field
    failed = loket_client.post(
        counter_url(citizen, akta_ready), {"idempotency_key": "c1", "kk_scan": pdf_upload()}
    )
    # Then the form comes back with the error, and no document nor file is left
    assert failed.status_code == 400
    body = failed.content.decode()
    assert "Wajib diisi." in body and 'class="reuse"' not in body  # no deleted doc offered
    assert Document.objects.count() == 0 and stored_files(settings) == []
    assert not Application.objects.exists()
    # When the officer fixes the form and scans again
    done = loket_client.post(
        counter_url(citizen, akta_ready),
        {"idempotency_key": "c1", "child_name": "Budi", "kk_scan": pdf_upload()},
    )
    # Then the scan is stored once, owned by the citizen, on the application
    assert done.status_code == 302
    [document] = Document.objects.all()
    assert document.owner == citizen
    assert Application.objects.get().attachments.get().document == document
    assert len(stored_files(settings)) == 1


def test_counter_domain_error_takes_the_new_scan_back(loket_client, citizen, akta_ready):
    # Given an application already filed under a key
    first = loket_client.post(
        counter_url(citizen, akta_ready), {"idempotency_key": "c2", "child_name": "Budi"}
    )
    assert first.status_code == 302
    # When the same key comes with another body and a new scan (a 409)
    reused = loket_client.post(
        counter_url(citizen, akta_ready),
        {"idempotency_key": "c2", "child_name": "Ani", "kk_scan": pdf_upload()},
    )
    # Then nothing new is kept
    assert reused.status_code == 409
    assert Document.objects.count() == 0 and Application.objects.count() == 1


def test_a_failed_filing_keeps_a_document_the_citizen_already_had(
    loket, loket_client, citizen, akta_ready
):
    # Given the same paper scanned before, for the citizen's documents
    earlier = documents.upload_for_citizen(
        officer=loket, citizen=citizen, region_code="35.10", upload=pdf_upload(),
        document_type=None,
    ).document  # fmt: skip
    # When a filing with the same bytes fails on a form error
    failed = loket_client.post(
        counter_url(citizen, akta_ready), {"idempotency_key": "c3", "kk_scan": pdf_upload()}
    )
    # Then the dedupe's twin, which was there before, stays
    assert failed.status_code == 400
    assert list(Document.objects.all()) == [earlier]


# --- the citizen's own pages -------------------------------------------------------------------


def test_citizen_form_error_keeps_no_upload_and_the_retry_stores_it_once(
    client, applicant, citizen, akta_ready, settings
):
    client.force_login(applicant)
    failed = client.post(
        APPLY, {"action": "submit", "idempotency_key": "a1", "kk_scan": pdf_upload()}
    )
    assert failed.status_code == 400
    assert 'class="reuse"' not in failed.content.decode()  # no deleted doc offered
    assert Document.objects.count() == 0 and stored_files(settings) == []
    done = client.post(
        APPLY,
        {
            "action": "submit",
            "idempotency_key": "a1",
            "child_name": "Budi",
            "kk_scan": pdf_upload(),
        },
    )
    assert done.status_code == 302
    [document] = Document.objects.all()
    assert document.owner == citizen and document.uploaded_by == applicant
    assert Application.objects.get().attachments.get().document == document


def test_a_refused_file_takes_back_the_good_one_sent_with_it(
    client, applicant, akta_ready, akta_form
):
    FormDefinition.objects.filter(pk=akta_form.pk).update(
        definition={"fields": [*FORM["fields"], {
            "key": "birth_letter", "type": "file", "label": {"id": "Surat keterangan lahir"}}]}
    )  # fmt: skip
    client.force_login(applicant)
    failed = client.post(APPLY, {
        "action": "submit", "idempotency_key": "a2", "child_name": "Budi",
        "kk_scan": pdf_upload(),
        "birth_letter": SimpleUploadedFile("surat.pdf", b"<html>not a pdf</html>"),
    })  # fmt: skip
    assert failed.status_code == 400
    assert Document.objects.count() == 0 and not Application.objects.exists()


def test_a_draft_keeps_its_upload(client, applicant, akta_ready):
    """Saving a draft is not a failure: the draft points at the document."""
    client.force_login(applicant)
    saved = client.post(APPLY, {"action": "draft", "kk_scan": pdf_upload()})
    assert saved.status_code == 200
    document = Document.objects.get()
    assert services.draft_of(applicant, akta_ready.pk)["kk_scan"] == document.pk


def test_a_failed_correction_keeps_no_new_document(client, applicant, akta_ready, make_officer):
    application = services.submit_application(
        user=applicant, offering_id=akta_ready.pk, data={"child_name": "Budi"}, idempotency_key="v"
    ).application
    services.act_on_application(
        user=make_officer(Role.AGENCY_OFFICER, agency=akta_ready.agency),
        tracking=application.tracking, step_key="verifikasi", action="minta_perbaikan",
        reason="Lampirkan KK", fields=["kk_scan"],
    )  # fmt: skip
    client.force_login(applicant)
    failed = client.post(f"/permohonan/{application.tracking}/", {
        "action": "resubmit", "version": "2", "child_name": "", "kk_scan": pdf_upload(),
    })  # fmt: skip
    assert failed.status_code == 400
    assert Document.objects.count() == 0
    sent = client.post(f"/permohonan/{application.tracking}/", {
        "action": "resubmit", "version": "2", "child_name": "Budi", "kk_scan": pdf_upload(),
    })  # fmt: skip
    assert sent.status_code == 302
    assert application.attachments.get().document == Document.objects.get()


# --- the service ---------------------------------------------------------------------------------


def test_discard_deletes_only_new_unused_documents_of_the_uploader(
    applicant, citizen, akta_ready, make_user
):
    new = documents.upload_document(user=applicant, upload=pdf_upload("new"))
    twin = documents.upload_document(user=applicant, upload=pdf_upload("new"))
    attached = documents.upload_document(user=applicant, upload=pdf_upload("attached"))
    services.submit_application(
        user=applicant, offering_id=akta_ready.pk,
        data={"child_name": "Budi", "kk_scan": attached.document.pk}, idempotency_key="s",
    )  # fmt: skip
    assert (new.created, twin.created, twin.document) == (True, False, new.document)
    # Someone else cannot discard the citizen's upload
    assert documents.discard_new_uploads(user=make_user(), stored=[new]) == 0
    # The twin (not created by that call) and the attached one are kept
    assert documents.discard_new_uploads(user=applicant, stored=[twin, attached]) == 0
    assert Document.objects.count() == 2
    assert documents.discard_new_uploads(user=applicant, stored=[new, attached]) == 1
    assert list(Document.objects.all()) == [attached.document]
    assert not new.document.file.storage.exists(new.document.file.name)
