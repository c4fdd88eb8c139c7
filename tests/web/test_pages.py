"""Home and region pages through the test client (the browser journey is in tests/e2e)."""

import pytest

from mpp.regions import services

pytestmark = pytest.mark.django_db


def test_home_lists_38_provinces(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = client.get("/")
    assert response.status_code == 200
    assert len(response.context["provinces"]) == 38
    assert '<html lang="id">' in response.content.decode()


def test_home_search_finds_kabkota(client):
    response = client.get("/", {"q": "kab. banyuwangi"})
    assert [r.code for r in response.context["results"]] == ["35.10"]
    assert "Kabupaten Banyuwangi" in response.content.decode()


def test_home_search_with_no_match_says_so(client):
    response = client.get("/", {"q": "atlantis"})
    assert response.context["results"] == []
    assert "Tidak ada kabupaten/kota dengan nama itu" in response.content.decode()


def test_region_page_shows_sites_and_status(client):
    services.save_mpp_site(
        actor=None,
        region_code="13.75",
        kind="digital",
        name="MPP Digital Bukittinggi",
        url="https://mpp.example.go.id",
        went_live_on="2023-06-20",
    )
    response = client.get("/wilayah/13.75/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kota Bukittinggi" in html and "MPP Digital Bukittinggi" in html
    assert "MPP digital" in html


def test_unknown_region_page_is_a_friendly_404(client):
    response = client.get("/wilayah/99.99/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


def test_language_switch_sets_cookie_and_returns(client):
    response = client.get("/bahasa/en/", {"next": "/wilayah/35.10/"})
    assert response.status_code == 302
    assert response["Location"] == "/wilayah/35.10/"
    assert response.cookies["django_language"].value == "en"
    assert '<html lang="en">' in client.get("/wilayah/35.10/").content.decode()


def test_language_switch_refuses_foreign_redirects_and_unknown_languages(client):
    assert client.get("/bahasa/en/", {"next": "https://evil.example"})["Location"] == "/"
    assert client.get("/bahasa/xx/").status_code == 404


def test_repeat_visit_to_a_region_page_gets_304(client):
    first = client.get("/wilayah/35.10/")
    again = client.get("/wilayah/35.10/", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
