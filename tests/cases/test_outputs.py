"""Outputs: issued on approval (officer or automatic decision), verified publicly, downloaded by
the applicant and officers (revoking: test_output_revocation.py)."""

import hashlib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from mpp.accounts.models import DataAccess
from mpp.cases import output_access, outputs, services
from mpp.cases.models import Application, Output
from mpp.core.errors import Conflict
from mpp.core.roles import Role
from mpp.workflow import timers
from mpp.workflow.models import Step
from mpp.workflow.services import save_process
from tests.support.cases import NIK, demo_process
from tests.support.outputs import approve, sragen_office, stored_bytes, submit
from tests.support.pdf import pdf_text

pytestmark = pytest.mark.django_db
CODE = re.compile(r"^[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}$")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.MPP_PUBLIC_URL = "https://mpp.example.go.id"


# --- Issuing ------------------------------------------------------------------------------------


def test_officer_approval_issues_one_output_with_a_verifiable_pdf(applicant, akta_ready, officer):
    application = submit(applicant, akta_ready)
    services.act_on_application(
        user=officer, tracking=application.tracking, step_key="verifikasi", action="terima"
    )
    assert not Output.objects.exists()  # in progress: nothing issued yet

    services.act_on_application(
        user=officer, tracking=application.tracking, step_key="penerbitan", action="terbitkan"
    )

    output = Output.objects.get()
    assert output.application.status == Application.Status.APPROVED
    assert CODE.match(output.code)
    assert output.title == "Kutipan Akta Kelahiran"  # the standard's promised output
    assert output.agency == akta_ready.agency
    assert output.issued_by == officer
    assert output.issued_at == output.application.closed_at
    assert output.revoked_at is None
    data = stored_bytes(output)
    assert data.startswith(b"%PDF-")
    assert hashlib.sha256(data).hexdigest() == output.sha256
    text = pdf_text(data)
    assert f"https://mpp.example.go.id/verify/{output.code}" in text
    for expected in (
        "Kutipan Akta Kelahiran", "Penerbitan Akta Kelahiran", "Siti Aminah",
        application.tracking, akta_ready.agency.name, "Kabupaten Banyuwangi", output.code,
    ):  # fmt: skip
        assert expected in text
    assert NIK not in text
    assert "DOKUMEN CONTOH" not in text


def test_demo_outputs_say_so(applicant, akta_ready, officer):
    with override_settings(MPP_DEMO=True):
        output = approve(submit(applicant, akta_ready), officer).outputs.get()
    assert "DOKUMEN CONTOH" in pdf_text(stored_bytes(output))


def test_automatic_decision_issues_the_output_too(applicant, akta_ready):
    save_process(
        actor=None, slug="sip-uji", template=akta_ready.template,
        definition=demo_process("sip-tenaga-kesehatan"),
    )  # fmt: skip
    application = submit(applicant, akta_ready)
    step = Step.objects.get(application=application, key="pemeriksaan")

    assert timers.run(now=step.auto_at).decided == 1

    output = Output.objects.get(application=application)
    assert output.issued_by is None
    assert output.issued_at == step.auto_at
    assert hashlib.sha256(stored_bytes(output)).hexdigest() == output.sha256


def test_rejection_and_cancellation_issue_nothing(applicant, akta_ready, officer):
    rejected = submit(applicant, akta_ready, "k-1")
    services.act_on_application(
        user=officer, tracking=rejected.tracking, step_key="verifikasi", action="tolak",
        reason="Berkas palsu",
    )  # fmt: skip
    cancelled = submit(applicant, akta_ready, "k-2")
    services.cancel_application(user=applicant, tracking=cancelled.tracking)
    assert not Output.objects.exists()


def test_issue_output_refuses_an_open_application_and_is_idempotent(
    applicant, akta_ready, officer, issued
):
    open_one = submit(applicant, akta_ready, "k-2")
    with pytest.raises(Conflict):
        outputs.issue_output(open_one, actor_user=officer, at=open_one.submitted_at)
    again = outputs.issue_output(issued.application, actor_user=officer, at=issued.issued_at)
    assert again.pk == issued.pk and Output.objects.count() == 1


