"""Catalogue import: a report names every rejected row; a bad file changes nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mpp.catalog import services
from mpp.catalog.models import CatalogImport, Offering
from mpp.core.errors import Forbidden, InvalidInput
from mpp.core.roles import Role

pytestmark = pytest.mark.django_db

HEADER = "region,service,channels,link_out_url,fee_idr,fee_legal_basis,duration_value,duration_unit,notes,active\n"


def upload(text: str, name="katalog.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


@pytest.fixture
def manager(make_user):
    return make_user(Role.REGIONAL_MANAGER, "35.10")


@pytest.fixture
def kia(make_template):
    return make_template(slug="kia", name="Kartu Identitas Anak", common_names=["kartu anak"])


def test_a_good_file_is_applied(manager, akta, kia):
    csv = HEADER + (
        "35.10,akta-kelahiran,online|counter,,,,,,,ya\n"
        ",kia,link_out,https://kia.example.go.id,5000,Perda Banyuwangi 3/2024,4,hours,Catatan,ya\n"
    )
    job = services.start_import(actor=manager, upload=upload(csv), region_code="35.10")
    job.refresh_from_db()
    assert (job.status, job.total_rows, job.processed_rows, job.applied_rows) == ("done", 2, 2, 2)
    assert job.report == []
    kia_offering = Offering.objects.get(template__slug="kia")
    assert kia_offering.tariffs[0]["amount_idr"] == 5000
    assert (kia_offering.duration_value, kia_offering.duration_unit) == (4, "hours")
    assert kia_offering.channels.get().url == "https://kia.example.go.id"


def test_one_bad_row_rejects_the_whole_file_and_names_every_bad_row(manager, akta, kia):
    csv = HEADER + (
        "35.10,akta-kelahiran,online,,,,,,,ya\n"
        "35.10,kia,fax,,,,,,,ya\n"
        "35.10,tidak-ada,online,,,,,,,ya\n"
        "35.10,kia,online,,-5,Perda,,,,ya\n"
        "33.14,kia,online,,,,,,,ya\n"
        "35.10,kia,online,,,,abc,,,ya\n"
    )
    job = services.start_import(actor=manager, upload=upload(csv), region_code="35.10")
    job.refresh_from_db()
    assert job.status == "rejected"
    assert [(e["row"], e["field"]) for e in job.report] == [
        (3, "channels"),
        (4, "service"),
        (5, "tariffs_override"),
        (6, "region"),
        (7, "duration_value"),
    ]
    assert not Offering.objects.exists()


def test_duplicate_rows_are_reported(manager, akta):
    csv = HEADER + "35.10,akta-kelahiran,online,,,,,,,ya\n35.10,akta-kelahiran,counter,,,,,,,ya\n"
    job = services.start_import(actor=manager, upload=upload(csv), region_code="35.10")
    job.refresh_from_db()
    assert job.report == [
        {"row": 3, "field": "service", "message": "Layanan ini sudah ada di baris 2."}
    ]


def test_xlsx_is_read_like_csv(manager, akta):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["region", "service", "channels", "notes"])
    sheet.append(["35.10", "akta-kelahiran", "online|counter", "Dari XLSX"])
    data = io.BytesIO()
    book.save(data)
    job = services.start_import(
        actor=manager,
        upload=SimpleUploadedFile("katalog.xlsx", data.getvalue()),
        region_code="35.10",
    )
    job.refresh_from_db()
    assert (job.format, job.status) == ("xlsx", "done")
    assert Offering.objects.get().notes == "Dari XLSX"


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "katalog.csv"),  # an image named .csv
        (b"PK\x03\x04garbage", "katalog.xlsx"),  # not really a workbook
        (b"region,layanan\n35.10,x\n", "katalog.csv"),  # wrong columns
        (b"", "kosong.csv"),
    ],
)
def test_unreadable_files_change_nothing(manager, akta, content, name):
    try:
        job = services.start_import(
            actor=manager, upload=SimpleUploadedFile(name, content), region_code="35.10"
        )
    except InvalidInput as refused:
        assert refused.field == "file"
        assert not CatalogImport.objects.exists()
    else:
        job.refresh_from_db()
        assert job.status == "rejected"
        assert job.report[0]["field"] == "file"
    assert not Offering.objects.exists()


def test_oversize_file_is_refused(manager, akta, settings):
    settings.MPP_UPLOAD_MAX_BYTES = 100
    with pytest.raises(InvalidInput) as refused:
        services.start_import(actor=manager, upload=upload(HEADER * 10), region_code="35.10")
    assert refused.value.field == "file"
    assert not CatalogImport.objects.exists()


def test_importing_into_another_region_is_forbidden(manager, akta):
    with pytest.raises(Forbidden):
        services.start_import(actor=manager, upload=upload(HEADER), region_code="33.14")
    with pytest.raises(Forbidden):
        services.start_import(actor=manager, upload=upload(HEADER), region_code=None)


def test_national_import_spans_regions(make_user, akta):
    admin = make_user(Role.NATIONAL_ADMIN)
    csv = (
        HEADER + "35.10,akta-kelahiran,online,,,,,,,ya\n13.75,akta-kelahiran,counter,,,,,,,tidak\n"
    )
    job = services.start_import(actor=admin, upload=upload(csv), region_code=None)
    job.refresh_from_db()
    assert job.applied_rows == 2
    assert not Offering.objects.get(region="13.75").is_active


def test_running_the_task_twice_applies_once(manager, akta):
    from mpp.catalog.tasks import process_catalog_import

    job = services.start_import(
        actor=manager,
        upload=upload(HEADER + "35.10,akta-kelahiran,online,,,,,,,ya\n"),
        region_code="35.10",
    )
    process_catalog_import.call(import_id=job.pk)
    assert Offering.objects.count() == 1
    assert CatalogImport.objects.get().applied_rows == 1


def test_api_upload_and_status(client, manager, akta):
    client.force_login(manager)
    response = client.post(
        "/api/v1/catalog-imports",
        {"file": upload(HEADER + "35.10,akta-kelahiran,online,,,,,,,ya\n"), "region": "35.10"},
    )
    assert response.status_code == 202, response.content
    job_id = response.json()["id"]
    status = client.get(f"/api/v1/catalog-imports/{job_id}").json()
    assert (status["status"], status["progress_percent"], status["applied_rows"]) == (
        "done",
        100,
        1,
    )


def test_api_hides_other_regions_imports(client, make_user, manager, akta):
    job = services.start_import(actor=manager, upload=upload(HEADER), region_code="35.10")
    client.force_login(make_user(Role.REGIONAL_MANAGER, "33.14"))
    assert client.get(f"/api/v1/catalog-imports/{job.pk}").status_code == 404


def test_api_refuses_a_fake_file(client, manager):
    client.force_login(manager)
    response = client.post(
        "/api/v1/catalog-imports",
        {"file": SimpleUploadedFile("x.csv", b"\x00\x01binary"), "region": "35.10"},
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "file"
