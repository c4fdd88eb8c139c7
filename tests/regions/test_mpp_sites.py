"""MPP sites: validation, the coverage status they give their region, and the staff API."""

import datetime

import pytest

from mpp.core.errors import Conflict, InvalidInput, NotFound
from mpp.core.roles import Role
from mpp.regions import services
from mpp.regions.models import MppSite, Region

pytestmark = pytest.mark.django_db

BUILDING = {
    "region_code": "35.10",
    "kind": "physical",
    "name": "MPP Banyuwangi",
    "address": "Jl. Contoh 1",
    "opening_hours": {"mon": [["08:00", "15:00"]]},
}


def test_physical_and_digital_sites_make_a_hybrid_region():
    services.save_mpp_site(actor=None, **BUILDING, went_live_on=datetime.date(2017, 12, 1))
    services.save_mpp_site(
        actor=None,
        region_code="35.10",
        kind="digital",
        name="MPP Digital",
        url="https://mpp.example.go.id",
        went_live_on=datetime.date(2023, 6, 20),
    )
    region = Region.objects.get(code="35.10")
    assert region.physical_live_on == datetime.date(2017, 12, 1)
    assert region.digital_live_on == datetime.date(2023, 6, 20)
    assert region.mpp_status == Region.MppStatus.HYBRID
    assert region.mpp_status_on(datetime.date(2020, 1, 1)) == Region.MppStatus.PHYSICAL
    assert region.mpp_status_on(datetime.date(2017, 1, 1)) == Region.MppStatus.NONE


def test_a_planned_or_inactive_site_does_not_count():
    services.save_mpp_site(actor=None, **BUILDING, went_live_on=None)
    services.save_mpp_site(
        actor=None,
        region_code="35.10",
        kind="digital",
        name="MPP Digital",
        url="https://mpp.example.go.id",
        went_live_on=datetime.date(2023, 6, 20),
        is_active=False,
    )
    assert Region.objects.get(code="35.10").mpp_status == Region.MppStatus.NONE


def test_saving_the_same_site_twice_updates_it():
    services.save_mpp_site(actor=None, **BUILDING)
    services.save_mpp_site(actor=None, **{**BUILDING, "address": "Jl. Baru 2"})
    assert list(MppSite.objects.values_list("address", flat=True)) == ["Jl. Baru 2"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"opening_hours": {"senin": [["08:00", "15:00"]]}}, "opening_hours"),
        ({"opening_hours": {"mon": [["15:00", "08:00"]]}}, "opening_hours"),
        ({"opening_hours": {"mon": [["08:00", "12:00"], ["11:00", "15:00"]]}}, "opening_hours"),
        ({"opening_hours": {"mon": [["8", "15:00"]]}}, "opening_hours"),
        ({"opening_hours": {"mon": [["08:00", "25:00"]]}}, "opening_hours"),
        ({"address": "  "}, "address"),
        ({"name": ""}, "name"),
        ({"kind": "kiosk"}, "kind"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(change, field):
    with pytest.raises(InvalidInput) as refused:
        services.save_mpp_site(actor=None, **{**BUILDING, **change})
    assert refused.value.field == field
    assert not MppSite.objects.exists()


def test_sites_belong_to_a_kabkota_not_a_province():
    with pytest.raises(NotFound):
        services.save_mpp_site(actor=None, **{**BUILDING, "region_code": "35"})


def test_renaming_onto_another_site_is_a_conflict():
    first = services.save_mpp_site(actor=None, **BUILDING)
    second = services.save_mpp_site(actor=None, **{**BUILDING, "name": "MPP Genteng"})
    with pytest.raises(Conflict):
        services.save_mpp_site(actor=None, site_id=second.pk, **BUILDING)
    assert MppSite.objects.get(pk=second.pk).name == "MPP Genteng"
    assert first.name == "MPP Banyuwangi"


def test_manager_updates_own_site_through_the_api(client, make_user):
    site = services.save_mpp_site(actor=None, **BUILDING)
    client.force_login(make_user(Role.REGIONAL_MANAGER, "35.10"))
    response = client.put(
        f"/api/v1/mpp-sites/{site.pk}",
        {
            "region": "35.10",
            "kind": "physical",
            "name": "MPP Banyuwangi",
            "address": "Jl. Baru",
            "opening_hours": {"sat": [["08:00", "12:00"]]},
            "went_live_on": "2017-12-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["opening_hours"] == {"sat": [["08:00", "12:00"]]}
    assert Region.objects.get(code="35.10").physical_live_on == datetime.date(2017, 12, 1)


def test_manager_cannot_reach_another_regions_site_by_id(client, make_user):
    site = services.save_mpp_site(actor=None, **{**BUILDING, "region_code": "33.14"})
    client.force_login(make_user(Role.REGIONAL_MANAGER, "35.10"))
    response = client.put(
        f"/api/v1/mpp-sites/{site.pk}",
        {"region": "35.10", "kind": "physical", "name": "Diambil", "address": "x"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert MppSite.objects.get(pk=site.pk).name == "MPP Banyuwangi"


def test_api_bad_hours_is_400_with_the_field(client, make_user):
    client.force_login(make_user(Role.REGIONAL_MANAGER, "35.10"))
    response = client.post(
        "/api/v1/mpp-sites",
        {
            **{k: v for k, v in BUILDING.items() if k != "region_code"},
            "region": "35.10",
            "opening_hours": {"mon": [["15:00", "08:00"]]},
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "opening_hours"
    assert not MppSite.objects.exists()


def test_api_malformed_region_is_422(client, make_user):
    client.force_login(make_user(Role.NATIONAL_ADMIN))
    response = client.post(
        "/api/v1/mpp-sites",
        {"region": "3510", "kind": "mobile", "name": "x"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "region"


def test_api_malformed_json_is_4xx(client, make_user):
    client.force_login(make_user(Role.NATIONAL_ADMIN))
    response = client.post("/api/v1/mpp-sites", "{nope", content_type="application/json")
    assert 400 <= response.status_code < 500