def test_codes_are_random_and_forgive_typing():
    codes = {outputs.new_code() for _ in range(200)}
    assert len(codes) == 200 and all(CODE.match(c) for c in codes)
    assert output_access.normalise_code("abcd efgh-ijkl mn0p") == "ABCD-EFGH-IJKL-MNOP"
    assert output_access.normalise_code("ABCD-EFGH") is None
    assert output_access.masked_name("Siti  Aminah") == "S*** A***"


# --- Public verification ------------------------------------------------------------------------


def test_verify_page_shows_a_valid_output_without_personal_data(client, issued):
    response = client.get(f"/verify/{issued.code}")

    assert response.status_code == 200
    body = response.content.decode()
    assert '<meta name="robots" content="noindex, nofollow">' in body
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    for expected in (
        "Kutipan Akta Kelahiran", issued.agency.name, "Kabupaten Banyuwangi", issued.sha256,
        "Sah", "S*** A***", issued.code,
    ):  # fmt: skip
        assert expected in body
    # The hash and the code are random: "0001" may turn up in them by chance.
    shown = body.replace(issued.sha256, "").replace(issued.code, "")
    for private in ("Siti Aminah", NIK, NIK[-4:], issued.application.tracking, "Budi"):
        assert private not in shown
    assert "Dicabut" not in body


def test_verify_page_accepts_a_code_typed_in_lower_case(client, issued):
    assert client.get(f"/verify/{issued.code.lower()}").status_code == 200


def test_verify_page_shows_a_revoked_output_with_date_and_reason(client, issued, officer):
    outputs.revoke_output(
        user=officer, code=issued.code, public_reason="kesalahan_data", note="Tanggal lahir keliru"
    )

    body = client.get(f"/verify/{issued.code}").content.decode()

    assert "Dicabut" in body and "Alasan: Kesalahan data pada dokumen" in body
    assert "Tanggal lahir keliru" not in body  # the note is not for the public
    issued.refresh_from_db()
    assert output_access.stamp(issued.revoked_at, "35.10") in body
    assert ">Sah<" not in body


def test_unknown_code_is_a_friendly_404(client, db):
    response = client.get("/verify/AAAA-BBBB-CCCC-DDDD")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Kode verifikasi tidak dikenal" in body
    assert 'content="noindex, nofollow"' in body
    assert client.get("/verify/bukan-kode").status_code == 404


def upload(data: bytes, name: str = "akta.pdf"):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_hash_check_says_match_for_the_issued_bytes(client, issued):
    response = client.post(f"/verify/{issued.code}", {"file": upload(stored_bytes(issued))})
    assert response.status_code == 200
    assert "Cocok." in response.content.decode()


def test_hash_check_says_mismatch_for_altered_bytes(client, issued):
    original = stored_bytes(issued)
    altered = original.replace(b"/Title", b"/Titel")  # one changed byte still reads as a PDF
    assert altered != original
    response = client.post(f"/verify/{issued.code}", {"file": upload(altered)})
    assert response.status_code == 200
    assert "Tidak cocok." in response.content.decode()


def test_hash_check_refuses_oversize_and_non_pdf_and_stores_nothing(
    client, issued, settings, tmp_path
):
    before = sorted(p for p in (tmp_path / "media").rglob("*") if p.is_file())
    settings.MPP_UPLOAD_MAX_BYTES = 1000
    big = client.post(f"/verify/{issued.code}", {"file": upload(b"%PDF-" + b"x" * 2000)})
    settings.MPP_UPLOAD_MAX_BYTES = 5_000_000
    html = client.post(f"/verify/{issued.code}", {"file": upload(b"<html>", "akta.pdf")})
    missing = client.post(f"/verify/{issued.code}", {})

    assert big.status_code == 413 and "terlalu besar" in big.content.decode()
    assert html.status_code == 400 and "bukan PDF" in html.content.decode()
    assert missing.status_code == 400
    assert sorted(p for p in (tmp_path / "media").rglob("*") if p.is_file()) == before


