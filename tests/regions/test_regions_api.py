"""GET /api/v1/regions and /api/v1/regions/{code}: filters, search, paging, errors, cheap reads."""

import datetime

import freezegun
import pytest

from mpp.regions import reference, services
from mpp.regions.models import Region

pytestmark = pytest.mark.django_db

URL = "/api/v1/regions"


def test_kabkota_level_counts_514(client):
    body = client.get(URL, {"level": "kabkota", "page_size": 200}).json()
    assert body["count"] == 514
    assert len(body["items"]) == 200
    assert body["items"][0]["code"] == "11.01"


def test_province_level_counts_38(client):
    body = client.get(URL, {"level": "province"}).json()
    assert body["count"] == 38
    assert {"code": "35", "name": "Jawa Timur"} in [
        {"code": i["code"], "name": i["name"]} for i in body["items"]
    ]


def test_province_filter_lists_its_kabkota(client):
    body = client.get(URL, {"province": "35"}).json()
    assert body["count"] == 38  # Jawa Timur: 29 kabupaten + 9 kota
    assert all(item["province"]["code"] == "35" for item in body["items"])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("banyuwangi", ["35.10"]),
        ("Kab. Banyuwangi", ["35.10"]),
        ("BUKITTINGGI", ["13.75"]),
        ("kota kendari", ["74.71"]),
        ("sragen jawa tengah", ["33.14"]),
    ],
)
def test_search_by_name_as_people_type_it(client, query, expected):
    body = client.get(URL, {"level": "kabkota", "q": query}).json()
    assert [item["code"] for item in body["items"]] == expected


def test_pages_do_not_overlap(client):
    first = client.get(URL, {"level": "kabkota", "page": 1, "page_size": 10}).json()
    second = client.get(URL, {"level": "kabkota", "page": 2, "page_size": 10}).json()
    assert {i["code"] for i in first["items"]}.isdisjoint({i["code"] for i in second["items"]})
    assert second["page"] == 2


def test_list_runs_a_fixed_number_of_queries_whatever_the_page_size(
    client, django_assert_num_queries
):
    for size in (1, 200):
        # fingerprint, count, page (province joined); then from cache, the fingerprint only
        with django_assert_num_queries(3):
            assert client.get(URL, {"level": "kabkota", "page_size": size}).status_code == 200
        with django_assert_num_queries(1):
            assert client.get(URL, {"level": "kabkota", "page_size": size}).status_code == 200


def test_detail_of_a_kabkota(client):
    body = client.get(f"{URL}/35.10").json()
    assert body["name"] == "Kabupaten Banyuwangi"
    assert body["province"] == {"code": "35", "name": "Jawa Timur"}
    assert body["mpp_status"] == "none"
    assert body["mpp_sites"] == []


def test_detail_of_a_province_lists_its_kabkota(client, django_assert_num_queries):
    with django_assert_num_queries(4):  # fingerprint; region, MPP sites, kabupaten/kota
        body = client.get(f"{URL}/13").json()
    assert {"code": "13.75", "name": "Kota Bukittinggi"} in body["kabkota"]
    assert len(body["kabkota"]) == 19


def test_unknown_code_is_404_json_in_indonesian(client):
    response = client.get(f"{URL}/99.99")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "Wilayah dengan kode 99.99 tidak ditemukan."


def test_unknown_code_is_404_in_english_when_asked(client):
    response = client.get(f"{URL}/99.99", headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert response.json()["detail"] == "Region with code 99.99 was not found."


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"level": "desa"}, "level"),
        ({"province": "jatim"}, "province"),
        ({"page": 0}, "page"),
        ({"page": "x"}, "page"),
        ({"page_size": 500}, "page_size"),
        ({"q": "x" * 101}, "q"),
    ],
)
def test_invalid_query_is_422_naming_the_field(client, params, field):
    response = client.get(URL, params)
    assert response.status_code == 422
    body = response.json()
    assert [error["field"] for error in body["errors"]] == [field]
    assert field in body["detail"]


def test_repeat_visit_gets_304(client):
    first = client.get(URL, {"level": "province"})
    assert first["Cache-Control"] == "public, max-age=300"
    again = client.get(URL, {"level": "province"}, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304


def test_a_cached_list_costs_one_query_and_a_revalidation_is_answered_before_building(
    client, django_assert_num_queries
):
    first = client.get(URL, {"level": "kabkota"})
    with django_assert_num_queries(1):
        again = client.get(URL, {"level": "kabkota"})
    assert again.content == first.content
    with django_assert_num_queries(1):
        revalidated = client.get(
            URL, {"level": "kabkota"}, headers={"If-None-Match": first["ETag"]}
        )
    assert revalidated.status_code == 304
    assert revalidated["Cache-Control"] == "public, max-age=300"


def test_an_mpp_going_live_shows_at_once_in_the_list(client):
    def banyuwangi(response):
        return next(i for i in response.json()["items"] if i["code"] == "35.10")

    first = client.get(URL, {"level": "kabkota", "province": "35"})
    assert banyuwangi(first)["mpp_status"] == "none"
    services.save_mpp_site(
        actor=None, region_code="35.10", kind="digital", name="MPP Digital",
        url="https://mpp.example.go.id", went_live_on=datetime.date(2023, 6, 20),
    )  # fmt: skip
    after = client.get(
        URL, {"level": "kabkota", "province": "35"}, headers={"If-None-Match": first["ETag"]}
    )
    assert after.status_code == 200
    assert banyuwangi(after)["mpp_status"] == "digital"


def test_a_renamed_region_shows_at_once_in_the_list(client):
    first = client.get(URL, {"level": "province"})
    jatim = Region.objects.get(code="35")
    jatim.name = "Provinsi Jawa Timur"
    jatim.save()
    names = [i["name"] for i in client.get(URL, {"level": "province"}).json()["items"]]
    assert "Provinsi Jawa Timur" in names
    assert "Jawa Timur" in [i["name"] for i in first.json()["items"]]


def test_an_mpp_status_changes_on_its_go_live_day_without_any_save(client):
    with freezegun.freeze_time("2030-01-01 08:00"):
        services.save_mpp_site(
            actor=None, region_code="35.10", kind="digital", name="MPP Digital",
            url="https://mpp.example.go.id", went_live_on=datetime.date(2030, 1, 2),
        )  # fmt: skip
        before = client.get(f"{URL}", {"q": "banyuwangi"}).json()["items"][0]["mpp_status"]
    with freezegun.freeze_time("2030-01-02 08:00"):
        after = client.get(f"{URL}", {"q": "banyuwangi"}).json()["items"][0]["mpp_status"]
    assert (before, after) == ("none", "digital")


def test_the_kecamatan_of_a_kabupaten_kota(client):
    response = client.get("/api/v1/regions/35.10/districts")
    assert response.status_code == 200 and "max-age=86400" in response["Cache-Control"]
    body = response.json()
    assert body["region"] == "35.10" and len(body["districts"]) == 25
    assert body["districts"] == sorted(body["districts"]) and "Kalibaru" in body["districts"]
    kept = reference._districts_of.cache_info().currsize
    for unknown in ("35", "35.10.01", "३५.१०", "a" * 300, "../x"):
        assert client.get(f"/api/v1/regions/{unknown}/districts").status_code == 404
    assert reference._districts_of.cache_info().currsize == kept  # odd codes are not kept
    assert client.get("/api/v1/regions/99.99/districts").status_code == 404
