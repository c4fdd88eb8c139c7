"""GET /api/v1/regions/{code} is cached (catalog.read_cache) and still shows every change at once.

The answer is kept under a fingerprint of the region, its province and kabupaten/kota, its MPP
sites and its offerings; each change below is made after the answers were cached, and the next
visit must show it.
"""

import datetime

import freezegun
import pytest

from mpp.catalog import services as catalog_services
from mpp.catalog.services import ChannelSpec
from mpp.regions import services
from mpp.regions.models import Region

pytestmark = pytest.mark.django_db

KABKOTA = "/api/v1/regions/35.10"
PROVINCE = "/api/v1/regions/35"
SITE = {"region_code": "35.10", "kind": "physical", "name": "MPP Banyuwangi", "address": "Jl. A 1"}


def rename(code, name):
    region = Region.objects.get(code=code)
    region.name = name
    region.save()


def rename_kabkota(make_template):
    rename("35.10", "Kabupaten Banyuwangi Baru")


def rename_province(make_template):
    rename("35", "Provinsi Jawa Timur")


def open_site(make_template):
    services.save_mpp_site(actor=None, **SITE)


def offer_online(make_template):
    make_template()
    catalog_services.save_offering(
        actor=None, region_code="35.10", template_slug="akta-kelahiran",
        channels=[ChannelSpec("online")],
    )  # fmt: skip


# change, then the text it brings to each answer that shows it
CHANGES = [
    (rename_kabkota, {KABKOTA: "Kabupaten Banyuwangi Baru", PROVINCE: "Kabupaten Banyuwangi Baru"}),
    (rename_province, {KABKOTA: "Provinsi Jawa Timur", PROVINCE: "Provinsi Jawa Timur"}),
    (open_site, {KABKOTA: "MPP Banyuwangi"}),
    (offer_online, {KABKOTA: '"digitalisation":{"digital":1,"total":1,"rate":1.0}'}),
]


@pytest.mark.parametrize(("change", "shown"), CHANGES, ids=[c.__name__ for c, _ in CHANGES])
def test_a_change_shows_at_once(client, make_template, change, shown):
    before = {url: client.get(url) for url in shown}
    for url, response in before.items():  # cached now: the same answer again
        assert client.get(url).content == response.content

    change(make_template)

    for url, text in shown.items():
        assert text not in before[url].content.decode()
        after = client.get(url, headers={"If-None-Match": before[url]["ETag"]})
        assert after.status_code == 200
        assert text in after.content.decode(), (url, text)


def test_a_change_elsewhere_leaves_the_cached_answer(client, django_assert_num_queries):
    client.get(KABKOTA)
    services.save_mpp_site(actor=None, **{**SITE, "region_code": "33.14", "name": "MPP Sragen"})
    with django_assert_num_queries(1):
        client.get(KABKOTA)


def test_a_warm_answer_costs_one_query_and_a_revalidation_is_answered_before_building(
    client, django_assert_num_queries
):
    # fingerprint; region, MPP sites, kabupaten/kota, digitalisation
    with django_assert_num_queries(5):
        first = client.get(KABKOTA)
    with django_assert_num_queries(1):  # from cache: fingerprint
        assert client.get(KABKOTA).content == first.content
    with django_assert_num_queries(1):
        assert client.get(KABKOTA, headers={"If-None-Match": first["ETag"]}).status_code == 304
    assert first["Cache-Control"] == "public, max-age=300"


def test_the_answer_is_kept_per_language(client):
    indonesian = client.get(KABKOTA).json()
    assert (indonesian["kind_label"], indonesian["mpp_status_label"]) == (
        "Kabupaten", "Belum ada MPP",
    )  # fmt: skip
    english = client.get(KABKOTA, headers={"Accept-Language": "en"}).json()
    assert (english["kind_label"], english["mpp_status_label"]) == ("Regency", "No MPP yet")
    assert client.get(KABKOTA).json() == indonesian


def test_an_mpp_status_changes_on_its_go_live_day_without_any_save(client):
    with freezegun.freeze_time("2030-01-01 08:00"):
        services.save_mpp_site(
            actor=None, region_code="35.10", kind="digital", name="MPP Digital",
            url="https://mpp.example.go.id", went_live_on=datetime.date(2030, 1, 2),
        )  # fmt: skip
        before = client.get(KABKOTA).json()["mpp_status"]
    with freezegun.freeze_time("2030-01-02 08:00"):
        after = client.get(KABKOTA).json()["mpp_status"]
    assert (before, after) == ("none", "digital")
