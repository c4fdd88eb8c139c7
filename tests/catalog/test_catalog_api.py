"""GET /api/v1/services, /services/{id}, /agencies, /life-events."""

import pytest

from mpp.catalog import services
from mpp.catalog.services import ChannelSpec

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_offerings(make_template, akta_offering):
    make_template(slug="kia", name="Kartu Identitas Anak", common_names=["kartu anak"])
    services.save_offering(
        actor=None, region_code="35.10", template_slug="kia", channels=[ChannelSpec("counter")]
    )
    return akta_offering


def test_region_catalogue_lists_offerings(client, two_offerings):
    body = client.get("/api/v1/services", {"region": "35.10"}).json()
    assert body["count"] == 2
    akta = body["items"][1]  # ordered by name: Kartu Identitas Anak, Penerbitan Akta Kelahiran
    assert akta["slug"] == "akta-kelahiran"
    assert akta["region"] == "35.10"
    assert akta["is_free"] is True
    assert akta["is_digital"] is True
    assert akta["duration"] == {"value": 1, "unit": "working_days", "label": "1 hari kerja"}


@pytest.mark.parametrize(
    ("params", "slugs"),
    [
        ({"channel": "online"}, ["akta-kelahiran"]),
        ({"channel": "counter"}, ["kia", "akta-kelahiran"]),
        ({"agency": "disdukcapil"}, ["kia", "akta-kelahiran"]),
        ({"agency": "polri"}, []),
        ({"life_event": "kelahiran"}, ["kia", "akta-kelahiran"]),
        ({"tag": "stunting"}, ["kia", "akta-kelahiran"]),
        ({"q": "akte lahir"}, ["akta-kelahiran"]),
    ],
)
def test_filters(client, two_offerings, params, slugs):
    body = client.get("/api/v1/services", {"region": "35.10", **params}).json()
    assert [item["slug"] for item in body["items"]] == slugs


def test_national_catalogue_without_region(client, two_offerings):
    body = client.get("/api/v1/services").json()
    assert [(i["slug"], i["id"], i["region"]) for i in body["items"]] == [
        ("kia", None, None),
        ("akta-kelahiran", None, None),
    ]


def test_list_runs_a_fixed_number_of_queries(client, make_template, django_assert_num_queries):
    for n in range(6):
        make_template(slug=f"layanan-{n}", name=f"Layanan {n}")
        services.onboard_region(actor=None, region_code="35.10")
    # fingerprint, region check, count, page, channels, life events — whatever the page size
    for size in (1, 6):
        with django_assert_num_queries(6):
            client.get("/api/v1/services", {"region": "35.10", "page_size": size})


@pytest.mark.parametrize("path", ["/api/v1/services?region=35.10", "/api/v1/services/{id}"])
def test_a_cached_answer_costs_one_small_query_and_a_revalidation_gets_304(
    client, akta_offering, django_assert_num_queries, path
):
    path = path.format(id=akta_offering.pk)
    first = client.get(path)
    with django_assert_num_queries(1):
        again = client.get(path)
    assert again.content == first.content
    with django_assert_num_queries(1):
        revalidated = client.get(path, headers={"If-None-Match": first["ETag"]})
    assert revalidated.status_code == 304


def test_a_change_shows_at_once(client, akta_offering):
    first = client.get(f"/api/v1/services/{akta_offering.pk}").json()
    services.save_offering(
        actor=None, region_code="35.10", template_slug="akta-kelahiran",
        channels=[ChannelSpec("counter")], notes="Baru",
    )  # fmt: skip
    after = client.get(f"/api/v1/services/{akta_offering.pk}").json()
    assert (first["notes"], after["notes"]) == ("", "Baru")
    listed = client.get("/api/v1/services", {"region": "35.10"}).json()
    assert listed["items"][0]["channels"] == ["counter"]


def test_a_new_standard_version_shows_at_once(client, akta_offering):
    listed = client.get("/api/v1/services", {"region": "35.10"})
    detail = client.get(f"/api/v1/services/{akta_offering.pk}")
    draft = services.create_draft_version(actor=None, template=akta_offering.template)
    draft = services.update_draft_version(actor=None, version=draft, duration_value=3)
    services.publish_version(actor=None, version=draft)

    listed_after = client.get(
        "/api/v1/services", {"region": "35.10"}, headers={"If-None-Match": listed["ETag"]}
    )
    detail_after = client.get(
        f"/api/v1/services/{akta_offering.pk}", headers={"If-None-Match": detail["ETag"]}
    )
    assert (listed_after.status_code, detail_after.status_code) == (200, 200)
    assert listed_after.json()["items"][0]["duration"]["value"] == 3
    assert (detail_after.json()["version"], detail_after.json()["duration"]["value"]) == (2, 3)


