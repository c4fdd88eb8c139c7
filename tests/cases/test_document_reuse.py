"""A document uploaded once is offered again in the file fields of a later form: the citizen
picks it instead of uploading the scan again."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mpp.accounts.models import Citizen
from mpp.cases import documents, formdefs, services
from mpp.cases.models import Application, ApplicationDocument, Document, Draft, FormDefinition
from mpp.catalog.models import DocumentType
from tests.support.cases import KK_FORM
from tests.support.pdf import make_pdf

pytestmark = pytest.mark.django_db

APPLY = "/wilayah/35.10/layanan/akta-kelahiran/ajukan/"
FORM = KK_FORM


def pdf(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, make_pdf(text), content_type="application/pdf")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.MPP_MALWARE_SCANNER = "noop"


@pytest.fixture
def akta_form(akta):  # overrides the shared fixture: a required KK scan
    DocumentType.objects.get_or_create(slug="kartu-keluarga", defaults={"name": "Kartu Keluarga"})
    DocumentType.objects.get_or_create(slug="pas-foto", defaults={"name": "Pas foto"})
    return FormDefinition.objects.create(
        template=akta, number=1, status=FormDefinition.Status.PUBLISHED, definition=FORM
    )


@pytest.fixture
def kept(applicant):
    """The citizen's KK scan from an earlier application, a photo, and an infected file."""
    kk = documents.upload_document(
        user=applicant, upload=pdf("kk-2025.pdf", "KK"), document_type="kartu-keluarga"
    ).document
    photo = documents.upload_document(
        user=applicant, upload=pdf("foto.pdf", "foto"), document_type="pas-foto"
    ).document
    bad = documents.upload_document(
        user=applicant, upload=pdf("kk-lama.pdf", "lama"), document_type="kartu-keluarga"
    ).document
    Document.objects.filter(pk=bad.pk).update(scan=Document.Scan.INFECTED)
    return {"kk": kk, "photo": photo, "bad": bad}


def test_the_form_offers_the_kept_scan_of_the_fields_type(client, applicant, akta_ready, kept):
    client.force_login(applicant)
    page = client.get(APPLY).content.decode()
    assert "kk-2025.pdf" in page and f'value="{kept["kk"].pk}"' in page
    assert "foto.pdf" not in page  # another document type
    assert "kk-lama.pdf" not in page  # infected
    assert 'id="f-kk_scan-doc-none" name="kk_scan" value="" checked' in page


def test_picking_the_kept_scan_files_it_without_an_upload(client, applicant, akta_ready, kept):
    client.force_login(applicant)
    response = client.post(
        APPLY, {"action": "submit", "idempotency_key": "r1", "child_name": "Budi",
                "kk_scan": str(kept["kk"].pk)},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:500]
    attached = ApplicationDocument.objects.filter(application=Application.objects.get())
    assert list(attached.values_list("document_id", "field")) == [(kept["kk"].pk, "kk_scan")]
    assert Document.objects.count() == 3  # nothing stored again


def test_a_new_upload_wins_over_the_choice_and_a_refused_pick_keeps_it_chosen(
    client, applicant, akta_ready, kept
):
    client.force_login(applicant)
    refused = client.post(
        APPLY, {"action": "submit", "idempotency_key": "r2", "child_name": "",
                "kk_scan": str(kept["kk"].pk)},
    )  # fmt: skip
    assert refused.status_code == 400
    page = refused.content.decode()
    assert (
        f'id="f-kk_scan-doc-{kept["kk"].pk}" name="kk_scan" value="{kept["kk"].pk}" checked' in page
    )
    fresh = client.post(
        APPLY, {"action": "submit", "idempotency_key": "r3", "child_name": "Budi",
                "kk_scan": [str(kept["kk"].pk), pdf("baru.pdf", "baru")]},
    )  # fmt: skip
    assert fresh.status_code == 302
    attached = ApplicationDocument.objects.get(application=Application.objects.get())
    assert attached.document.original_name == "baru.pdf"


