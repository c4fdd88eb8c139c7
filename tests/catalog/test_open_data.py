"""GET /open-data/catalog.ttl and .jsonld: the catalogue in CPSV-AP 3.2.0, checked against the
published SHACL shapes, with HTTP caching, errors and a fixed number of queries."""

from pathlib import Path

import pytest
from django.test import TestCase
from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SH

from mpp.catalog import demo as catalog_demo
from mpp.catalog import services
from mpp.catalog.models import Offering, ServiceTemplate
from mpp.catalog.opendata import CPSV, CV, iso_duration, national_catalog
from mpp.regions import demo as regions_demo

REPO = Path(__file__).resolve().parents[2]
SHAPES = REPO.parent / "shared" / "conformance" / "cpsv-ap-3.2.0" / "cpsv-ap-SHACL.ttl"
BASE = "http://testserver/open-data/"
FORMATS = {  # url suffix -> (rdflib parser, content type)
    "ttl": ("turtle", "text/turtle; charset=utf-8"),
    "jsonld": ("json-ld", "application/ld+json"),
}
XSD = "http://www.w3.org/2001/XMLSchema#"
DURATION, DOUBLE = URIRef(f"{XSD}duration"), URIRef(f"{XSD}double")
DATASET = URIRef("http://www.w3.org/ns/dcat#Dataset")  # (DCAT, XSD: pytest's collection warns)
PILOT = "35.10"  # Kabupaten Banyuwangi, a demo pilot: every published template is offered
NOT_A_PILOT = "35.15"  # Kabupaten Sidoarjo: no demo offerings
EMPTY = "35.78"  # Kota Surabaya: no offerings at all

pytestmark = [
    pytest.mark.django_db,
    # rdflib's own JSON-LD parser still builds a ConjunctiveGraph internally
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
]


@pytest.fixture(scope="module")
def demo_catalogue(django_db_setup, django_db_blocker):
    """The demo catalogue, loaded once for this module (a load takes seconds). Like Django's
    setUpTestData: a class-level transaction, rolled back after the module; each test runs in
    its own savepoint inside it."""

    class DemoCatalogue(TestCase):
        @classmethod
        def setUpTestData(cls):
            regions_demo.load()
            catalog_demo.load()

    with django_db_blocker.unblock():
        DemoCatalogue.setUpClass()
        yield
        DemoCatalogue.tearDownClass()


@pytest.fixture(scope="module")
def shapes() -> Graph:
    if not SHAPES.is_file():
        pytest.skip(
            f"CPSV-AP 3.2.0 SHACL shapes not found at {SHAPES}: the shared conformance folder "
            "(../shared/conformance next to the clone) is absent, so conformance is not checked"
        )
    return Graph().parse(SHAPES)


def get(client, fmt: str, **params):
    return client.get(f"/open-data/catalog.{fmt}", params)


def parse(response, fmt: str) -> Graph:
    parser, content_type = FORMATS[fmt]
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == content_type
    return Graph().parse(data=response.content.decode("utf-8"), format=parser)


def assert_conforms(data: Graph, shapes: Graph) -> None:
    conforms, report, text = validate(data, shacl_graph=shapes, inference="none")
    violations = list(report.subjects(SH.resultSeverity, SH.Violation))
    assert conforms and not violations, f"{len(violations)} SHACL violations:\n{text}"


def services_in(data: Graph) -> set[str]:
    return {str(node) for node in data.subjects(RDF.type, CPSV.PublicService)}


def one(data: Graph, subject, predicate):
    values = list(data.objects(subject, predicate))
    assert len(values) == 1, (subject, predicate, values)
    return values[0]


def texts(data: Graph, subject, predicate) -> dict[str, str]:
    return {value.language: str(value) for value in data.objects(subject, predicate)}


# --- Mapping details (no database) -------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "iso"),
    [(14, "working_days", "P14D"), (3, "days", "P3D"), (2, "hours", "PT2H"), (90, "minutes", "PT90M")],
)  # fmt: skip
def test_durations_become_iso_8601(value, unit, iso):
    assert iso_duration(value, unit) == iso