def test_verify_api(client, issued, officer):
    response = client.get(f"/api/v1/verify/{issued.code}")
    assert response.status_code == 200
    body = response.json()
    assert body == {
        "code": issued.code,
        "title": "Kutipan Akta Kelahiran",
        "agency": issued.agency.name,
        "region": "Kabupaten Banyuwangi",
        "issued_at": body["issued_at"],
        "sha256": issued.sha256,
        "status": "valid",
        "status_label": "Sah",
        "revoked_at": None,
        "revoked_reason": "",
        "revoked_reason_code": "",
        "holder": "S*** A***",
        "verify_url": f"https://mpp.example.go.id/verify/{issued.code}",
    }
    outputs.revoke_output(
        user=officer, code=issued.code, public_reason="permintaan_pemegang", note="Salah cetak"
    )
    revoked = client.get(f"/api/v1/verify/{issued.code}").json()
    assert revoked["status"] == "revoked"
    assert revoked["revoked_reason"] == "Atas permintaan pemegang dokumen"
    assert revoked["revoked_reason_code"] == "permintaan_pemegang"
    assert "Salah cetak" not in str(revoked)
    unknown = client.get("/api/v1/verify/AAAA-BBBB-CCCC-DDDD")
    assert unknown.status_code == 404
    assert unknown["Content-Type"] == "application/problem+json"


def test_match_api(client, issued):
    url = f"/api/v1/verify/{issued.code}/match"
    same = client.post(url, {"file": upload(stored_bytes(issued))})
    other = client.post(url, {"file": upload(b"%PDF-1.4 lain")})
    not_pdf = client.post(url, {"file": upload(b"GIF89a")})
    assert same.json() == {"code": issued.code, "match": True}
    assert other.json() == {"code": issued.code, "match": False}
    assert not_pdf.status_code == 400 and not_pdf.json()["errors"][0]["field"] == "file"


# --- Pages: download and list --------------------------------------------------------------------


def test_applicant_sees_and_downloads_the_output(client, applicant, issued):
    client.force_login(applicant)
    tracking = issued.application.tracking
    page = client.get(f"/permohonan/{tracking}/").content.decode()
    link = f"/permohonan/{tracking}/produk/{issued.code}.pdf"
    assert link in page and "Kutipan Akta Kelahiran" in page and "Sah" in page
    assert f"/verify/{issued.code}" in page

    response = client.get(link)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == issued.sha256


def test_other_citizens_and_strangers_cannot_download(client, stranger, issued):
    link = f"/permohonan/{issued.application.tracking}/produk/{issued.code}.pdf"
    assert client.get(link).status_code == 302  # to the sign-in page
    client.force_login(stranger)
    assert client.get(link).status_code == 404


def test_officer_downloads_and_the_read_is_logged(client, officer, issued):
    client.force_login(officer)
    tracking = issued.application.tracking
    page = client.get(f"/petugas/permohonan/{tracking}/").content.decode()
    link = f"/petugas/permohonan/{tracking}/produk/{issued.code}.pdf"
    assert link in page and "Cabut produk layanan" in page
    before = DataAccess.objects.count()

    response = client.get(link)

    assert response.status_code == 200
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == issued.sha256
    assert DataAccess.objects.count() == before + 1
    assert issued.code in DataAccess.objects.order_by("-id").first().purpose


def test_officer_of_another_region_cannot_download(client, make_officer, issued):
    sragen = sragen_office(issued.agency)
    client.force_login(make_officer(Role.AGENCY_OFFICER, agency=sragen, region="33.14"))
    tracking = issued.application.tracking
    assert client.get(f"/petugas/permohonan/{tracking}/produk/{issued.code}.pdf").status_code == 404


