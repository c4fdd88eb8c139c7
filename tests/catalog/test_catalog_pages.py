"""Region catalogue, service page (with JSON-LD) and the printable checklist."""

import json
import re

import pytest

from mpp.catalog import services
from mpp.catalog.services import ChannelSpec

pytestmark = pytest.mark.django_db


def test_region_catalogue_page_lists_and_filters(client, akta_offering, make_template):
    make_template(slug="kia", name="Kartu Identitas Anak", common_names=["kartu anak"])
    services.save_offering(
        actor=None, region_code="35.10", template_slug="kia", channels=[ChannelSpec("counter")]
    )
    page = client.get("/wilayah/35.10/layanan/")
    html = page.content.decode()
    assert "Penerbitan Akta Kelahiran" in html and "Kartu Identitas Anak" in html
    assert "1 dari 2 layanan dapat diselesaikan daring (50% digital)." in html
    online = client.get("/wilayah/35.10/layanan/", {"kanal": "online"})
    assert [o.template.slug for o in online.context["page"].object_list] == ["akta-kelahiran"]
    found = client.get("/wilayah/35.10/layanan/", {"q": "akte lahir"})
    assert [o.template.slug for o in found.context["page"].object_list] == ["akta-kelahiran"]


def test_service_page_shows_every_public_component(client, akta_offering):
    html = client.get("/wilayah/35.10/layanan/akta-kelahiran/").content.decode()
    for text in [
        "Surat keterangan lahir dari bidan",  # persyaratan
        "Isi formulir F-2.01",  # prosedur
        "1 hari kerja",  # jangka waktu
        "Gratis",  # biaya
        "UU 24/2013 Pasal 79A",  # dasar hukum tarif
        "Kutipan Akta Kelahiran",  # produk
        "SP4N-LAPOR!",  # pengaduan
        "Daring di MPP Digital",  # kanal
    ]:
        assert text in html, text


def test_service_page_carries_government_service_jsonld(client, akta_offering):
    html = client.get("/wilayah/35.10/layanan/akta-kelahiran/").content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(block.group(1))
    assert data["@type"] == "GovernmentService"
    assert data["name"] == "Penerbitan Akta Kelahiran"
    assert data["provider"]["name"] == "Disdukcapil Kabupaten Banyuwangi"
    assert data["areaServed"]["name"] == "Kabupaten Banyuwangi"
    assert data["url"].endswith("/wilayah/35.10/layanan/akta-kelahiran/")


def test_printable_checklist(client, akta_offering):
    html = client.get("/wilayah/35.10/layanan/akta-kelahiran/persyaratan/").content.decode()
    assert html.count("☐") == 2
    assert "Kartu Keluarga orang tua" in html


@pytest.mark.parametrize(
    "url",
    [
        "/wilayah/35.10/layanan/tidak-ada/",
        "/wilayah/33.14/layanan/akta-kelahiran/",  # not offered there
        "/wilayah/99.99/layanan/",
        "/wilayah/35/layanan/",  # a province has no catalogue of its own
    ],
)
def test_unknown_pages_are_404(client, akta_offering, url):
    assert client.get(url).status_code == 404


def test_catalogue_page_ignores_an_unknown_channel(client, akta_offering):
    page = client.get("/wilayah/35.10/layanan/", {"kanal": "fax", "hal": "x"})
    assert page.status_code == 200
    assert page.context["filters"].channel == ""


def test_region_page_links_to_its_catalogue(client, akta_offering):
    html = client.get("/wilayah/35.10/").content.decode()
    assert "/wilayah/35.10/layanan/" in html
    assert "100% digital" in html


def test_service_page_description_names_the_region(client, akta_offering):
    html = client.get("/wilayah/35.10/layanan/akta-kelahiran/").content.decode()
    assert "Penerbitan Akta Kelahiran di Kabupaten Banyuwangi." in html


def test_service_page_says_when_a_verified_identity_is_needed(client, akta_offering):
    from mpp.catalog.models import ServiceTemplate

    ServiceTemplate.objects.filter(slug="akta-kelahiran").update(min_assurance_level=2)
    html = client.get("/wilayah/35.10/layanan/akta-kelahiran/").content.decode()
    assert "Membutuhkan akun dengan identitas tingkat 2 — diverifikasi petugas." in html
    body = client.get(f"/api/v1/services/{akta_offering.pk}").json()
    assert body["min_assurance_level"] == 2