# --- Conformance -------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_national_catalogue_conforms_to_cpsv_ap(client, demo_catalogue, shapes, fmt):
    data = parse(get(client, fmt), fmt)

    assert_conforms(data, shapes)
    published = ServiceTemplate.objects.filter(current_version__isnull=False)
    assert services_in(data) == {
        f"{BASE}service/{slug}" for slug in published.values_list("slug", flat=True)
    }
    ktp = published.select_related("current_version").get(slug="ktp-el-baru")
    service = URIRef(f"{BASE}service/ktp-el-baru")
    assert one(data, service, DCTERMS.identifier) == Literal("ktp-el-baru")
    assert texts(data, service, DCTERMS.title) == {"id": ktp.name, "en": ktp.name_en}
    assert ktp.current_version.duration_unit == "working_days"
    days = ktp.current_version.duration_value
    assert one(data, service, CV.processingTime) == Literal(f"P{days}D", datatype=DURATION)
    assert f"{days} hari kerja" in texts(data, service, DCTERMS.description)["id"]
    assert "counts working days" in texts(data, service, DCTERMS.description)["en"]
    authority = one(data, service, CV.hasCompetentAuthority)
    assert authority == URIRef(f"{BASE}agency-kind/disdukcapil")
    assert (authority, RDF.type, CV.PublicOrganisation) in data
    dataset = URIRef(f"{BASE}catalog")
    assert set(map(str, data.objects(dataset, DCTERMS.hasPart))) == services_in(data)


@pytest.mark.parametrize("fmt", FORMATS)
def test_regional_catalogue_conforms_to_cpsv_ap(client, demo_catalogue, shapes, fmt):
    data = parse(get(client, fmt, region=PILOT), fmt)

    assert_conforms(data, shapes)
    offered = Offering.objects.filter(region_id=PILOT, is_active=True)
    slugs = offered.values_list("template__slug", flat=True)
    assert services_in(data) == {f"{BASE}service/{PILOT}/{slug}" for slug in slugs}
    service = URIRef(f"{BASE}service/{PILOT}/ktp-el-baru")
    region = URIRef(f"{BASE}region/{PILOT}")
    assert one(data, service, DCTERMS.spatial) == region
    assert one(data, service, DCTERMS.source) == URIRef(f"{BASE}service/ktp-el-baru")
    agency = one(data, service, CV.hasCompetentAuthority)
    assert agency == URIRef(f"{BASE}agency/{PILOT}/disdukcapil")
    assert one(data, agency, DCTERMS.spatial) == region
    assert (region, RDF.type, DCTERMS.Location) in data
    channels = {str(one(data, c, DCTERMS.type)) for c in data.objects(service, CV.hasChannel)}
    assert channels == {f"{BASE}concept/channel/online", f"{BASE}concept/channel/counter"}
    cost = one(data, service, CV.hasCost)
    assert one(data, cost, CV.hasValue) == Literal(0.0, datatype=DOUBLE)
    assert texts(data, cost, DCTERMS.description)["id"].startswith(
        "Gratis (Rp0). Dasar hukum: UU 24/2013"
    )


def test_demo_values_are_labelled_as_such(client, demo_catalogue):
    """Izin keramaian has no published tariff or duration in the seed: the demo fills them."""
    data = parse(get(client, "ttl", region=PILOT), "ttl")

    service = URIRef(f"{BASE}service/{PILOT}/izin-keramaian")
    cost = one(data, service, CV.hasCost)
    assert not list(data.objects(cost, CV.hasValue))  # set by regulation: no amount to give
    assert texts(data, cost, DCTERMS.description)["id"].endswith("(nilai demo, bukan data resmi)")
    assert "(demo value, not official data)" in texts(data, service, DCTERMS.description)["en"]


def test_the_regions_overrides_and_inactive_offerings(client, demo_catalogue, shapes):
    services.save_offering(
        actor=None,
        region_code=PILOT,
        template_slug="izin-reklame",
        channels=[services.ChannelSpec("counter")],
        tariffs_override=[{"label": "Papan", "amount_idr": 150000, "legal_basis": "Perda uji 1/2026"}],
        duration_value_override=3,
        duration_unit_override="working_days",
        notes="Bawa desain reklame.",
    )  # fmt: skip
    services.save_offering(
        actor=None,
        region_code=PILOT,
        template_slug="kia",
        channels=[services.ChannelSpec("counter")],
        is_active=False,
    )

    data = parse(get(client, "ttl", region=PILOT), "ttl")

    assert_conforms(data, shapes)
    service = URIRef(f"{BASE}service/{PILOT}/izin-reklame")
    assert one(data, service, CV.processingTime) == Literal("P3D", datatype=DURATION)
    description = texts(data, service, DCTERMS.description)["id"]
    assert "3 hari kerja" in description and "Catatan daerah: Bawa desain reklame." in description
    cost = one(data, service, CV.hasCost)
    assert one(data, cost, CV.hasValue) == Literal(150000.0, datatype=DOUBLE)
    assert one(data, cost, CV.currency) == URIRef(
        "http://publications.europa.eu/resource/authority/currency/IDR"
    )
    assert (
        texts(data, cost, DCTERMS.description)["id"]
        == "Papan: Rp150.000. Dasar hukum: Perda uji 1/2026"
    )
    assert f"{BASE}service/{PILOT}/kia" not in services_in(data)


