"""Agency systems attach the documents they issued and read the application's documents through
the inbound API: checked like uploads, idempotent by event id, only on their own applications."""

import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from mpp.accounts.models import DataAccess
from mpp.cases import documents
from mpp.cases import services as case_services
from mpp.cases.models import Application, Output
from mpp.catalog.models import Agency, AgencyKind
from mpp.notifications.models import Notification
from mpp.workflow.models import Transition
from tests.integrations.test_inbound_api import act, agency_app, token_for

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Each test's own folder: the tests compare what is stored before and after."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def application(applicant, akta_ready):
    return case_services.submit_application(
        user=applicant, offering_id=akta_ready.pk, data={"child_name": "Budi"},
        idempotency_key="outputs-1",
    ).application  # fmt: skip


@pytest.fixture
def siak(akta_ready):
    return Client(HTTP_AUTHORIZATION="Bearer " + token_for(agency_app(akta_ready.agency)))


def attach(client, tracking, *, event_id="out-1", data=PDF, name="akta.pdf", title="Kutipan Akta"):
    body = {"event_id": event_id, "file": SimpleUploadedFile(name, data, "application/pdf")}
    if title is not None:
        body["title"] = title
    return client.post(f"/api/v1/agency/applications/{tracking}/outputs", body)


def stored_outputs() -> set[Path]:
    root = Path(settings.MEDIA_ROOT) / "outputs"
    return set(root.rglob("*")) if root.exists() else set()


def test_the_agency_attaches_its_document_and_the_citizen_gets_it(siak, application, applicant):
    response = attach(siak, application.tracking)
    assert response.status_code == 200, response.content
    body = response.json()
    output = Output.objects.get()
    assert body["code"] == output.code and body["verify_url"].endswith(f"/verify/{output.code}")
    assert output.title == "Kutipan Akta" and output.issued_by is None
    assert output.agency == application.offering.agency
    assert output.sha256 == hashlib.sha256(PDF).hexdigest() == body["sha256"]
    with output.file.open("rb") as stored:
        assert stored.read() == PDF

    verify = Client().get(f"/api/v1/verify/{output.code}")
    assert verify.status_code == 200 and verify.json()["status"] == "valid"
    assert Notification.objects.filter(user=applicant, title__contains="Kutipan Akta").count() == 1

    citizen = Client()
    citizen.force_login(applicant)
    page = citizen.get(f"/permohonan/{application.tracking}/")
    assert output.code in page.content.decode()
    download = citizen.get(f"/permohonan/{application.tracking}/produk/{output.code}.pdf")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


def test_approval_after_an_agency_output_renders_no_second_pdf(siak, application):
    assert attach(siak, application.tracking).status_code == 200
    assert (
        act(siak, application.tracking, "terima", event_id="a1", step="verifikasi").status_code
        == 200
    )
    done = act(siak, application.tracking, "terbitkan", event_id="a2", step="penerbitan")
    assert done.status_code == 200 and done.json()["status"] == "approved"
    assert Output.objects.filter(application=application).count() == 1
    assert Output.objects.get().title == "Kutipan Akta"


def test_an_agency_output_after_approval_is_kept_beside_the_platforms(siak, application):
    act(siak, application.tracking, "terima", event_id="a1", step="verifikasi")
    act(siak, application.tracking, "terbitkan", event_id="a2", step="penerbitan")
    assert Output.objects.filter(application=application).count() == 1  # the platform's PDF
    assert attach(siak, application.tracking, title=None).status_code == 200
    assert Output.objects.filter(application=application).count() == 2
    own = Output.objects.get(issued_by__isnull=True, sha256=hashlib.sha256(PDF).hexdigest())
    assert own.title  # the service's promised output when the system gives no title


@pytest.mark.parametrize(
    ("data", "name", "status"),
    [
        (b"<html><body>bukan pdf</body></html>", "akta.pdf", 400),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "akta.pdf", 400),
        (b"%PDF-1.4\n" + b"x" * 200 + b"\n%%EOF\n", "akta.pdf", 413),
        (b"", "akta.pdf", 400),
    ],
)
def test_a_bad_or_oversized_file_is_refused_and_nothing_is_stored(
    siak, application, data, name, status
):
    before = stored_outputs()
    with override_settings(MPP_UPLOAD_MAX_BYTES=150):
        response = attach(siak, application.tracking, data=data, name=name)
    assert response.status_code == status, response.content
    assert response.json()["errors"][0]["field"] == "file"
    assert not Output.objects.exists() and stored_outputs() == before
    assert not Notification.objects.filter(title__contains="Kutipan").exists()


