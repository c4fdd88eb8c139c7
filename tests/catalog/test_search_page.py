"""The national search page: one box, results ranked for the visitor's own region."""

import pytest

from mpp.catalog import services
from mpp.catalog.search import clear_cache
from mpp.catalog.services import ChannelSpec

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(akta, make_template):
    clear_cache()
    make_template(slug="kia", name="Kartu Identitas Anak", common_names=["kartu anak", "akta anak"])
    services.save_offering(
        actor=None, region_code="13.75", template_slug="kia", channels=[ChannelSpec("counter")]
    )
    services.save_offering(
        actor=None,
        region_code="35.10",
        template_slug="akta-kelahiran",
        channels=[ChannelSpec("online")],
    )


def test_results_offered_in_my_region_come_first(client, catalogue):
    response = client.get("/layanan/", {"q": "akta", "wilayah": "13.75"})
    html = response.content.decode()
    assert "2 layanan ditemukan" in html
    kia, akta = html.index("/wilayah/13.75/layanan/kia/"), html.index("/layanan/akta-kelahiran/")
    assert kia < akta  # offered here first, then the national standard
    assert "Belum tercatat di Kota Bukittinggi" in html
    assert response.cookies["mpp_wilayah"].value == "13.75"


def test_the_region_is_remembered_from_the_last_region_page(client, catalogue):
    client.get("/wilayah/35.10/")
    response = client.get("/layanan/", {"q": "akte lahir"})
    assert response.context["region"].code == "35.10"
    assert "/wilayah/35.10/layanan/akta-kelahiran/" in response.content.decode()


def test_without_a_region_results_link_to_the_national_standard(client, catalogue):
    response = client.get("/layanan/", {"q": "akte lahir"})
    assert response.context["region"] is None
    assert "/layanan/akta-kelahiran/" in response.content.decode()


def test_an_unknown_region_is_ignored_not_an_error(client, catalogue):
    response = client.get("/layanan/", {"q": "akte", "wilayah": "99.99"})
    assert response.status_code == 200
    assert response.context["region"] is None


def test_national_standard_page_lists_where_to_go(client, catalogue):
    html = client.get("/layanan/akta-kelahiran/").content.decode()
    assert "Surat keterangan lahir dari bidan" in html
    assert "/wilayah/35.10/layanan/akta-kelahiran/" in html
    assert client.get("/layanan/tidak-ada/").status_code == 404


def test_empty_search_shows_the_box_only(client, catalogue):
    response = client.get("/layanan/")
    assert response.status_code == 200
    assert 'id="hasil"' not in response.content.decode()