def test_the_shapes_do_catch_a_broken_export(demo_catalogue, shapes):
    """The check is not vacuous: drop every competent authority and the shapes object."""
    data = national_catalog(base="http://testserver/")
    data.remove((None, CV.hasCompetentAuthority, None))

    conforms, report, _text = validate(data, shacl_graph=shapes, inference="none")

    assert not conforms
    paths = set(report.objects(None, SH.resultPath))
    assert paths == {CV.hasCompetentAuthority}
    published = ServiceTemplate.objects.filter(current_version__isnull=False).count()
    assert len(list(report.subjects(SH.resultSeverity, SH.Violation))) == published


def test_a_region_without_offerings_is_an_empty_catalogue(client, shapes):
    data = parse(get(client, "jsonld", region=EMPTY), "jsonld")

    assert_conforms(data, shapes)
    assert services_in(data) == set()
    assert (
        URIRef(f"{BASE}catalog/{EMPTY}"),
        RDF.type,
        DATASET,
    ) in data


# --- HTTP ------------------------------------------------------------------------------------


def test_uris_hang_under_the_requests_own_base(client, demo_catalogue):
    body = client.get("/open-data/catalog.ttl", {"region": PILOT}, headers={"host": "localhost"})

    assert f"<http://localhost/open-data/service/{PILOT}/ktp-el-baru>" in body.content.decode()
    assert "testserver" not in body.content.decode()


@pytest.mark.parametrize("fmt", FORMATS)
def test_public_cache_and_conditional_get(client, demo_catalogue, fmt):
    first = get(client, fmt, region=PILOT)
    assert first.status_code == 200
    assert first["Content-Type"] == FORMATS[fmt][1]
    assert first["Cache-Control"] == "public, max-age=3600"
    assert first["ETag"]

    again = client.get(
        f"/open-data/catalog.{fmt}", {"region": PILOT}, headers={"if-none-match": first["ETag"]}
    )
    assert again.status_code == 304
    assert again.content == b""
    assert client.head(f"/open-data/catalog.{fmt}").status_code == 200


@pytest.mark.parametrize(("language", "message"), [
    ("id", "Kabupaten/kota dengan kode 35.99 tidak ditemukan."),
    ("en", "Regency/city with code 35.99 was not found."),
])  # fmt: skip
def test_unknown_region_is_404_in_the_visitors_language(client, language, message):
    response = client.get(
        "/open-data/catalog.ttl", {"region": "35.99"}, headers={"accept-language": language}
    )

    assert response.status_code == 404
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == message
    assert "Cache-Control" not in response


@pytest.mark.parametrize("code", ["35", "3510", "35.1", "35.10.01", "", "banyuwangi", "35.10/"])
def test_malformed_region_is_400(client, code):
    response = client.get("/open-data/catalog.jsonld", {"region": code})

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "35.10" in response.content.decode()


def test_province_code_is_not_a_region_here(client):
    """Provinces exist, but the parameter names a kabupaten/kota."""
    assert client.get("/open-data/catalog.ttl", {"region": "35"}).status_code == 400


# --- Cheap reads -------------------------------------------------------------------------------


def test_queries_do_not_grow_with_the_catalogue(client, demo_catalogue, django_assert_num_queries):
    services.save_offering(
        actor=None,
        region_code=NOT_A_PILOT,
        template_slug="ktp-el-baru",
        channels=[services.ChannelSpec("online"), services.ChannelSpec("counter")],
    )
    assert Offering.objects.filter(region_id=NOT_A_PILOT).count() == 1
    assert Offering.objects.filter(region_id=PILOT).count() > 40

    # fingerprint, region, offerings, then channels, requirements, life events, priority tags,
    # service areas; from cache: fingerprint and region
    for code in (NOT_A_PILOT, PILOT):
        with django_assert_num_queries(8):
            first = get(client, "ttl", region=code)
        with django_assert_num_queries(2):
            again = get(client, "ttl", region=code)
        assert (first.status_code, again.content) == (200, first.content)
    # fingerprint, templates, then life events, priority tags, requirements; from cache: one
    with django_assert_num_queries(5):
        first = get(client, "jsonld")
    with django_assert_num_queries(1):
        assert get(client, "jsonld").content == first.content
    with django_assert_num_queries(1):
        revalidated = client.get(
            "/open-data/catalog.jsonld", headers={"If-None-Match": first["ETag"]}
        )
    assert revalidated.status_code == 304
