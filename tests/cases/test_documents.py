"""Documents: upload judged by content, dedupe, reuse, attach, expiring links, malware scan."""

import contextlib
import datetime
import hashlib
import socket
import struct
import tempfile
import threading
import zlib
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from freezegun import freeze_time

from mpp.accounts.models import DataAccess
from mpp.cases import documents, services
from mpp.cases.models import ApplicationDocument, Document, FormDefinition
from mpp.cases.scanning import ClamdClient, ScanError, scanners
from mpp.catalog.models import DocumentType
from mpp.core.registry import PluginConfigError
from mpp.core.roles import Role
from tests.support.cases import serve
from tests.support.pdf import make_pdf as pdf_bytes

pytestmark = pytest.mark.django_db

FORM = {
    "fields": [
        {"key": "child_name", "type": "text", "label": {"id": "Nama anak"}, "required": True},
        {"key": "remarks", "type": "text", "label": {"id": "Keterangan"}},
        {
            "key": "kk_scan",
            "type": "file",
            "label": {"id": "Kartu Keluarga"},
            "document_type": "kartu-keluarga",
        },
    ]
}
# Split so that no scanner on a developer's machine quarantines this test file.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


# --- Tiny but structurally valid files ---------------------------------------------------------


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_bytes(shade: int = 0) -> bytes:
    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)  # 1×1, 8-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(bytes([0, shade])))
        + _png_chunk(b"IEND", b"")
    )


def corrupt_png() -> bytes:
    data = bytearray(png_bytes())
    data[data.index(b"IDAT") + 4] ^= 0xFF  # first byte of the image data, CRC left as it was
    return bytes(data)


def jpeg_bytes() -> bytes:
    jfif = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    frame = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, 1, 1, 1) + b"\x01\x11\x00"
    scan = b"\xff\xda" + struct.pack(">HB", 8, 1) + b"\x01\x00\x00\x3f\x00"
    return b"\xff\xd8" + jfif + frame + scan + b"\x12\x34" + b"\xff\xd9"


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def stored_files() -> list[str]:
    root = Path(default_storage.location)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.MPP_MALWARE_SCANNER = "noop"


@pytest.fixture
def akta_form(akta):  # overrides the shared fixture: this form has a file field
    DocumentType.objects.get_or_create(slug="kartu-keluarga", defaults={"name": "Kartu Keluarga"})
    return FormDefinition.objects.create(
        template=akta, number=1, status=FormDefinition.Status.PUBLISHED, definition=FORM
    )


@pytest.fixture
def application(applicant, akta_ready):
    return services.submit_application(
        user=applicant, offering_id=akta_ready.pk, data={"child_name": "Budi"}, idempotency_key="k"
    ).application


@pytest.fixture
def stranger(make_user):
    from mpp.accounts.registration import attach_citizen

    user = make_user()
    attach_citizen(
        user=user,
        nik="3510014101850002",
        full_name="Ani Lestari",
        birth_date=datetime.date(1985, 1, 1),
        sex="F",
    )
    return user


def post_file(client, data: bytes, name: str = "berkas.pdf", **extra):
    return client.post("/api/v1/documents", {"file": upload(name, data), **extra})


def attach(client, tracking: str, **form):
    return client.post(f"/api/v1/applications/{tracking}/documents", form)


def download_url(client, document_id: int) -> str:
    response = client.get(f"/api/v1/documents/{document_id}/link")
    assert response.status_code == 200, response.content
    return response.json()["url"].removeprefix("http://testserver")


