"""Importing a catalogue handed over as CPSV-AP (Turtle or JSON-LD): our own export reads back
into the same offerings; a broken file, a remote JSON-LD context, an unknown service or a
regional value the row format cannot hold is refused, and then nothing is imported."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mpp.catalog import services
from mpp.catalog.models import CatalogImport, Offering
from mpp.catalog.opendata import rows_from_cpsv
from mpp.catalog.services import ChannelSpec
from mpp.core.roles import Role

SOURCE = "35.10"  # Kabupaten Banyuwangi, whose catalogue is exported
TARGET = "13.75"  # Kota Bukittinggi, into which it is handed over
FORMATS = {"ttl": "katalog.ttl", "jsonld": "katalog.jsonld"}  # import format -> file name
PERDA = "Perda Banyuwangi 3/2024"

pytestmark = [
    pytest.mark.django_db,
    # rdflib's own JSON-LD parser still builds a ConjunctiveGraph internally
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
]


@pytest.fixture
def admin(make_user):
    return make_user(Role.NATIONAL_ADMIN)


@pytest.fixture
def banyuwangi(akta_offering, make_template):
    """Four active offerings (one inheriting everything; overrides of tariff, of working days,
    calendar days and hours; a link-out) and an inactive one, which is not exported."""
    for slug in ("kia", "surat-pindah", "legalisir", "akta-kematian"):
        make_template(slug=slug, name=slug.title(), duration_value=10)
    services.save_offering(
        actor=None,
        region_code=SOURCE,
        template_slug="kia",
        channels=[ChannelSpec("link_out", url="https://kia.example.go.id"), ChannelSpec("counter")],
        tariffs_override=[{"label": "", "amount_idr": 5000, "legal_basis": PERDA}],
        duration_value_override=2,
        duration_unit_override="working_days",
        notes="Bawa KK asli.",
    )
    services.save_offering(
        actor=None,
        region_code=SOURCE,
        template_slug="surat-pindah",
        channels=[ChannelSpec("counter"), ChannelSpec("mobile")],
        duration_value_override=3,
        duration_unit_override="days",
    )
    services.save_offering(
        actor=None,
        region_code=SOURCE,
        template_slug="legalisir",
        channels=[ChannelSpec("online")],
        tariffs_override=[{"label": "", "amount_idr": 0, "legal_basis": PERDA}],
        duration_value_override=4,
        duration_unit_override="hours",
    )
    services.save_offering(
        actor=None,
        region_code=SOURCE,
        template_slug="akta-kematian",
        channels=[ChannelSpec("counter")],
        is_active=False,
    )


def export(client, fmt: str, region: str | None = SOURCE) -> bytes:
    response = client.get(f"/open-data/catalog.{fmt}", {"region": region} if region else {})
    assert response.status_code == 200, response.content[:500]
    return response.content


def handed_over(data: bytes) -> bytes:
    """The source region's catalogue, as another region's system would hand it over."""
    return data.replace(SOURCE.encode(), TARGET.encode())


def import_file(actor, data: bytes, name: str, region_code: str | None = TARGET):
    job = services.start_import(
        actor=actor, upload=SimpleUploadedFile(name, data), region_code=region_code
    )
    job.refresh_from_db()
    return job


def catalogue(region: str) -> dict[str, tuple]:
    offerings = Offering.objects.filter(region_id=region).select_related("template")
    return {
        offering.template.slug: (
            offering.is_active,
            sorted((channel.kind, channel.url) for channel in offering.channels.all()),
            offering.tariffs_override,
            offering.duration_value_override,
            offering.duration_unit_override,
            offering.notes,
        )
        for offering in offerings.prefetch_related("channels")
    }


def file_report(job: CatalogImport) -> str:
    assert job.status == CatalogImport.Status.REJECTED
    assert len(job.report) == 1 and (job.report[0]["row"], job.report[0]["field"]) == (None, "file")
    return job.report[0]["message"]


# --- Round trip --------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_handed_over_export_becomes_the_same_offerings(client, admin, banyuwangi, fmt):
    job = import_file(admin, handed_over(export(client, fmt)), FORMATS[fmt])

    assert (job.format, job.status, job.report) == (fmt, "done", [])
    assert (job.total_rows, job.processed_rows, job.applied_rows) == (4, 4, 4)
    source = catalogue(SOURCE)
    assert source.pop("akta-kematian")[0] is False  # inactive: not exported, not imported
    assert catalogue(TARGET) == source
    # Inherited values are exported as the effective ones but not imported as overrides.
    assert catalogue(TARGET)["akta-kelahiran"] == (
        True, [("counter", ""), ("online", "")], None, None, "", ""
    )  # fmt: skip


@pytest.mark.parametrize("fmt", FORMATS)
def test_rows_read_from_the_export(client, banyuwangi, fmt):
    rows = rows_from_cpsv(export(client, fmt), fmt)

    plain = {"region": SOURCE, "link_out_url": "", "notes": "", "active": "ya"}
    assert rows == [
        (1, {**plain, "service": "akta-kelahiran", "channels": "counter|online"}),
        (2, {
            **plain, "service": "kia", "channels": "counter|link_out",
            "link_out_url": "https://kia.example.go.id", "notes": "Bawa KK asli.",
            "fee_idr": "5000", "fee_legal_basis": PERDA,
            "duration_value": "2", "duration_unit": "working_days",
        }),
        (3, {
            **plain, "service": "legalisir", "channels": "online",
            "fee_idr": "0", "fee_legal_basis": PERDA, "duration_value": "4", "duration_unit": "hours",
        }),
        (4, {
            **plain, "service": "surat-pindah", "channels": "counter|mobile",
            "duration_value": "3", "duration_unit": "days",
        }),
    ]  # fmt: skip


def test_a_regional_manager_imports_their_own_regions_catalogue(client, make_user, banyuwangi):
    manager = make_user(Role.REGIONAL_MANAGER, TARGET)

    job = import_file(manager, handed_over(export(client, "ttl")), "katalog.ttl")

    assert (job.status, job.applied_rows) == ("done", 4)
    assert set(catalogue(TARGET)) == {"akta-kelahiran", "kia", "legalisir", "surat-pindah"}


# --- Refused files -----------------------------------------------------------------------------


def test_broken_turtle_is_rejected_and_nothing_is_imported(client, admin, banyuwangi):
    data = handed_over(export(client, "ttl")).replace(b" .\n", b"\n", 1)  # a statement unended

    job = import_file(admin, data, "katalog.ttl")

    assert file_report(job).startswith("Berkas Turtle tidak dapat dibaca: ")
    assert (job.total_rows, job.applied_rows) == (0, 0)
    assert catalogue(TARGET) == {}


@pytest.mark.parametrize(
    "place",
    ["document", "list", "node", "import"],
)
def test_a_remote_json_ld_context_is_rejected_unfetched(client, admin, banyuwangi, place):
    document = json.loads(handed_over(export(client, "jsonld")))
    remote = "https://example.org/cpsv-ap-context.jsonld"
    if place == "document":
        document["@context"] = remote
    elif place == "list":
        document["@context"] = [remote, document["@context"]]
    elif place == "node":
        document["@graph"][0]["@context"] = remote
    else:
        document["@context"]["@import"] = remote

    job = import_file(admin, json.dumps(document).encode(), "katalog.jsonld")

    assert file_report(job) == (
        f"JSON-LD dengan @context dari alamat lain ({remote}) tidak diterima: "
        "tulis konteksnya di dalam berkas (inline)."
    )
    assert catalogue(TARGET) == {}


def test_a_national_catalogue_holds_no_regional_offering(client, admin, banyuwangi):
    job = import_file(admin, export(client, "ttl", region=None), "katalog.ttl", region_code=None)

    assert file_report(job) == (
        "Berkas CPSV-AP tidak berisi layanan daerah "
        "(cpsv:PublicService dengan dct:spatial sebuah kabupaten/kota)."
    )


def test_a_regional_tariff_the_row_format_cannot_hold_is_rejected(client, admin, banyuwangi):
    services.save_offering(
        actor=None,
        region_code=SOURCE,
        template_slug="kia",
        channels=[ChannelSpec("counter")],
        tariffs_override=[
            {"label": "Baru", "amount_idr": 5000, "legal_basis": PERDA},
            {"label": "Hilang", "amount_idr": 10000, "legal_basis": PERDA},
        ],
    )

    job = import_file(admin, handed_over(export(client, "jsonld")), "katalog.jsonld")

    assert file_report(job) == (
        f"Layanan {TARGET}/kia ditandai bertarif daerah, tetapi tidak mempunyai tepat satu "
        "cv:Cost dengan cv:hasValue; impor hanya dapat membaca satu tarif daerah per layanan."
    )
    assert catalogue(TARGET) == {}


# --- Refused rows ------------------------------------------------------------------------------

MINIMAL = """\
@prefix cpsv: <http://purl.org/vocab/cpsv#> .
@prefix cv: <http://data.europa.eu/m8g/> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@base <https://mppi.example.go.id/open-data/> .

