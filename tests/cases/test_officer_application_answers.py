"""The officer's application page reads every answer through the form (labels, choice labels,
dates, addresses, group rows) and lists the attached documents with expiring download links."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from mpp.accounts.models import DataAccess
from mpp.cases import documents, services
from mpp.cases.formdefs import display
from mpp.cases.models import Document, FormDefinition
from mpp.catalog.models import DocumentType
from mpp.core.roles import Role
from tests.support.cases import NIK
from tests.support.pdf import make_pdf

pytestmark = pytest.mark.django_db
QUEUE = "/petugas/permohonan/"

FORM = {
    "fields": [
        {"key": "child_name", "type": "text", "label": {"id": "Nama anak", "en": "Child's name"},
         "required": True},
        {"key": "sex", "type": "choice", "label": {"id": "Jenis kelamin", "en": "Sex"},
         "options": [{"value": "F", "label": {"id": "Perempuan", "en": "Female"}},
                     {"value": "M", "label": {"id": "Laki-laki", "en": "Male"}}]},
        {"key": "birth_date", "type": "date", "label": {"id": "Tanggal lahir"}},
        {"key": "mother_nik", "type": "nik", "label": {"id": "NIK ibu"}},
        {"key": "home", "type": "address", "label": {"id": "Alamat"}},
        {"key": "consent", "type": "checkbox", "label": {"id": "Data benar"}},
        {"key": "witnesses", "type": "group", "label": {"id": "Saksi"},
         "fields": [{"key": "name", "type": "text", "label": {"id": "Nama saksi"}},
                    {"key": "relation", "type": "choice", "label": {"id": "Hubungan"},
                     "options": [{"value": "tetangga", "label": {"id": "Tetangga"}},
                                 {"value": "kerabat", "label": {"id": "Kerabat"}}]}]},
        {"key": "kk_scan", "type": "file", "label": {"id": "Kartu Keluarga", "en": "Family card"},
         "document_type": "kartu-keluarga", "multiple": True},
    ]
}  # fmt: skip
ANSWERS = {
    "child_name": "Budi",
    "sex": "M",
    "birth_date": "2024-08-17",
    "mother_nik": NIK,
    "home": {"street": "Jl. Ahmad Yani 5", "rt_rw": "3/5", "village": "Penganjuran",
             "district": "Banyuwangi", "region": "35.10"},
    "consent": "true",
    "witnesses": [{"name": "Ani", "relation": "tetangga"}, {"name": "Dodi", "relation": "kerabat"}],
}  # fmt: skip


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.MPP_MALWARE_SCANNER = "noop"
    DocumentType.objects.get_or_create(slug="kartu-keluarga", defaults={"name": "Kartu Keluarga"})


@pytest.fixture
def akta_form(akta):
    return FormDefinition.objects.create(
        template=akta, number=1, status=FormDefinition.Status.PUBLISHED, definition=FORM
    )


@pytest.fixture
def officer_client(client, make_officer, akta_ready):
    officer = make_officer(Role.AGENCY_OFFICER, agency=akta_ready.agency)
    client.force_login(officer)
    client.officer = officer
    return client


def upload(applicant, n: int) -> Document:
    data = make_pdf(f"Kartu Keluarga halaman {n}")
    return documents.upload_document(
        user=applicant,
        upload=SimpleUploadedFile(f"kk-{n}.pdf", data),
        document_type="kartu-keluarga",
    ).document


def file_with(applicant, akta_ready, count: int, key: str = "k1"):
    ids = [upload(applicant, n).pk for n in range(1, count + 1)]
    return services.submit_application(
        user=applicant, offering_id=akta_ready.pk, data={**ANSWERS, "kk_scan": ids},
        idempotency_key=key,
    ).application  # fmt: skip


def page(client, tracking: str) -> str:
    response = client.get(f"{QUEUE}{tracking}/")
    assert response.status_code == 200
    return response.content.decode()


def test_answers_show_labels_choice_text_dates_addresses_and_group_rows(
    officer_client, applicant, akta_ready
):
    application = file_with(applicant, akta_ready, 1)
    body = page(officer_client, application.tracking)
    answers = body[body.index('id="isian"') : body.index('id="dokumen"')]
    assert "<dt>Jenis kelamin</dt>" in answers and "Laki-laki" in answers
    assert ">M<" not in answers
    assert "17 Agustus 2024" in answers and "2024-08-17" not in answers
    assert NIK in answers
    assert "Jl. Ahmad Yani 5, RT/RW 003/005<br>Penganjuran<br>Kec. Banyuwangi<br>" in answers
    assert "35.10" not in answers and "Banyuwangi</dd>" in answers
    assert "<dt>Data benar</dt>" in answers and ">Ya</dd>" in answers
    assert (
        '<span class="muted">Nama saksi:</span> Ani<br><span class="muted">Hubungan:</span> Tetangga'
        in answers
    )
    assert "Kerabat" in answers and "{" not in answers and "[" not in answers


def test_answers_in_english_use_the_english_labels():
    fields = FORM["fields"]
    with translation.override("en"):
        shown = display.answers(fields, {"sex": "F", "birth_date": "2024-08-17", "extra": [1]})
    assert [(a.label, a.lines) for a in shown] == [
        ("Sex", ["Female"]),
        ("Tanggal lahir", ["17 August 2024"]),
        ("extra", ["[1]"]),  # a key the form no longer has: shown as it is
    ]


def test_documents_are_listed_with_a_link_the_officer_can_open(
    officer_client, applicant, akta_ready
):
    application = file_with(applicant, akta_ready, 1)
    document = application.attachments.get().document
    body = page(officer_client, application.tracking)
    listed = body[body.index('id="dokumen"') : body.index('id="langkah"')]
    assert "<h3>Kartu Keluarga</h3>" in listed and "kk-1.pdf" in listed
    assert "Kartu Keluarga · PDF · " in listed and "Tidak dipindai" in listed
    links = re.findall(r'href="(/berkas/[^"]+)" download>kk-1.pdf<', body)
    assert len(links) == 2  # in the list and at the answer of the file field
    response = officer_client.get(links[0])
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == document.file.open("rb").read()
    assert DataAccess.objects.filter(
        accessor=officer_client.officer, purpose__startswith="Mengunduh dokumen"
    ).exists()


def test_an_infected_document_has_no_link(officer_client, applicant, akta_ready):
    application = file_with(applicant, akta_ready, 2)
    infected = application.attachments.order_by("document_id").first().document
    Document.objects.filter(pk=infected.pk).update(scan=Document.Scan.INFECTED)
    body = page(officer_client, application.tracking)
    assert body.count("download>kk-1.pdf<") == 0 and body.count("download>kk-2.pdf<") == 2
    assert "Berbahaya" in body and "tidak dapat diunduh" in body


def test_query_count_is_the_same_for_one_or_five_documents(officer_client, applicant, akta_ready):
    one = file_with(applicant, akta_ready, 1, key="k1")
    five = file_with(applicant, akta_ready, 5, key="k5")
    page(officer_client, one.tracking)  # warm the process and filing caches
    with CaptureQueriesContext(connection) as with_one:
        assert page(officer_client, one.tracking).count("download>kk-") == 2
    with CaptureQueriesContext(connection) as with_five:
        assert page(officer_client, five.tracking).count("download>kk-") == 10
    assert len(with_one.captured_queries) == len(with_five.captured_queries)
