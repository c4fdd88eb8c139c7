"""Submission receipts: rendered on request for the applicant (and the counter officer who
filed for them), never stored, with a QR code to the public status page."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mpp.accounts.models import Citizen
from mpp.cases import documents, services
from mpp.cases.models import FormDefinition
from mpp.catalog.models import DocumentType
from mpp.core.roles import Role
from tests.support.cases import serve
from tests.support.pdf import make_pdf as a_pdf
from tests.support.pdf import pdf_text

pytestmark = pytest.mark.django_db

FORM = {
    "fields": [
        {"key": "child_name", "type": "text", "label": {"id": "Nama anak"}, "required": True},
        {"key": "kk_scan", "type": "file", "label": {"id": "Kartu Keluarga"}},
    ]
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.MPP_MALWARE_SCANNER = "noop"
    settings.MPP_PUBLIC_URL = "https://mpp.example.go.id"


@pytest.fixture
def akta_form(akta):  # overrides the shared fixture: this form has a file field
    DocumentType.objects.get_or_create(slug="kartu-keluarga", defaults={"name": "Kartu Keluarga"})
    return FormDefinition.objects.create(
        template=akta, number=1, status=FormDefinition.Status.PUBLISHED, definition=FORM
    )


@pytest.fixture
def application(applicant, akta_ready):
    stored = documents.upload_document(
        user=applicant,
        upload=SimpleUploadedFile("kk-keluarga-siti.pdf", a_pdf(), "application/pdf"),
    )
    return services.submit_application(
        user=applicant, offering_id=akta_ready.pk, idempotency_key="k",
        data={"child_name": "Budi", "kk_scan": stored.document.pk},
    ).application  # fmt: skip


def pdf_of(response) -> bytes:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert response.content.startswith(b"%PDF-")
    return response.content


def test_applicant_downloads_the_receipt(client, applicant, application, akta_ready, tmp_path):
    client.force_login(applicant)
    files_before = sorted((tmp_path / "media").rglob("*"))

    text = pdf_text(pdf_of(client.get(f"/permohonan/{application.tracking}/tanda-terima.pdf")))

    for expected in (
        "Tanda terima permohonan", application.tracking, "Penerbitan Akta Kelahiran",
        akta_ready.agency.name, "Kabupaten Banyuwangi", "Daring", "kk-keluarga-siti.pdf",
        "(dihitung dalam hari kerja)",
        f"https://mpp.example.go.id/lacak/?nomor={application.tracking}",
    ):  # fmt: skip
        assert expected in text
    local_due = application.due_at.astimezone(datetime.timezone(datetime.timedelta(hours=7)))
    assert f"{local_due:%d-%m-%Y %H:%M} WIB" in text
    assert sorted((tmp_path / "media").rglob("*")) == files_before  # rendered, not stored


def test_detail_page_links_the_receipt(client, applicant, application):
    client.force_login(applicant)
    page = client.get(f"/permohonan/{application.tracking}/").content.decode()
    assert f"/permohonan/{application.tracking}/tanda-terima.pdf" in page


def test_the_page_after_submission_links_the_receipt(client, applicant, akta_ready):
    client.force_login(applicant)
    response = client.post(
        f"/wilayah/35.10/layanan/{akta_ready.template.slug}/ajukan/",
        {"child_name": "Budi", "idempotency_key": "form-1"},
        follow=True,
    )
    tracking = response.redirect_chain[-1][0].rstrip("/").rsplit("/", 1)[-1]
    assert f"/permohonan/{tracking}/tanda-terima.pdf" in response.content.decode()


def test_counter_submission_names_the_officer_and_the_citizen(
    client, applicant, akta_ready, make_officer
):
    counter = make_officer(Role.COUNTER_OFFICER)
    counter.first_name, counter.last_name = "Rina", "Loket"
    counter.save()
    serve(counter, Citizen.objects.get(user=applicant))
    application = services.submit_application(
        user=counter, offering_id=akta_ready.pk, data={"child_name": "Budi"},
        idempotency_key="loket-1", on_behalf_of=Citizen.objects.get(user=applicant).pk,
    ).application  # fmt: skip
    url = f"/permohonan/{application.tracking}/tanda-terima.pdf"

    client.force_login(counter)  # the officer prints it for the walk-in citizen
    text = pdf_text(pdf_of(client.get(url)))
    assert "Diajukan oleh petugas Rina Loket untuk Siti Aminah" in text
    assert "Tidak ada" in text  # no attached documents

    client.force_login(applicant)
    assert "Rina Loket" in pdf_text(pdf_of(client.get(url)))


def test_other_citizens_and_anonymous_get_nothing(client, stranger, application):
    url = f"/permohonan/{application.tracking}/tanda-terima.pdf"
    assert client.get(url).status_code == 302
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    assert client.get("/permohonan/3510-000000-00000-0/tanda-terima.pdf").status_code == 404


def test_other_officers_of_the_region_get_no_receipt(client, make_officer, application):
    client.force_login(make_officer(Role.COUNTER_OFFICER))
    assert client.get(f"/permohonan/{application.tracking}/tanda-terima.pdf").status_code == 404


def test_receipt_api(client, applicant, stranger, application):
    url = f"/api/v1/applications/{application.tracking}/receipt.pdf"
    assert client.get(url).status_code == 401

    client.force_login(stranger)
    refused = client.get(url)
    assert refused.status_code == 404
    assert refused["Content-Type"] == "application/problem+json"

    client.force_login(applicant)
    response = client.get(url)
    assert application.tracking in pdf_text(pdf_of(response))
    assert f"tanda-terima-{application.tracking}.pdf" in response["Content-Disposition"]


def test_the_filing_officer_prints_only_while_at_that_counter_and_it_is_logged(
    client, applicant, akta_ready, make_officer
):
    from mpp.accounts.models import DataAccess, RoleGrant

    counter = make_officer(Role.COUNTER_OFFICER)
    citizen = Citizen.objects.get(user=applicant)
    serve(counter, citizen)
    application = services.submit_application(
        user=counter, offering_id=akta_ready.pk, data={"child_name": "Budi"},
        idempotency_key="loket-2", on_behalf_of=citizen.pk,
    ).application  # fmt: skip
    url = f"/permohonan/{application.tracking}/tanda-terima.pdf"
    client.force_login(counter)
    assert client.get(url).status_code == 200
    assert DataAccess.objects.filter(citizen=citizen, purpose__startswith="Mencetak").exists()
    RoleGrant.objects.filter(user=counter).delete()
    client.force_login(counter)
    assert client.get(url).status_code == 404