def test_the_infected_or_anothers_document_is_refused(
    client, applicant, akta_ready, kept, stranger
):
    theirs = documents.upload_document(
        user=stranger, upload=pdf("kk-ani.pdf", "Ani"), document_type="kartu-keluarga"
    ).document
    client.force_login(applicant)
    for key, document in (("r4", kept["bad"]), ("r5", theirs)):
        response = client.post(
            APPLY, {"action": "submit", "idempotency_key": key, "child_name": "Budi",
                    "kk_scan": str(document.pk)},
        )  # fmt: skip
        assert response.status_code == 400
    assert not Application.objects.exists()


def test_anothers_document_is_listed_with_the_other_field_errors(
    applicant, akta_ready, kept, stranger
):
    theirs = documents.upload_document(
        user=stranger, upload=pdf("kk-ani.pdf", "Ani"), document_type="kartu-keluarga"
    ).document
    with pytest.raises(formdefs.FormInvalid) as refused:
        services.submit_application(
            user=applicant, offering_id=akta_ready.pk, idempotency_key="r6",
            data={"child_name": "", "kk_scan": theirs.pk},
        )  # fmt: skip
    assert [(e["field"], e["code"]) for e in refused.value.errors] == [
        ("child_name", "required"),
        ("kk_scan", "document"),
    ]
    assert not Application.objects.exists()


def test_a_draft_pointing_at_an_infected_scan_does_not_trap_the_citizen(
    client, applicant, akta_ready, kept
):
    """The draft was saved while the scan was pending; it later scanned infected. The page shows
    it as one checked choice (no hidden input that would win), so picking the clean scan works."""
    Draft.objects.create(
        applicant=Citizen.objects.get(user=applicant), offering=akta_ready,
        data={"child_name": "Budi", "kk_scan": kept["bad"].pk},
    )  # fmt: skip
    client.force_login(applicant)
    page = client.get(APPLY).content.decode()
    assert (
        f'value="{kept["bad"].pk}" checked' in page and 'type="hidden" name="kk_scan"' not in page
    )
    response = client.post(
        APPLY, {"action": "submit", "idempotency_key": "r6", "child_name": "Budi",
                "kk_scan": str(kept["kk"].pk)},
    )  # fmt: skip
    assert response.status_code == 302
    assert ApplicationDocument.objects.get().document_id == kept["kk"].pk


def test_ticked_kept_documents_and_new_files_all_attach_to_a_multiple_field(
    client, applicant, akta_ready, akta_form, kept
):
    many = {"key": "lampiran", "type": "file", "label": {"id": "Lampiran"}, "multiple": True}
    FormDefinition.objects.filter(pk=akta_form.pk).update(
        definition={"fields": [FORM["fields"][0], many]}
    )
    client.force_login(applicant)
    response = client.post(
        APPLY, {"action": "submit", "idempotency_key": "r7", "child_name": "Budi",
                "lampiran": [str(kept["kk"].pk), str(kept["photo"].pk), pdf("baru.pdf", "baru")]},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:300]
    names = ApplicationDocument.objects.order_by("id").values_list(
        "document__original_name", flat=True
    )
    assert list(names) == ["kk-2025.pdf", "foto.pdf", "baru.pdf"]


def test_at_the_counter_the_officer_picks_the_scan_the_citizen_uploaded_online(
    client, applicant, akta_ready, kept, make_officer
):
    from mpp.core.roles import Role
    from tests.support.cases import NIK

    citizen = Citizen.objects.get(user=applicant)
    client.force_login(make_officer(Role.COUNTER_OFFICER))
    client.post("/petugas/loket/cari/", {"nik": NIK})  # the look-up that opens her pages
    url = f"/petugas/loket/warga/{citizen.pk}/layanan/{akta_ready.pk}/"
    page = client.get(url).content.decode()
    assert "kk-2025.pdf" in page and "kk-lama.pdf" not in page
    filed = client.post(
        url, {"idempotency_key": "c1", "child_name": "Budi", "kk_scan": str(kept["kk"].pk)}
    )
    assert filed.status_code == 302, filed.content.decode()[:300]
    assert ApplicationDocument.objects.get().document_id == kept["kk"].pk
    assert Document.objects.count() == 3