# --- API: an application's outputs with expiring links ------------------------------------------


def test_outputs_api_gives_the_applicant_a_link_for_them_only(
    client, applicant, stranger, issued, settings
):
    tracking = issued.application.tracking
    url = f"/api/v1/applications/{tracking}/outputs"
    assert client.get(url).status_code == 401
    client.force_login(stranger)
    assert client.get(url).status_code == 404

    client.force_login(applicant)
    [row] = client.get(url).json()
    assert row["code"] == issued.code and row["status"] == "valid"
    assert row["sha256"] == issued.sha256 and row["holder"] == "S*** A***"
    link = row["download_url"].removeprefix("http://testserver")
    response = client.get(link)
    assert response.status_code == 200
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == issued.sha256

    client.force_login(stranger)  # a link leaked to someone else opens nothing
    assert client.get(link).status_code == 404
    client.force_login(applicant)
    assert client.get(link[:-3] + "xyz").status_code == 404
    settings.MPP_DOWNLOAD_LINK_SECONDS = -1
    assert client.get(link).status_code == 410


def test_outputs_api_for_officers_of_the_region_is_logged(client, officer, make_officer, issued):
    tracking = issued.application.tracking
    client.force_login(officer)
    before = DataAccess.objects.count()
    [row] = client.get(f"/api/v1/applications/{tracking}/outputs").json()
    assert DataAccess.objects.count() == before + 1
    assert client.get(row["download_url"].removeprefix("http://testserver")).status_code == 200
    assert DataAccess.objects.count() == before + 2

    sragen = sragen_office(issued.agency)
    client.force_login(make_officer(Role.AGENCY_OFFICER, agency=sragen, region="33.14"))
    assert client.get(f"/api/v1/applications/{tracking}/outputs").status_code == 404


def test_only_the_agencies_that_worked_it_read_the_output(
    client, make_officer, issued, other_agency, officer
):
    """Outputs are agency documents: another agency's officer in the same region gets 404."""
    application = issued.application
    url = f"/petugas/permohonan/{application.tracking}/produk/{issued.code}.pdf"
    client.force_login(make_officer(Role.AGENCY_OFFICER, agency=other_agency))
    assert client.get(url).status_code == 404
    listing = client.get(f"/api/v1/applications/{application.tracking}/outputs")
    assert listing.status_code == 404
    client.force_login(officer)
    assert client.get(url).status_code == 200
    client.force_login(make_officer(Role.REGIONAL_MANAGER))
    assert client.get(url).status_code == 200


def test_file_checks_are_limited_per_address(client, issued):
    from mpp.cases.output_access import FILE_CHECKS_PER_10_MINUTES

    data = stored_bytes(issued)
    for _ in range(FILE_CHECKS_PER_10_MINUTES):
        assert client.post(f"/verify/{issued.code}", {"file": upload(data)}).status_code == 200
    refused = client.post(f"/verify/{issued.code}", {"file": upload(data)})
    assert refused.status_code == 429
    api = client.post(f"/api/v1/verify/{issued.code}/match", {"file": upload(data)})
    assert api.status_code == 429


def test_the_pdf_is_drawn_after_the_approval_not_inside_it(client, applicant, akta_ready, officer):
    """With a task queue that has not run yet, approval records the output without a file;
    the first verification renders and stores it, and everyone gets the same bytes after."""
    from django.test import override_settings

    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    ):
        output = approve(submit(applicant, akta_ready), officer).outputs.get()
        assert not output.file and output.sha256 == ""
        page = client.get(f"/verify/{output.code}")
    assert page.status_code == 200
    output.refresh_from_db()
    assert output.file and len(output.sha256) == 64
    assert output.sha256 in page.content.decode()
    assert hashlib.sha256(stored_bytes(output)).hexdigest() == output.sha256
    again = outputs.render(output)
    assert again.file.name == output.file.name  # idempotent: one file
