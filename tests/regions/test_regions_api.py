"""GET /api/v1/regions and /api/v1/regions/{code}: filters, search, paging, errors, cheap reads."""

import pytest

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


def test_list_runs_two_queries_whatever_the_page_size(client, django_assert_num_queries):
    for size in (1, 200):
        with django_assert_num_queries(2):  # count + page, province joined
            assert client.get(URL, {"level": "kabkota", "page_size": size}).status_code == 200


def test_detail_of_a_kabkota(client):
    body = client.get(f"{URL}/35.10").json()
    assert body["name"] == "Kabupaten Banyuwangi"
    assert body["province"] == {"code": "35", "name": "Jawa Timur"}
    assert body["mpp_status"] == "none"
    assert body["mpp_sites"] == []


def test_detail_of_a_province_lists_its_kabkota(client, django_assert_num_queries):
    with django_assert_num_queries(3):
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