# --- Upload -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "name", "content_type", "shown_as"),
    [
        (pdf_bytes, "KK Siti.pdf", "application/pdf", "KK Siti.pdf"),
        (jpeg_bytes, "pas foto.JPG", "image/jpeg", "pas foto.JPG"),
        (png_bytes, "C:\\Users\\siti\\tanda tangan", "image/png", "tanda tangan.png"),
    ],
)
def test_upload_is_judged_by_content_and_stored_under_a_random_name(
    client, applicant, make, name, content_type, shown_as
):
    data = make()
    client.force_login(applicant)

    # The browser's declared type is ignored: the bytes decide.
    response = client.post("/api/v1/documents", {"file": upload(name, data, "text/plain")})

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["content_type"] == content_type
    assert body["name"] == shown_as
    assert body["size"] == len(data)
    assert body["sha256"] == hashlib.sha256(data).hexdigest()
    document = Document.objects.get(pk=body["id"])
    assert document.scan == "skipped"  # the noop scanner ran in the (immediate) task
    assert document.owner == applicant.citizen and document.uploaded_by == applicant
    assert "siti" not in document.file.name.lower() and "pas" not in document.file.name
    assert document.file.name.startswith("documents/")
    with document.file.open("rb") as stored:
        assert stored.read() == data


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("foto.jpg", EXE, "Jenis berkas tidak didukung"),
        ("foto.jpg", b"<!doctype html><script>alert(1)</script>", "Jenis berkas tidak didukung"),
        ("surat.pdf", b"%!PS-Adobe-3.0\n", "Jenis berkas tidak didukung"),
        ("foto.jpg", b"\xff\xd8\xff<html><script>alert(1)</script></html>", "JPEG ini rusak"),
        ("surat.pdf", pdf_bytes()[:-200], "PDF ini rusak"),  # cut short: no %%EOF at the end
        ("foto.png", png_bytes()[:-12], "PNG ini rusak"),  # no IEND
        ("foto.png", png_bytes() + b"<html>", "PNG ini rusak"),  # something smuggled after IEND
        ("foto.png", png_bytes().replace(b"IDAT", b"IDAU"), "PNG ini rusak"),  # no image data
        ("foto.png", corrupt_png(), "PNG ini rusak"),  # a flipped byte: checksum wrong
    ],
)
def test_fake_or_broken_files_are_refused_and_nothing_is_stored(
    client, applicant, name, data, message
):
    client.force_login(applicant)

    response = post_file(client, data, name)

    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["field"] == "file" and message in error["message"]
    assert not Document.objects.exists()
    assert stored_files() == []


def test_oversize_is_413_with_the_limit_and_empty_is_400(client, applicant, settings):
    settings.MPP_UPLOAD_MAX_BYTES = 1000
    client.force_login(applicant)

    big = post_file(client, pdf_bytes("x" * 2000) + b"\n" * 1500)
    empty = post_file(client, b"")

    assert big.status_code == 413
    assert big.json()["code"] == "too_large"
    assert filesizeformat(1000) in big.json()["detail"]
    assert empty.status_code == 400
    assert empty.json()["errors"][0] == {
        "field": "file",
        "message": "Berkas kosong. Pilih berkas yang berisi dokumen.",
        "code": "invalid",
    }
    assert not Document.objects.exists() and stored_files() == []


def test_missing_file_or_unknown_type_is_refused(client, applicant):
    client.force_login(applicant)
    assert client.post("/api/v1/documents", {}).status_code == 422
    unknown = post_file(client, pdf_bytes(), document_type="ijazah")
    assert unknown.status_code == 400
    assert unknown.json()["errors"][0]["field"] == "document_type"
    assert not Document.objects.exists()


def test_same_bytes_twice_give_the_same_document(client, applicant, stranger):
    DocumentType.objects.create(slug="kartu-keluarga", name="Kartu Keluarga")
    data = png_bytes()
    client.force_login(applicant)

    first = post_file(client, data, "kk.png", document_type="kartu-keluarga")
    again = post_file(client, data, "kk-lagi.png")

    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["name"] == "kk.png"
    assert again.json()["document_type"] == "kartu-keluarga"
    assert len(stored_files()) == 1
    # Another citizen's identical file is their own document.
    client.force_login(stranger)
    theirs = post_file(client, data, "kk.png")
    assert theirs.status_code == 201 and theirs.json()["id"] != first.json()["id"]
    assert Document.objects.count() == 2


def test_anonymous_cannot_upload_or_list(client):
    assert post_file(client, pdf_bytes()).status_code == 401
    assert client.get("/api/v1/documents").status_code == 401


