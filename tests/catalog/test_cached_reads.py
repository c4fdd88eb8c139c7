"""Public catalogue reads are cached (catalog.read_cache) and still show every change at once.

The catalogue page, the service page, the national template page, the printable checklist, the
search results and the open data keep what they build under a fingerprint of the rows they show; each change below is made after the answers
were cached, and the next visit must show it.
"""

import pytest
from django.urls import reverse

from mpp.catalog import services
from mpp.catalog.models import AgencyKind, DocumentType, LifeEvent, PriorityTag
from mpp.catalog.services import ChannelSpec
from mpp.regions import services as region_services
from mpp.regions.models import Region

pytestmark = pytest.mark.django_db

CATALOGUE = "/wilayah/35.10/layanan/"
SERVICE = "/wilayah/35.10/layanan/akta-kelahiran/"
TURTLE = "/open-data/catalog.ttl?region=35.10"
API = "/api/v1/services?region=35.10"
TEMPLATE = "/layanan/akta-kelahiran/"
CHECKLIST = "/wilayah/35.10/layanan/akta-kelahiran/persyaratan/"
SEARCH = "/layanan/?q=akte+lahir&wilayah=35.10"
NATIONAL_SEARCH = "/layanan/?q=Akte+Lahir!"  # folded like "akte lahir", without a region
SITE = {
    "region_code": "35.10",
    "kind": "physical",
    "name": "MPP Banyuwangi",
    "address": "Jl. Contoh 1",
    "opening_hours": {"mon": [["08:00", "15:00"]]},
}


@pytest.fixture
def offering(akta_offering):
    """Akta kelahiran in Banyuwangi, online and at the counter of the MPP building."""
    site = region_services.save_mpp_site(actor=None, **SITE)
    return services.save_offering(
        actor=None,
        region_code="35.10",
        template_slug="akta-kelahiran",
        channels=[ChannelSpec("online"), ChannelSpec("counter", site_id=site.pk)],
    )


def rename_template(offering, make_template):
    services.save_template(
        actor=None, slug="akta-kelahiran", name="Akta Lahir Versi Baru", agency_kind="disdukcapil",
        life_events=["kelahiran"], priority_tags=["stunting"], default_channels=["online"],
    )  # fmt: skip


def publish_new_version(offering, make_template):
    draft = services.create_draft_version(actor=None, template=offering.template)
    draft = services.update_draft_version(
        actor=None, version=draft, duration_value=5, output="Kutipan akta kelahiran baru"
    )
    services.publish_version(actor=None, version=draft)


def publish_new_requirements(offering, make_template):
    draft = services.create_draft_version(actor=None, template=offering.template)
    services.set_requirements(
        actor=None, version=draft, items=[("Buku Nikah", "Buku nikah orang tua yang sah")]
    )
    services.publish_version(actor=None, version=draft)


def offer_elsewhere(offering, make_template):
    services.save_offering(
        actor=None, region_code="33.14", template_slug="akta-kelahiran",
        channels=[ChannelSpec("counter")],
    )  # fmt: skip


def add_offering(offering, make_template):
    make_template(slug="kia", name="Kartu Identitas Anak", common_names=["kartu anak"])
    services.save_offering(
        actor=None, region_code="35.10", template_slug="kia", channels=[ChannelSpec("counter")]
    )


def change_offering(offering, make_template):
    services.save_offering(
        actor=None, region_code="35.10", template_slug="akta-kelahiran",
        channels=[ChannelSpec("link_out", url="https://contoh.go.id/akta")],
        notes="Bawa fotokopi KK",
    )  # fmt: skip


def rename_agency(offering, make_template):
    services.update_agency(
        actor=None, agency_id=offering.agency_id, name="Dispendukcapil Bwi", is_active=True
    )


def save(model, slug, **fields):  # what the admin does: these have no service of their own
    row = model.objects.get(slug=slug)
    for name, value in fields.items():
        setattr(row, name, value)
    row.save()


def rename_agency_kind(offering, make_template):
    save(AgencyKind, "disdukcapil", short_name="Dukcapil Baru")


def rename_life_event(offering, make_template):
    save(LifeEvent, "kelahiran", name="Kelahiran Anak Baru")


def rename_priority_tag(offering, make_template):
    save(PriorityTag, "stunting", name="Cegah Stunting Baru")


def rename_document_type(offering, make_template):
    save(DocumentType, "kartu-keluarga", name="Kartu Keluarga Baru")