def test_a_renamed_template_shows_at_once(client, akta_offering):
    listed = client.get("/api/v1/services", {"region": "35.10"})
    services.save_template(
        actor=None, slug="akta-kelahiran", name="Akta Kelahiran Baru", agency_kind="disdukcapil"
    )
    listed_after = client.get(
        "/api/v1/services", {"region": "35.10"}, headers={"If-None-Match": listed["ETag"]}
    )
    assert listed_after.status_code == 200
    assert listed_after["ETag"] != listed["ETag"]
    assert listed_after.json()["items"][0]["name"] == "Akta Kelahiran Baru"


def test_an_offering_elsewhere_leaves_these_answers_valid(client, akta_offering):
    listed = client.get("/api/v1/services", {"region": "35.10"})
    detail = client.get(f"/api/v1/services/{akta_offering.pk}")
    services.save_offering(
        actor=None, region_code="33.14", template_slug="akta-kelahiran",
        channels=[ChannelSpec("counter")],
    )  # fmt: skip

    def revalidate(path, response):
        return client.get(path, headers={"If-None-Match": response["ETag"]}).status_code

    assert revalidate("/api/v1/services?region=35.10", listed) == 304
    assert revalidate(f"/api/v1/services/{akta_offering.pk}", detail) == 304
    services.save_offering(
        actor=None, region_code="35.10", template_slug="akta-kelahiran",
        channels=[ChannelSpec("online")],
    )  # fmt: skip
    assert revalidate("/api/v1/services?region=35.10", listed) == 200
    assert revalidate(f"/api/v1/services/{akta_offering.pk}", detail) == 200


def test_the_answer_follows_the_language(client, akta_offering):
    indonesian = client.get("/api/v1/services", {"region": "35.10"}).json()
    english = client.get(
        "/api/v1/services", {"region": "35.10"}, headers={"Accept-Language": "en"}
    ).json()
    assert indonesian["items"][0]["duration"]["label"] == "1 hari kerja"
    assert english["items"][0]["duration"]["label"] == "1 working day"


def test_detail_carries_the_whole_public_standard(client, akta_offering):
    body = client.get(f"/api/v1/services/{akta_offering.pk}").json()
    assert body["requirements"][0] == {
        "document_type": "Surat keterangan kelahiran",
        "description": "Surat keterangan lahir dari bidan",
    }
    assert body["procedure"][0] == "Isi formulir F-2.01"
    assert body["tariffs"][0]["legal_basis"] == "UU 24/2013 Pasal 79A"
    assert body["output"] == "Kutipan Akta Kelahiran"
    assert body["complaints"] == "SP4N-LAPOR!"
    assert {c["kind"] for c in body["channel_details"]} == {"online", "counter"}
    assert body["overrides"] == {}
    assert body["version"] == 1


def test_detail_shows_overrides(client, akta):
    offering = services.save_offering(
        actor=None,
        region_code="35.10",
        template_slug="akta-kelahiran",
        channels=[ChannelSpec("online")],
        duration_value_override=2,
        duration_unit_override="hours",
    )
    body = client.get(f"/api/v1/services/{offering.pk}").json()
    assert body["overrides"] == {"duration_value": 2, "duration_unit": "hours"}
    assert body["duration"]["label"] == "2 jam"


def test_unknown_service_and_region_are_404(client, akta_offering):
    assert client.get("/api/v1/services/999999").status_code == 404
    response = client.get("/api/v1/services", {"region": "99.99"})
    assert response.status_code == 404
    assert "99.99" in response.json()["detail"]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"region": "3510"}, "region"), ({"channel": "fax"}, "channel"), ({"page": 0}, "page")],
)
def test_bad_query_is_422_naming_the_field(client, params, field):
    response = client.get("/api/v1/services", params)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_agencies_and_life_events(client, akta_offering):
    agencies = client.get("/api/v1/agencies", {"region": "35.10"}).json()
    assert [(a["name"], a["kind"]["slug"]) for a in agencies] == [
        ("Disdukcapil Kabupaten Banyuwangi", "disdukcapil")
    ]
    assert client.get("/api/v1/agencies", {"region": "33.14"}).json() == []
    events = client.get("/api/v1/life-events").json()
    assert events == [{"slug": "kelahiran", "name": "Kelahiran", "name_en": "Birth"}]


def test_region_detail_reports_digitalisation(client, akta_offering):
    body = client.get("/api/v1/regions/35.10").json()
    assert body["digitalisation"] == {"digital": 1, "total": 1, "rate": 1.0}
    assert client.get("/api/v1/regions/35").json()["digitalisation"] is None