def test_each_citizen_lists_only_their_own(client, applicant, stranger):
    client.force_login(applicant)
    mine = [post_file(client, make()).json()["id"] for make in (pdf_bytes, png_bytes)]
    client.force_login(stranger)
    theirs = post_file(client, jpeg_bytes()).json()["id"]

    assert [d["id"] for d in client.get("/api/v1/documents").json()] == [theirs]
    client.force_login(applicant)
    assert sorted(d["id"] for d in client.get("/api/v1/documents").json()) == sorted(mine)


def test_scan_task_is_written_in_the_upload_transaction(applicant, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    with pytest.raises(RuntimeError), transaction.atomic():
        documents.upload_document(user=applicant, upload=upload("a.pdf", pdf_bytes("a")))
        raise RuntimeError("roll back")
    assert not Document.objects.exists() and not DBTaskResult.objects.exists()

    stored = documents.upload_document(user=applicant, upload=upload("b.pdf", pdf_bytes("b")))
    assert stored.document.scan == Document.Scan.PENDING
    task = DBTaskResult.objects.get()
    assert task.task_path == "mpp.cases.tasks.scan_document"
    assert task.args_kwargs["kwargs"] == {"document_id": stored.document.pk}


# --- Attach to an application ------------------------------------------------------------------


def test_attach_my_document_then_again_is_one_attachment(client, applicant, application):
    client.force_login(applicant)
    document_id = post_file(client, pdf_bytes()).json()["id"]

    first = attach(client, application.tracking, field="kk_scan", document_id=document_id)
    again = attach(client, application.tracking, field="kk_scan", document_id=document_id)

    assert first.status_code == 201, first.content
    assert again.status_code == 200
    assert first.json()["document"]["id"] == document_id
    assert ApplicationDocument.objects.filter(application=application).count() == 1


def test_attach_refusals_change_nothing(client, applicant, stranger, application):
    client.force_login(applicant)
    document_id = post_file(client, pdf_bytes()).json()["id"]

    not_a_file = attach(client, application.tracking, field="child_name", document_id=document_id)
    both = attach(client, application.tracking, field="kk_scan")
    assert not_a_file.status_code == 400 and not_a_file.json()["errors"][0]["field"] == "field"
    assert both.status_code == 400 and both.json()["errors"][0]["field"] == "document_id"

    # Another citizen can neither find my application nor use my document on theirs.
    client.force_login(stranger)
    assert attach(client, application.tracking, field="kk_scan", document_id=document_id).status_code == 404  # fmt: skip
    assert not ApplicationDocument.objects.exists()


def test_another_citizens_document_cannot_go_on_my_application(
    client, applicant, stranger, application
):
    client.force_login(stranger)
    theirs = post_file(client, pdf_bytes("theirs")).json()["id"]
    client.force_login(applicant)

    response = attach(client, application.tracking, field="kk_scan", document_id=theirs)

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "document_id"
    assert not ApplicationDocument.objects.exists()


def test_closed_application_takes_no_documents(client, applicant, application):
    client.force_login(applicant)
    document_id = post_file(client, pdf_bytes()).json()["id"]
    services.cancel_application(user=applicant, tracking=application.tracking, reason="batal")

    response = attach(client, application.tracking, field="kk_scan", document_id=document_id)

    assert response.status_code == 409
    assert not ApplicationDocument.objects.exists()


def test_the_counter_officer_who_filed_uploads_for_the_citizen(
    client, applicant, akta_ready, make_officer
):
    officer = make_officer(Role.COUNTER_OFFICER)
    serve(officer, applicant.citizen)
    application = services.submit_application(
        user=officer, offering_id=akta_ready.pk, data={"child_name": "Budi"},
        idempotency_key="loket", on_behalf_of=applicant.citizen.pk,
    ).application  # fmt: skip
    client.force_login(officer)

    response = client.post(
        f"/api/v1/applications/{application.tracking}/documents",
        {"field": "kk_scan", "file": upload("scan.pdf", pdf_bytes("loket"))},
    )

    assert response.status_code == 201, response.content
    document = Document.objects.get()
    assert document.owner == applicant.citizen and document.uploaded_by == officer
    assert document.document_type.slug == "kartu-keluarga"  # from the form field
    assert ApplicationDocument.objects.get().added_by == officer
    # Another counter officer of the region (who did not file it) and one of another region do
    # not find the application.
    for stranger in (
        make_officer(Role.COUNTER_OFFICER),
        make_officer(Role.COUNTER_OFFICER, region="33.14"),
    ):
        client.force_login(stranger)
        other = client.post(
            f"/api/v1/applications/{application.tracking}/documents",
            {"field": "kk_scan", "file": upload("scan.pdf", pdf_bytes("lain"))},
        )
        assert other.status_code == 404
    assert Document.objects.count() == 1


# --- Download links ---------------------------------------------------------------------------


def test_owner_downloads_through_an_expiring_link(client, applicant):
    data = pdf_bytes()
    client.force_login(applicant)
    document_id = post_file(client, data, "KK Siti.pdf").json()["id"]

    with freeze_time("2026-03-02 09:00:00") as clock:
        url = download_url(client, document_id)
        assert url.startswith("/berkas/")
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == data
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="KK Siti.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response["Cache-Control"]

        clock.tick(datetime.timedelta(seconds=301))
        expired = client.get(url)
        assert expired.status_code == 410
        assert "kedaluwarsa" in expired.content.decode()
    assert not DataAccess.objects.exists()  # the owner reading their own file is not logged


def test_tampered_foreign_or_anonymous_links_are_refused(client, applicant, stranger):
    client.force_login(applicant)
    document_id = post_file(client, pdf_bytes()).json()["id"]
    url = download_url(client, document_id)

    tampered = url[:-1] + ("A" if url[-1] != "A" else "B")
    assert client.get(tampered).status_code == 404
    client.force_login(stranger)
    assert client.get(url).status_code == 404  # a link is for the user it was made for
    assert client.get(f"/api/v1/documents/{document_id}/link").status_code == 404
    client.logout()
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/akun/" in anonymous["Location"]


def test_officer_of_the_region_downloads_and_the_citizen_sees_it(
    client, applicant, application, make_officer
):
    client.force_login(applicant)
    document_id = post_file(client, pdf_bytes()).json()["id"]
    attach(client, application.tracking, field="kk_scan", document_id=document_id)
    officer = make_officer(Role.AGENCY_OFFICER, agency=application.offering.agency)
    client.force_login(officer)

    response = client.get(download_url(client, document_id))

    assert response.status_code == 200
    access = DataAccess.objects.get(citizen=applicant.citizen)
    assert access.accessor == officer
    assert access.purpose == f"Mengunduh dokumen permohonan {application.tracking}"
    assert access.fields == ["kk_scan: berkas.pdf"]
    assert access.region_id == "35.10"
    # The officer's link is theirs alone, even for the owner who may read the file anyway.
    officer_url = download_url(client, document_id)
    client.force_login(applicant)
    assert client.get(officer_url).status_code == 404
    assert DataAccess.objects.count() == 1


def test_officers_elsewhere_and_of_unattached_documents_get_404(
    client, applicant, application, make_officer
):
    client.force_login(applicant)
    attached = post_file(client, pdf_bytes("a")).json()["id"]
    loose = post_file(client, pdf_bytes("b")).json()["id"]
    attach(client, application.tracking, field="kk_scan", document_id=attached)

    client.force_login(make_officer(Role.AGENCY_OFFICER, region="33.14"))
    assert client.get(f"/api/v1/documents/{attached}/link").status_code == 404
    client.force_login(make_officer(Role.AGENCY_OFFICER))
    assert client.get(f"/api/v1/documents/{loose}/link").status_code == 404
    assert not DataAccess.objects.exists()


# --- Malware scanning with clamd ---------------------------------------------------------------


class FakeClamd:
    """Speaks clamd's PING and INSTREAM on a real socket; finds EICAR anywhere in the stream."""

    def __init__(self, family: int, address: object) -> None:
        self.server = socket.socket(family, socket.SOCK_STREAM)
        self.server.bind(address)
        self.server.listen()
        self.scans: list[bytes] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            with connection, connection.makefile("rb") as stream:
                command = b""
                while not command.endswith(b"\0"):
                    command += stream.read(1)
                if command == b"zPING\0":
                    connection.sendall(b"PONG\0")
                elif command == b"zINSTREAM\0":
                    data = b""
                    while length := struct.unpack(">I", stream.read(4))[0]:
                        data += stream.read(length)
                    self.scans.append(data)
                    found = EICAR in data
                    connection.sendall(
                        b"stream: Eicar-Signature FOUND\0" if found else b"stream: OK\0"
                    )
                else:
                    connection.sendall(b"UNKNOWN COMMAND\0")

    def close(self) -> None:
        with contextlib.suppress(OSError):  # shutdown wakes the thread blocked in accept()
            self.server.shutdown(socket.SHUT_RDWR)
        self.server.close()
        self.thread.join(timeout=5)


@pytest.fixture
def clamd(settings):
    fake = FakeClamd(socket.AF_INET, ("127.0.0.1", 0))
    settings.MPP_MALWARE_SCANNER = "clamd"
    settings.MPP_CLAMD_ADDRESS = f"tcp://127.0.0.1:{fake.server.getsockname()[1]}"
    yield fake
    fake.close()


def test_clamd_check_config_pings_over_tcp_and_unix_sockets(clamd, settings):
    scanners["clamd"].check_config()

    folder = tempfile.mkdtemp(prefix="clamd", dir="/tmp")
    path = f"{folder}/clamd.sock"
    over_unix = FakeClamd(socket.AF_UNIX, path)
    try:
        assert ClamdClient(f"unix://{path}").ping() is True
        settings.MPP_CLAMD_ADDRESS = f"unix://{path}"
        scanners["clamd"].check_config()
    finally:
        over_unix.close()
        Path(path).unlink()
        Path(folder).rmdir()

    clamd.close()
    settings.MPP_CLAMD_ADDRESS = clamd_address = f"tcp://127.0.0.1:{_free_port()}"
    with pytest.raises(PluginConfigError, match="unreachable"):
        scanners["clamd"].check_config()
    with pytest.raises(ScanError), Path(__file__).open("rb") as stream:
        ClamdClient(clamd_address, timeout=1).instream(stream)
    settings.MPP_CLAMD_ADDRESS = "http://clamd"
    with pytest.raises(PluginConfigError, match="tcp://host:port"):
        scanners["clamd"].check_config()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_scan_marks_clean_and_infected_and_infected_cannot_be_used(
    client, applicant, application, clamd
):
    client.force_login(applicant)
    clean_pdf = pdf_bytes("bersih")
    infected_pdf = b"%PDF-1.4\n%" + EICAR + b"\n%%EOF\n"

    clean = post_file(client, clean_pdf).json()
    infected = post_file(client, infected_pdf, "virus.pdf").json()

    scans = dict(Document.objects.values_list("pk", "scan"))
    assert (scans[clean["id"]], scans[infected["id"]]) == ("clean", "infected")
    assert clamd.scans == [clean_pdf, infected_pdf]  # the whole file went through INSTREAM
    refused = attach(client, application.tracking, field="kk_scan", document_id=infected["id"])
    assert refused.status_code == 400
    assert "berbahaya" in refused.json()["errors"][0]["message"]
    assert client.get(f"/api/v1/documents/{infected['id']}/link").status_code == 409
    assert attach(client, application.tracking, field="kk_scan", document_id=clean["id"]).status_code == 201  # fmt: skip
    assert [a.document_id for a in ApplicationDocument.objects.all()] == [clean["id"]]


def test_scanning_twice_scans_once_and_a_dead_scanner_leaves_it_pending(applicant, clamd, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    document = documents.upload_document(
        user=applicant, upload=upload("a.png", png_bytes())
    ).document

    assert documents.scan_document(document_id=document.pk) == "clean"
    assert documents.scan_document(document_id=document.pk) is None
    assert len(clamd.scans) == 1

    other = documents.upload_document(user=applicant, upload=upload("b.png", png_bytes(9))).document
    clamd.close()
    with pytest.raises(ScanError):
        documents.scan_document(document_id=other.pk)
    other.refresh_from_db()
    assert other.scan == Document.Scan.PENDING