def rename_site(offering, make_template):
    site = offering.channels.get(kind="counter").site
    region_services.save_mpp_site(actor=None, site_id=site.pk, **{**SITE, "name": "MPP Baru"})


def rename_region(offering, make_template):
    region = Region.objects.get(code="35.10")
    region.name = "Kabupaten Banyuwangi Baru"
    region.save()


# change, then the text it brings to each answer that shows it
CHANGES = [
    (rename_template, {CATALOGUE: "Akta Lahir Versi Baru", SERVICE: "Akta Lahir Versi Baru",
                       TURTLE: "Akta Lahir Versi Baru", TEMPLATE: "Akta Lahir Versi Baru",
                       CHECKLIST: "Akta Lahir Versi Baru", SEARCH: "Akta Lahir Versi Baru",
                       NATIONAL_SEARCH: "Akta Lahir Versi Baru"}),
    (publish_new_version, {CATALOGUE: "5 hari kerja", SERVICE: "Kutipan akta kelahiran baru",
                           TURTLE: "Kutipan akta kelahiran baru",
                           TEMPLATE: "Kutipan akta kelahiran baru", SEARCH: "5 hari kerja"}),
    (publish_new_requirements, {SERVICE: "Buku nikah orang tua", TEMPLATE: "Buku nikah orang tua",
                                CHECKLIST: "Buku nikah orang tua"}),
    (offer_elsewhere, {TEMPLATE: "Kabupaten Sragen"}),
    (add_offering, {CATALOGUE: "Kartu Identitas Anak", TURTLE: "Kartu Identitas Anak"}),
    (change_offering, {SERVICE: "Bawa fotokopi KK", TURTLE: "https://contoh.go.id/akta"}),
    (rename_agency, {CATALOGUE: "Dispendukcapil Bwi", SERVICE: "Dispendukcapil Bwi",
                     TURTLE: "Dispendukcapil Bwi", CHECKLIST: "Dispendukcapil Bwi",
                     SEARCH: "Dispendukcapil Bwi"}),
    (rename_agency_kind, {API: "Dukcapil Baru", NATIONAL_SEARCH: "Dukcapil Baru"}),
    (rename_life_event, {CATALOGUE: "Kelahiran Anak Baru", TURTLE: "Kelahiran Anak Baru"}),
    (rename_priority_tag, {CATALOGUE: "Cegah Stunting Baru", TURTLE: "Cegah Stunting Baru"}),
    (rename_document_type, {TURTLE: "Kartu Keluarga Baru"}),
    (rename_site, {SERVICE: "MPP Baru", TURTLE: "MPP Baru"}),
    (rename_region, {CATALOGUE: "Kabupaten Banyuwangi Baru", SERVICE: "Kabupaten Banyuwangi Baru",
                     TURTLE: "Kabupaten Banyuwangi Baru", TEMPLATE: "Kabupaten Banyuwangi Baru",
                     CHECKLIST: "Kabupaten Banyuwangi Baru"}),
]  # fmt: skip


def visit(client, url, **kwargs):
    """A visit that names its region, if any: the one remembered from the last visit is
    forgotten, so the national search stays national."""
    client.cookies.pop("mpp_wilayah", None)
    return client.get(url, **kwargs)


@pytest.mark.parametrize(("change", "shown"), CHANGES, ids=[c.__name__ for c, _ in CHANGES])
def test_a_change_shows_at_once(client, offering, make_template, change, shown):
    before = {url: visit(client, url) for url in shown}
    for url, response in before.items():  # cached now: the same answer again
        assert visit(client, url).content == response.content

    change(offering, make_template)

    for url, text in shown.items():
        assert text not in before[url].content.decode()
        after = visit(client, url, headers={"If-None-Match": before[url].get("ETag", "")})
        assert after.status_code == 200
        assert text in after.content.decode(), (url, text)


def test_a_change_elsewhere_leaves_the_cached_answers(client, offering, django_assert_num_queries):
    for url in (CATALOGUE, SERVICE, TURTLE):
        client.get(url)
    services.save_offering(
        actor=None, region_code="33.14", template_slug="akta-kelahiran",
        channels=[ChannelSpec("counter")],
    )  # fmt: skip
    with django_assert_num_queries(1):
        client.get(SERVICE)