def test_a_replayed_event_answers_the_same_once_and_another_body_conflicts(siak, application):
    first = attach(siak, application.tracking)
    again = attach(siak, application.tracking)
    assert again.status_code == 200 and again.json() == first.json()
    assert Output.objects.count() == 1
    assert Notification.objects.filter(title__contains="Kutipan Akta").count() == 1
    files = stored_outputs()
    other = attach(siak, application.tracking, data=PDF.replace(b"Catalog", b"Katalog"))
    assert other.status_code == 409
    retitled = attach(siak, application.tracking, title="Lain")
    assert retitled.status_code == 409
    assert Output.objects.count() == 1 and stored_outputs() == files


def test_another_agencys_system_gets_404_and_changes_nothing(application):
    kind = AgencyKind.objects.create(slug="kantor-lain", name="Kantor lain", level="regional")
    elsewhere = Agency.objects.create(kind=kind, region_id="35.10", name="Kantor Lain Banyuwangi")
    stranger = Client(HTTP_AUTHORIZATION="Bearer " + token_for(agency_app(elsewhere)))
    assert attach(stranger, application.tracking).status_code == 404
    assert attach(stranger, "3510-000000-00000-0").status_code == 404
    assert not Output.objects.exists()
    assert (
        Client().post(f"/api/v1/agency/applications/{application.tracking}/outputs").status_code
        == 401
    )


@pytest.mark.parametrize("closing", ["reject", "cancel"])
def test_no_output_for_a_rejected_or_cancelled_application(siak, application, applicant, closing):
    if closing == "reject":
        response = act(siak, application.tracking, "tolak", event_id="r1", step="verifikasi",
                       reason="Berkas tidak lengkap")  # fmt: skip
        assert response.status_code == 200
    else:
        case_services.cancel_application(user=applicant, tracking=application.tracking)
    before = stored_outputs()
    response = attach(siak, application.tracking)
    assert response.status_code == 409
    assert not Output.objects.exists() and stored_outputs() == before


def test_the_agency_reads_an_attached_document_and_the_citizen_sees_who(
    siak, applicant, akta_ready
):
    upload = SimpleUploadedFile("kk.pdf", PDF, "application/pdf")
    document = documents.upload_document(user=applicant, upload=upload).document
    mine = documents.upload_document(
        user=applicant,
        upload=SimpleUploadedFile("lain.pdf", PDF + b"%x\n%%EOF\n", "application/pdf"),
    ).document
    application = case_services.submit_application(
        user=applicant, offering_id=akta_ready.pk, data={"child_name": "Budi"},
        idempotency_key="docs-1",
    ).application  # fmt: skip
    application.attachments.create(document=document, field="kk")

    url = f"/api/v1/agency/applications/{application.tracking}/documents/{document.pk}"
    response = siak.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Cache-Control"] == "private, no-store"
    log = DataAccess.objects.get(citizen__user=applicant)
    assert "SIAK" in log.accessor_label and log.accessor is None
    assert application.tracking in log.purpose and log.fields == ["kk: kk.pdf"]

    # The citizen's own document not attached to this application: 404, not logged.
    other = f"/api/v1/agency/applications/{application.tracking}/documents/{mine.pk}"
    assert siak.get(other).status_code == 404
    assert (
        siak.get(f"/api/v1/agency/applications/{application.tracking}/documents/999999").status_code
        == 404
    )
    kind = AgencyKind.objects.create(slug="kantor-lain", name="Kantor lain", level="regional")
    elsewhere = Agency.objects.create(kind=kind, region_id="35.10", name="Kantor Lain Banyuwangi")
    stranger = Client(HTTP_AUTHORIZATION="Bearer " + token_for(agency_app(elsewhere)))
    assert stranger.get(url).status_code == 404
    assert DataAccess.objects.count() == 1
    assert Application.objects.get(pk=application.pk).version == 1
    assert not Transition.objects.filter(application=application).exclude(action="submit").exists()
