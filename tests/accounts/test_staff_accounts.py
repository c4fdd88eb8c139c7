"""Officers and admins are made by admins, each within their own region and agency."""

import re

import pytest
from django.core import mail
from django_otp.plugins.otp_totp.models import TOTPDevice

from mpp.accounts import services, staff
from mpp.accounts.models import RoleGrant, User
from mpp.catalog.models import Agency, AgencyKind
from mpp.catalog.services import ensure_agency
from mpp.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from mpp.core.roles import Perm, Role
from mpp.core.tenancy import agencies_for, scope_for
from tests.conftest import OTHER_REGION, OWN_REGION

pytestmark = pytest.mark.django_db
NEIGHBOUR = "35.09"  # Kabupaten Jember


@pytest.fixture
def agencies(disdukcapil):
    AgencyKind.objects.create(slug="dpmptsp", name="DPMPTSP", level=AgencyKind.Level.REGIONAL)
    return {
        "capil": ensure_agency(actor=None, region_code=OWN_REGION, kind_slug="disdukcapil"),
        "dpmptsp": ensure_agency(actor=None, region_code=OWN_REGION, kind_slug="dpmptsp"),
        "capil_jember": ensure_agency(actor=None, region_code=NEIGHBOUR, kind_slug="disdukcapil"),
    }


@pytest.fixture
def staff_of(make_user):
    """staff_of(role, region, agency) -> a user holding that grant (and a second factor)."""

    def make(role: Role, region: str | None = OWN_REGION, agency: Agency | None = None) -> User:
        user = make_user(Role.CITIZEN)
        services.grant_role(
            user=user, role=role, region_code=None if role == Role.NATIONAL_ADMIN else region,
            agency_id=agency.pk if agency else None,
        )  # fmt: skip
        TOTPDevice.objects.create(user=user, name="t", confirmed=True)
        return user

    return make


def create(actor, role, region=OWN_REGION, agency=None, username="baru", **extra):
    return staff.create_staff(
        actor=actor, username=username, full_name="Petugas Baru", email=f"{username}@example.id",
        role=role, region_code=region, agency_id=agency.pk if agency else None, **extra,
    )  # fmt: skip


# --- the matrix -------------------------------------------------------------------------------


def test_a_regional_manager_makes_staff_of_their_own_region_only(staff_of, agencies):
    manager = staff_of(Role.REGIONAL_MANAGER, OWN_REGION)
    made = create(manager, Role.AGENCY_OFFICER, agency=agencies["capil"])
    assert made.role_grants.get().agency == agencies["capil"]
    with pytest.raises(Forbidden):
        create(manager, Role.AGENCY_OFFICER, NEIGHBOUR, agencies["capil_jember"], username="x")
    with pytest.raises(Forbidden):
        create(manager, Role.COUNTER_OFFICER, NEIGHBOUR, username="y")
    with pytest.raises(Forbidden):
        create(manager, Role.NATIONAL_ADMIN, None, username="z")
    assert not User.objects.filter(username__in=["x", "y", "z"]).exists()


def test_a_regional_manager_does_not_see_staff_of_another_region(staff_of, agencies):
    manager = staff_of(Role.REGIONAL_MANAGER, OWN_REGION)
    jember = staff_of(Role.COUNTER_OFFICER, NEIGHBOUR)
    mine = staff_of(Role.COUNTER_OFFICER, OWN_REGION)
    listed = {grant.user for grant in staff.list_staff(actor=manager)}
    assert mine in listed and manager in listed
    assert jember not in listed
    grant = jember.role_grants.get()
    with pytest.raises(Forbidden):
        staff.revoke_grant(actor=manager, grant_id=grant.pk)
    assert RoleGrant.objects.filter(pk=grant.pk).exists()


def test_an_agency_admin_makes_officers_of_their_agency_only(staff_of, agencies):
    admin = staff_of(Role.AGENCY_ADMIN, OWN_REGION, agencies["dpmptsp"])
    made = create(admin, Role.AGENCY_OFFICER, agency=agencies["dpmptsp"])
    assert made.role_grants.get().agency == agencies["dpmptsp"]
    refused = [
        (Role.AGENCY_OFFICER, OWN_REGION, agencies["capil"]),  # another agency, same region
        (Role.AGENCY_ADMIN, OWN_REGION, agencies["dpmptsp"]),  # not an officer
        (Role.COUNTER_OFFICER, OWN_REGION, None),
        (Role.REGIONAL_MANAGER, OWN_REGION, None),
    ]
    for number, (role, region, agency) in enumerate(refused):
        with pytest.raises(Forbidden):
            create(admin, role, region, agency, username=f"tolak{number}")
    assert not User.objects.filter(username__startswith="tolak").exists()


