"""The staff page ("Petugas") and /api/v1/staff/accounts: thin entry points over accounts.staff."""

import pytest
from django.core import mail
from django_otp.plugins.otp_totp.models import TOTPDevice

from mpp.accounts import services
from mpp.accounts.models import RoleGrant, User
from mpp.catalog.services import ensure_agency
from mpp.core.roles import Role
from tests.conftest import OWN_REGION

pytestmark = pytest.mark.django_db
NEIGHBOUR = "35.09"


@pytest.fixture
def capil(disdukcapil):
    return ensure_agency(actor=None, region_code=OWN_REGION, kind_slug="disdukcapil")


@pytest.fixture
def grant(make_user):
    def make(role, region=OWN_REGION, agency=None, name=None):
        user = services.ensure_user(username=name or f"{role}-{region}", password="x")
        services.grant_role(
            user=user, role=role, region_code=None if role == Role.NATIONAL_ADMIN else region,
            agency_id=agency.pk if agency else None,
        )  # fmt: skip
        TOTPDevice.objects.get_or_create(user=user, name="t", defaults={"confirmed": True})
        return user

    return make


def payload(**changes):
    return {"username": "petugas.baru", "full_name": "Petugas Baru",
            "email": "baru@example.id", "role": "counter_officer", "region": OWN_REGION,
            "agency_id": None, **changes}  # fmt: skip


def form(**changes):
    fields = {**payload(), "agency": "", **changes}
    del fields["agency_id"]
    return {"action": "create", **fields}


def test_api_creates_lists_and_revokes(client, grant, capil):
    client.force_login(grant(Role.REGIONAL_MANAGER))
    made = client.post(
        "/api/v1/staff/accounts",
        payload(role="agency_officer", agency_id=capil.pk),
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["username"], body["role"], body["region"], body["agency_id"]) == (
        "petugas.baru", "agency_officer", OWN_REGION, capil.pk,
    )  # fmt: skip
    assert body["second_factor"] is False
    assert len(mail.outbox) == 1
    assert "http://testserver/akun/atur-sandi/" in mail.outbox[0].body
    listed = client.get("/api/v1/staff/accounts").json()
    assert {row["username"] for row in listed} == {"petugas.baru", f"regional_manager-{OWN_REGION}"}
    gone = client.delete(f"/api/v1/staff/grants/{body['grant_id']}")
    assert gone.status_code == 204
    assert not RoleGrant.objects.filter(pk=body["grant_id"]).exists()


def test_api_refuses_out_of_scope_with_403_and_bad_role_with_400(client, grant):
    client.force_login(grant(Role.REGIONAL_MANAGER))
    other = client.post(
        "/api/v1/staff/accounts", payload(region=NEIGHBOUR), content_type="application/json"
    )
    assert other.status_code == 403
    assert other.json()["code"] == "forbidden"
    bad = client.post(
        "/api/v1/staff/accounts", payload(role="sultan"), content_type="application/json"
    )
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "role"
    jember = grant(Role.COUNTER_OFFICER, NEIGHBOUR)
    assert client.get(f"/api/v1/staff/accounts?region={NEIGHBOUR}").json() == []
    refused = client.delete(f"/api/v1/staff/grants/{jember.role_grants.get().pk}")
    assert refused.status_code == 403
    assert not User.objects.filter(username="petugas.baru").exists()


def test_a_counter_officer_gets_403_everywhere(client, grant):
    client.force_login(grant(Role.COUNTER_OFFICER))
    assert client.get("/api/v1/staff/accounts").status_code == 403
    response = client.post("/api/v1/staff/accounts", payload(), content_type="application/json")
    assert response.status_code == 403
    assert client.get("/akun/petugas/").status_code == 403
    assert not User.objects.filter(username="petugas.baru").exists()


def test_the_staff_page_lists_creates_and_revokes(client, grant, capil):
    manager = grant(Role.REGIONAL_MANAGER)
    officer = grant(Role.AGENCY_OFFICER, OWN_REGION, capil, name="capil.satu")
    grant(Role.COUNTER_OFFICER, NEIGHBOUR, name="loket.jember")
    client.force_login(manager)
    page = client.get("/akun/petugas/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "capil.satu" in html and "loket.jember" not in html
    assert f'<option value="{capil.pk}">' in html  # the region's agencies to choose from
    created = client.post(
        "/akun/petugas/?wilayah=35.10",
        form(),
    )
    assert created.status_code == 302
    assert User.objects.get(username="petugas.baru").role_grants.get().role == "counter_officer"
    refused = client.post("/akun/petugas/", form(username="lain", role="agency_admin"))
    assert refused.status_code == 400
    assert "Pilih instansi untuk peran ini." in refused.content.decode()
    revoked = client.post(
        "/akun/petugas/", {"action": "revoke", "grant": officer.role_grants.get().pk}
    )
    assert revoked.status_code == 302
    assert not officer.role_grants.exists()


def test_the_page_never_shows_another_region_even_when_asked(client, grant):
    client.force_login(grant(Role.REGIONAL_MANAGER))
    grant(Role.COUNTER_OFFICER, NEIGHBOUR, name="loket.jember")
    page = client.get(f"/akun/petugas/?wilayah={NEIGHBOUR}")
    assert "loket.jember" not in page.content.decode()
