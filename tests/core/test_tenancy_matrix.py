"""Every role × its own region × another region: who sees and changes which regional rows.

Later issues add a test per regional row type here, reusing EXPECTED's shape.
"""

import pytest

from mpp.core.errors import Forbidden
from mpp.core.roles import Perm, Role
from mpp.core.tenancy import for_actor, require_region, roles_of, scope_for
from mpp.regions import services
from mpp.regions.models import MppSite
from tests.conftest import OTHER_REGION, OWN_REGION

pytestmark = pytest.mark.django_db

# role -> (sees own region's sites, sees other region's, manages own, manages other)
EXPECTED = {
    Role.NATIONAL_ADMIN: (True, True, True, True),
    Role.REGIONAL_MANAGER: (True, False, True, False),
    Role.AGENCY_ADMIN: (True, False, False, False),
    Role.AGENCY_OFFICER: (True, False, False, False),
    Role.COUNTER_OFFICER: (True, False, False, False),
    Role.CITIZEN: (False, False, False, False),
}


@pytest.fixture
def sites():
    def add(region):
        return services.save_mpp_site(
            actor=None,
            region_code=region,
            kind="mobile",
            name=f"Mobil keliling {region}",
            is_active=False,  # a draft: only staff with a grant may see it
        )

    return {OWN_REGION: add(OWN_REGION), OTHER_REGION: add(OTHER_REGION)}


def test_matrix_covers_every_role():
    assert set(EXPECTED) == set(Role)


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
@pytest.mark.parametrize("target", ["own", "other"])
def test_reads_through_for_actor(make_user, sites, role, target):
    user = make_user(role, OWN_REGION)
    region = OWN_REGION if target == "own" else OTHER_REGION
    visible = for_actor(MppSite.objects.all(), user, permission=Perm.VIEW_SITES)
    expected = EXPECTED[role][0 if target == "own" else 1]
    assert visible.filter(pk=sites[region].pk).exists() is expected


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
@pytest.mark.parametrize("target", ["own", "other"])
def test_writes_through_require_region(make_user, role, target):
    user = make_user(role, OWN_REGION)
    region = OWN_REGION if target == "own" else OTHER_REGION
    allowed = EXPECTED[role][2 if target == "own" else 3]
    if allowed:
        require_region(user, Perm.MANAGE_SITES, region)
    else:
        with pytest.raises(Forbidden):
            require_region(user, Perm.MANAGE_SITES, region)


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
@pytest.mark.parametrize("target", ["own", "other"])
def test_staff_api_lists_only_what_the_matrix_allows(client, make_user, sites, role, target):
    client.force_login(make_user(role, OWN_REGION))
    region = OWN_REGION if target == "own" else OTHER_REGION
    listed = {site["id"] for site in client.get("/api/v1/mpp-sites").json()}
    assert (sites[region].pk in listed) is EXPECTED[role][0 if target == "own" else 1]


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
@pytest.mark.parametrize("target", ["own", "other"])
def test_staff_api_creates_only_where_allowed(client, make_user, role, target):
    client.force_login(make_user(role, OWN_REGION))
    region = OWN_REGION if target == "own" else OTHER_REGION
    response = client.post(
        "/api/v1/mpp-sites",
        {"region": region, "kind": "mobile", "name": "Mobil baru"},
        content_type="application/json",
    )
    allowed = EXPECTED[role][2 if target == "own" else 3]
    assert response.status_code == (201 if allowed else 403)
    assert MppSite.objects.filter(region=region, name="Mobil baru").exists() is allowed


def test_anonymous_holds_no_role_and_no_scope(client):
    from django.contrib.auth.models import AnonymousUser

    assert roles_of(AnonymousUser()) == frozenset()
    assert not scope_for(AnonymousUser(), Perm.VIEW_SITES).regions
    assert client.get("/api/v1/mpp-sites").status_code == 401


def test_inactive_staff_lose_their_scope(make_user):
    user = make_user(Role.REGIONAL_MANAGER, OWN_REGION)
    user.is_active = False
    assert not scope_for(user, Perm.MANAGE_SITES).allows(OWN_REGION)


# role -> (changes own region's offerings, changes another region's)
OFFERING_EXPECTED = {
    Role.NATIONAL_ADMIN: (True, True),
    Role.REGIONAL_MANAGER: (True, False),
    Role.AGENCY_ADMIN: (False, False),
    Role.AGENCY_OFFICER: (False, False),
    Role.COUNTER_OFFICER: (False, False),
    Role.CITIZEN: (False, False),
}


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
@pytest.mark.parametrize("target", ["own", "other"])
def test_offerings_follow_the_matrix(make_user, akta, role, target):
    from mpp.catalog import services as catalog_services
    from mpp.catalog.models import Offering

    user = make_user(role, OWN_REGION)
    region = OWN_REGION if target == "own" else OTHER_REGION
    allowed = OFFERING_EXPECTED[role][0 if target == "own" else 1]
    channels = [catalog_services.ChannelSpec("online")]
    if allowed:
        catalog_services.save_offering(
            actor=user, region_code=region, template_slug="akta-kelahiran", channels=channels
        )
        catalog_services.onboard_region(actor=user, region_code=region)
    else:
        with pytest.raises(Forbidden):
            catalog_services.save_offering(
                actor=user, region_code=region, template_slug="akta-kelahiran", channels=channels
            )
        with pytest.raises(Forbidden):
            catalog_services.onboard_region(actor=user, region_code=region)
    assert Offering.objects.filter(region=region).exists() is allowed