def test_an_agency_admin_sees_only_their_agencys_officers(staff_of, agencies):
    admin = staff_of(Role.AGENCY_ADMIN, OWN_REGION, agencies["dpmptsp"])
    own = staff_of(Role.AGENCY_OFFICER, OWN_REGION, agencies["dpmptsp"])
    other = staff_of(Role.AGENCY_OFFICER, OWN_REGION, agencies["capil"])
    counter = staff_of(Role.COUNTER_OFFICER, OWN_REGION)
    assert [grant.user for grant in staff.list_staff(actor=admin)] == [own]
    with pytest.raises(Forbidden):
        staff.revoke_grant(actor=admin, grant_id=other.role_grants.get().pk)
    with pytest.raises(Forbidden):
        staff.revoke_grant(actor=admin, grant_id=counter.role_grants.get().pk)
    staff.revoke_grant(actor=admin, grant_id=own.role_grants.get().pk)
    assert not own.role_grants.exists()


@pytest.mark.parametrize("role", [Role.COUNTER_OFFICER, Role.AGENCY_OFFICER, Role.CITIZEN])
def test_officers_and_citizens_make_nobody(staff_of, make_user, agencies, role):
    actor = (
        make_user(Role.CITIZEN)
        if role == Role.CITIZEN
        else staff_of(role, OWN_REGION, agencies["capil"] if role == Role.AGENCY_OFFICER else None)
    )
    with pytest.raises(Forbidden):
        create(actor, Role.COUNTER_OFFICER)
    with pytest.raises(Forbidden):
        staff.list_staff(actor=actor)
    assert not User.objects.filter(username="baru").exists()


def test_a_national_admin_makes_anyone_anywhere(staff_of, agencies):
    admin = staff_of(Role.NATIONAL_ADMIN)
    create(admin, Role.REGIONAL_MANAGER, OTHER_REGION, username="pengelola")
    create(admin, Role.AGENCY_ADMIN, NEIGHBOUR, agencies["capil_jember"], username="admin.capil")
    create(admin, Role.NATIONAL_ADMIN, None, username="nasional")
    assert User.objects.get(username="nasional").is_staff
    assert staff.list_staff(actor=admin).count() == 4


# --- what a new member of staff gets ---------------------------------------------------------


def test_new_staff_get_an_unusable_password_and_a_one_time_link(client, staff_of, agencies):
    manager = staff_of(Role.REGIONAL_MANAGER)
    made = create(manager, Role.COUNTER_OFFICER, site_url="https://mpp.example.id/")
    assert not made.has_usable_password()
    assert made.get_full_name() == "Petugas Baru"
    assert made.email == "baru@example.id"
    [message] = mail.outbox
    assert message.to == ["baru@example.id"]
    link = re.search(r"https://mpp\.example\.id(/akun/atur-sandi/\S+/)", message.body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200 and "new_password1" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "kopi-jahe-petugas-9", "new_password2": "kopi-jahe-petugas-9"},
    )
    assert done["Location"] == "/akun/masuk/"
    made.refresh_from_db()
    assert made.check_password("kopi-jahe-petugas-9")
    again = client.get(link, follow=True)
    assert "sudah dipakai atau kedaluwarsa" in again.content.decode()


def test_at_first_sign_in_new_staff_must_enrol_an_authenticator(client, staff_of):
    made = create(staff_of(Role.REGIONAL_MANAGER), Role.COUNTER_OFFICER)
    made.set_password("kopi-jahe-petugas-9")
    made.save()
    client.post("/akun/masuk/", {"username": "baru", "password": "kopi-jahe-petugas-9"})
    assert client.get("/akun/petugas/")["Location"].startswith("/akun/2fa/")
    assert client.get("/api/v1/staff/accounts").json()["code"] == "second_factor_required"


