"""Journey: a citizen whose KK scan is already on file picks it in the form instead of
uploading it again, on a 360 px phone."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from mpp.cases import documents
from mpp.cases.models import ApplicationDocument, FormDefinition
from mpp.catalog.models import DocumentType
from tests.support.browser import assert_accessible, assert_fits_width, save_screenshot
from tests.support.cases import KK_FORM
from tests.support.pdf import make_pdf

pytestmark = [pytest.mark.browser]
FORM = KK_FORM


@pytest.fixture
def akta_form(akta, settings, tmp_path):  # overrides the shared fixture: a required KK scan
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.MPP_MALWARE_SCANNER = "noop"
    DocumentType.objects.get_or_create(slug="kartu-keluarga", defaults={"name": "Kartu Keluarga"})
    return FormDefinition.objects.create(
        template=akta, number=1, status=FormDefinition.Status.PUBLISHED, definition=FORM
    )


def test_the_kept_kk_scan_is_picked_not_uploaded(site_url, akta_ready, applicant, phone_page):
    kk = documents.upload_document(
        user=applicant,
        upload=SimpleUploadedFile(
            "IMG_20251123_103045_kartu_keluarga_scan_0123456789.pdf",
            make_pdf("KK"),
            "application/pdf",
        ),
        document_type="kartu-keluarga",
    ).document
    page = phone_page
    page.goto(site_url + "/wilayah/35.10/layanan/akta-kelahiran/ajukan/")
    page.get_by_label("NIK, e-mail, atau nomor ponsel").fill("siti@example.id")
    page.get_by_label("Kata sandi").fill("x")
    page.get_by_role("button", name="Masuk").click()

    page.get_by_label("Nama anak").fill("Budi")
    page.get_by_label(re.compile("IMG_20251123_103045")).check()
    assert_accessible(page)
    assert_fits_width(page)
    save_screenshot(page, "apply-reuse-document-360")
    page.get_by_role("button", name="Ajukan permohonan").click()
    expect(page.get_by_text(re.compile(r"Nomor lacak Anda: 3510-\d{6}-\d{5}-\d"))).to_be_visible()
    assert ApplicationDocument.objects.get().document_id == kk.pk