@pytest.mark.parametrize("count", [1, 6])
def test_the_pages_cost_a_fixed_number_of_queries(
    client, offering, make_template, django_assert_num_queries, count
):
    for n in range(count - 1):
        make_template(slug=f"layanan-{n}", name=f"Layanan {n}")
        services.onboard_region(actor=None, region_code="35.10")
    # fingerprint, region; digitalisation, agencies, life events, tags; count, page, channels
    with django_assert_num_queries(9):
        client.get(CATALOGUE)
    with django_assert_num_queries(2):  # from cache: fingerprint, region
        page = client.get(CATALOGUE)
    assert page.content.decode().count('class="card"') == count
    # fingerprint; offering, channels (sites), requirements, life events, tags
    with django_assert_num_queries(7):
        client.get(SERVICE)
    with django_assert_num_queries(1):  # from cache: fingerprint
        assert client.get(SERVICE).status_code == 200
    first = client.get(TURTLE)
    with django_assert_num_queries(2):  # open data from cache: fingerprint, region
        assert client.get(TURTLE).content == first.content
    # fingerprint; template, requirements, regions offering it
    with django_assert_num_queries(4):
        client.get(TEMPLATE)
    with django_assert_num_queries(1):  # from cache: fingerprint
        assert client.get(TEMPLATE).status_code == 200
    # fingerprint; offering, channels (sites), requirements, life events, tags
    with django_assert_num_queries(7):
        client.get(CHECKLIST)
    with django_assert_num_queries(1):  # from cache: fingerprint
        assert client.get(CHECKLIST).status_code == 200
    # fingerprint, region; search index: fingerprint, then rebuilt (templates, life events);
    # templates, offerings, channels
    with django_assert_num_queries(8):
        client.get(SEARCH)
    with django_assert_num_queries(2):  # from cache: fingerprint, region
        page = client.get(SEARCH)
    assert page.content.decode().count('class="card"') == count  # all are "akte lahir"
    first = visit(client, NATIONAL_SEARCH)
    with django_assert_num_queries(1):  # no region; from cache: fingerprint
        assert visit(client, NATIONAL_SEARCH).content == first.content
    with django_assert_num_queries(1):  # the same query once folded: the same kept results
        other = visit(client, "/layanan/?q=AKTE++lahir").content.decode()
    assert 'value="AKTE  lahir"' in other  # the box shows what was typed


def test_the_cached_part_is_kept_per_language(client, offering):
    client.get(CATALOGUE)
    english = client.get(CATALOGUE, headers={"Accept-Language": "en"}).content.decode()
    assert "Search services" in english and "Available online" in english
    indonesian = client.get(CATALOGUE).content.decode()
    assert "Cari layanan" in indonesian and "Bisa daring" in indonesian


@pytest.mark.parametrize(
    ("url", "indonesian", "english"),
    [
        (TEMPLATE, "Tempat mengurus", "Where to apply"),
        (CHECKLIST, "Bawa dokumen berikut", "Bring the following documents"),
        (SEARCH, "1 layanan ditemukan", "1 service found"),
    ],
)
def test_each_cached_read_is_kept_per_language(client, offering, url, indonesian, english):
    first = client.get(url).content.decode()
    assert indonesian in first and english not in first
    in_english = client.get(url, headers={"Accept-Language": "en"}).content.decode()
    assert english in in_english and indonesian not in in_english
    again = client.get(url).content.decode()
    assert indonesian in again and english not in again


def test_the_checklist_is_kept_per_address(client, offering, settings):
    """It prints its own URL: another host is another copy. A query string is not part of the
    page (it is neither printed nor a new copy, so visitors cannot fill the cache with them)."""
    settings.ALLOWED_HOSTS = ["testserver", "mpp.example.go.id"]
    plain = client.get(CHECKLIST).content.decode()
    assert f"http://testserver{CHECKLIST}<" in plain
    other = client.get(CHECKLIST, {"cetak": "1"}, HTTP_HOST="mpp.example.go.id").content.decode()
    assert f"http://mpp.example.go.id{CHECKLIST}<" in other and "cetak" not in other
    assert client.get(CHECKLIST, {"x": "1"}).content.decode() == plain


def test_the_cached_part_carries_nothing_of_a_signed_in_visitor(client, offering, make_user):
    client.force_login(make_user())
    signed_in = client.get(SERVICE).content.decode()
    assert "csrfmiddlewaretoken" in signed_in  # the logout form in the header
    client.logout()
    anonymous = client.get(SERVICE).content.decode()
    assert "csrfmiddlewaretoken" not in anonymous
    assert reverse("accounts:logout") not in anonymous