# --- bad input changes nothing ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"role": "citizen"}, InvalidInput, "role"),
        ({"role": "raja"}, InvalidInput, "role"),
        ({"role": Role.AGENCY_OFFICER, "agency": None}, InvalidInput, "agency"),
        ({"role": Role.COUNTER_OFFICER, "agency": "capil"}, InvalidInput, "agency"),
        ({"role": Role.AGENCY_OFFICER, "agency": "capil_jember"}, InvalidInput, "agency"),
        ({"username": "bukan nama"}, InvalidInput, "username"),
        ({"email": "bukan-email"}, InvalidInput, "email"),
        ({"full_name": "  "}, InvalidInput, "full_name"),
    ],
)
def test_bad_input_is_refused(staff_of, agencies, changes, error, field):
    manager = staff_of(Role.REGIONAL_MANAGER)
    fields = {"role": Role.COUNTER_OFFICER, "agency": None, "username": "baru",
              "email": "baru@example.id", "full_name": "Petugas Baru", **changes}  # fmt: skip
    with pytest.raises(error) as refused:
        staff.create_staff(
            actor=manager, username=fields["username"], full_name=fields["full_name"],
            email=fields["email"], role=fields["role"], region_code=OWN_REGION,
            agency_id=agencies[fields["agency"]].pk if fields["agency"] else None,
        )  # fmt: skip
    assert refused.value.field == field
    assert User.objects.count() == 1
    assert not mail.outbox


def test_unknown_region_or_agency_is_not_found(staff_of):
    admin = staff_of(Role.NATIONAL_ADMIN)
    with pytest.raises(NotFound):
        create(admin, Role.COUNTER_OFFICER, "99.99")
    with pytest.raises(NotFound):
        staff.create_staff(
            actor=admin, username="baru", full_name="B", email="b@example.id",
            role=Role.AGENCY_OFFICER, region_code=OWN_REGION, agency_id=999_999,
        )  # fmt: skip
    assert not User.objects.filter(username="baru").exists()


def test_a_taken_username_is_a_conflict(staff_of):
    manager = staff_of(Role.REGIONAL_MANAGER)
    create(manager, Role.COUNTER_OFFICER)
    with pytest.raises(Conflict):
        create(manager, Role.COUNTER_OFFICER, username="BARU")


def test_nobody_revokes_their_own_role(staff_of):
    manager = staff_of(Role.REGIONAL_MANAGER)
    with pytest.raises(InvalidInput):
        staff.revoke_grant(actor=manager, grant_id=manager.role_grants.get().pk)
    assert manager.role_grants.exists()


def test_revoking_the_last_admin_role_leaves_the_admin_site(staff_of):
    admin = staff_of(Role.NATIONAL_ADMIN)
    manager = staff_of(Role.REGIONAL_MANAGER)
    assert manager.is_staff
    staff.revoke_grant(actor=admin, grant_id=manager.role_grants.get().pk)
    manager.refresh_from_db()
    assert not manager.is_staff
    with pytest.raises(NotFound):
        staff.revoke_grant(actor=admin, grant_id=manager.pk + 10_000)


# --- grants and tenancy ----------------------------------------------------------------------


def test_agency_grants_name_an_agency_of_their_region(make_user, agencies):
    user = make_user()
    with pytest.raises(InvalidInput):
        services.grant_role(
            user=user, role=Role.AGENCY_OFFICER, region_code=OWN_REGION,
            agency_id=agencies["capil_jember"].pk,
        )  # fmt: skip
    agencies["capil_jember"].service_area.add(OWN_REGION)  # Jember's office also serves us
    grant = services.grant_role(
        user=user, role=Role.AGENCY_OFFICER, region_code=OWN_REGION,
        agency_id=agencies["capil_jember"].pk,
    )  # fmt: skip
    assert grant.agency == agencies["capil_jember"]


def test_an_old_agency_less_grant_gets_its_agency(make_user, agencies):
    officer = make_user(Role.AGENCY_OFFICER)  # granted without an agency
    assert agencies_for(officer, Perm.VIEW_SITES) == frozenset()
    services.grant_role(
        user=officer, role=Role.AGENCY_OFFICER, region_code=OWN_REGION,
        agency_id=agencies["capil"].pk,
    )  # fmt: skip
    assert list(officer.role_grants.values_list("agency", flat=True)) == [agencies["capil"].pk]


def test_tenancy_knows_the_agencies(staff_of, agencies):
    officer = staff_of(Role.AGENCY_OFFICER, OWN_REGION, agencies["capil"])
    scope = scope_for(officer, Perm.VIEW_SITES)
    assert scope.regions == {OWN_REGION}
    assert scope.agencies == {agencies["capil"].pk}
    assert agencies_for(officer, Perm.VIEW_SITES) == {agencies["capil"].pk}
    manager = staff_of(Role.REGIONAL_MANAGER)
    assert scope_for(manager, Perm.MANAGE_STAFF).agencies == frozenset()
    assert agencies_for(manager, Perm.MANAGE_STAFF) is None
    assert agencies_for(staff_of(Role.NATIONAL_ADMIN), Perm.MANAGE_STAFF) is None
    assert agencies_for(staff_of(Role.COUNTER_OFFICER), Perm.MANAGE_STAFF) == frozenset()