<region/13.75> a dct:Location ; dct:identifier "13.75" .
<concept/channel/counter> a skos:Concept ; skos:notation "counter" ;
    skos:inScheme <concept/channel> .

<service/13.75/akta-kelahiran> a cpsv:PublicService ;
    dct:identifier "13.75/akta-kelahiran" ; dct:spatial <region/13.75> ;
    cv:hasChannel [ a cv:Channel ; dct:type <concept/channel/counter> ] .

<service/13.75/izin-tidak-ada> a cpsv:PublicService ;
    dct:identifier "13.75/izin-tidak-ada" ; dct:spatial <region/13.75> ;
    cv:hasChannel [ a cv:Channel ; dct:type <concept/channel/counter> ] .
"""


def test_an_unknown_service_is_reported_on_its_row(admin, akta):
    job = import_file(admin, MINIMAL.encode(), "mppi.ttl")

    assert job.status == "rejected"
    assert job.report == [
        {"row": 2, "field": "service", "message": "Layanan nasional tidak ditemukan."}
    ]
    assert catalogue(TARGET) == {}


def test_a_minimal_document_from_another_system_is_read(admin, akta):
    data = MINIMAL.split("<service/13.75/izin-tidak-ada>")[0].encode()

    job = import_file(admin, data, "mppi.ttl")

    assert (job.status, job.applied_rows) == ("done", 1)
    assert catalogue(TARGET) == {"akta-kelahiran": (True, [("counter", "")], None, None, "", "")}
