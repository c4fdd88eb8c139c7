"""Regional managers configure their own region's MPP sites in the admin, and nothing else."""

import pytest

from mpp.core.roles import Role
from mpp.regions import services
from mpp.regions.models import MppSite

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_sites():
    return [
        services.save_mpp_site(
            actor=None, region_code=code, kind="mobile", name=f"Mobil keliling {code}"
        )
        for code in ("35.10", "33.14")
    ]


def test_manager_sees_only_own_region_in_the_changelist(client, make_user, two_sites):
    client.force_login(make_user(Role.REGIONAL_MANAGER, "35.10"))
    response = client.get("/admin/regions/mppsite/")
    assert response.status_code == 200
    assert [site.region_id for site in response.context["cl"].result_list] == ["35.10"]
    assert client.get(f"/admin/regions/mppsite/{two_sites[1].pk}/change/").status_code == 302


def test_manager_adds_a_site_through_the_service_checks(client, make_user):
    client.force_login(make_user(Role.REGIONAL_MANAGER, "35.10"))
    form = {
        "region": "35.10",
        "kind": "physical",
        "name": "MPP Genteng",
        "address": "",
        "url": "",
        "opening_hours": "{}",
        "went_live_on": "",
        "is_active": "on",
    }
    refused = client.post("/admin/regions/mppsite/add/", form)
    assert refused.status_code == 200
    assert "MPP fisik wajib mempunyai alamat." in refused.content.decode()
    assert not MppSite.objects.exists()

    other = client.post("/admin/regions/mppsite/add/", {**form, "region": "33.14", "address": "x"})
    assert "Anda tidak berwenang untuk wilayah ini." in other.content.decode()

    added = client.post("/admin/regions/mppsite/add/", {**form, "address": "Jl. Genteng 1"})
    assert added.status_code == 302
    assert MppSite.objects.get().address == "Jl. Genteng 1"


def test_counter_officer_has_no_admin(client, make_user):
    client.force_login(make_user(Role.COUNTER_OFFICER, "35.10"))
    assert client.get("/admin/regions/mppsite/").status_code == 302
