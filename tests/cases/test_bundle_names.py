"""A bundle's name follows the page language: `name_en` in English when set, else the
Indonesian `name`, on every page and API answer that shows it."""

import pytest
from django.utils import translation

from mpp.cases import bundles
from mpp.cases.models import BundleDefinition, FormDefinition
from tests.support.bundles import FORMS, submit

pytestmark = pytest.mark.django_db
APPLY = "/wilayah/35.10/paket/kelahiran/ajukan/"


@pytest.fixture
def named(kelahiran):
    """The birth bundle with an English name too."""
    return bundles.save_bundle_definition(
        actor=None,
        slug="kelahiran",
        name="Paket kelahiran",
        name_en="Birth package",
        life_event="kelahiran",
        services=list(FORMS),
        provided_later=["anak_nik"],
    )


def in_english(client):
    assert client.get("/bahasa/en/", {"next": "/"}).status_code == 302
    return client


def test_display_name_picks_the_active_language():
    definition = BundleDefinition(name="Paket kelahiran", name_en="Birth package")
    untranslated = BundleDefinition(name="Paket kematian", name_en="")

    with translation.override("en"):
        assert definition.display_name == "Birth package"
        assert untranslated.display_name == "Paket kematian"  # no English name: Indonesian
    with translation.override("id"):
        assert definition.display_name == "Paket kelahiran"


def test_english_pages_show_the_english_name(client, applicant, named):
    client.force_login(applicant)
    in_english(client)
    tracking = submit(applicant).bundle.tracking

    pages = {
        "catalogue": client.get("/wilayah/35.10/layanan/?peristiwa=kelahiran"),
        "apply": client.get(APPLY),
        "bundle": client.get(f"/permohonan/paket/{tracking}/"),
        "status": client.post("/lacak/", {"nomor": tracking, "nik4": "0001"}),
    }

    for where, page in pages.items():
        html = page.content.decode()
        assert page.status_code == 200, where
        assert '<html lang="en">' in html, where
        assert "Birth package" in html and "Paket kelahiran" not in html, where
    mine = client.get(f"/api/v1/bundles/{tracking}").json()
    assert mine["name"] == "Birth package"
    listed = client.get("/api/v1/bundle-definitions").json()
    assert [d["name"] for d in listed] == ["Birth package"]


def test_english_consent_page_shows_the_english_name(client, applicant, named):
    reporter = {"key": "pemohon_nama", "type": "text", "label": {"id": "Nama pelapor"},
                "prefill": "full_name"}  # fmt: skip
    form = FormDefinition.objects.get(template__slug="akta-kelahiran")
    form.definition = {"fields": [*form.definition["fields"], reporter]}
    form.save()
    client.force_login(applicant)
    in_english(client)

    html = client.get(APPLY).content.decode()

    assert 'name="action" value="consent"' in html  # the consent page, before the form
    assert "Birth package" in html and "Paket kelahiran" not in html


def test_indonesian_pages_keep_the_indonesian_name(client, applicant, named):
    client.force_login(applicant)
    tracking = submit(applicant).bundle.tracking

    pages = {
        "apply": client.get(APPLY),
        "bundle": client.get(f"/permohonan/paket/{tracking}/"),
        "status": client.post("/lacak/", {"nomor": tracking, "nik4": "0001"}),
    }
    for where, page in pages.items():
        html = page.content.decode()
        assert "Paket kelahiran" in html and "Birth package" not in html, where
    assert client.get(f"/api/v1/bundles/{tracking}").json()["name"] == "Paket kelahiran"


def test_without_an_english_name_english_pages_fall_back_to_indonesian(
    client, applicant, kelahiran
):
    client.force_login(applicant)
    in_english(client)

    html = client.get(APPLY).content.decode()

    assert '<html lang="en">' in html and "Paket kelahiran" in html
