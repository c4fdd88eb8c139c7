"""Demo data loads idempotently, only in demo mode, with an account for every role."""

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from mpp.accounts.models import RoleGrant, User
from mpp.core.roles import Role
from mpp.core.tenancy import roles_of
from mpp.regions.models import MppSite, Region

pytestmark = pytest.mark.django_db


def counts():
    return (User.objects.count(), RoleGrant.objects.count(), MppSite.objects.count())


@override_settings(MPP_DEMO=True)
def test_loading_twice_adds_nothing(capsys):
    call_command("load_demo")
    first = counts()
    call_command("load_demo")
    assert counts() == first
    assert first[2] == 24  # 21 pilot digital MPPs + 3 demo buildings
    out = capsys.readouterr().out
    assert "admin.nasional" in out and "warga.demo" in out


@override_settings(MPP_DEMO=True)
def test_every_role_has_a_demo_account():
    call_command("load_demo")
    held = set().union(*(roles_of(user) for user in User.objects.all()))
    assert held == set(Role)


@override_settings(MPP_DEMO=True)
def test_every_demo_flow_has_an_officer_in_banyuwangi():
    """Each agency a demo process hands work to in 35.10 has someone to sign in as."""
    call_command("load_demo")
    staffed = set(
        RoleGrant.objects.filter(
            region_id="35.10", role__in=[Role.AGENCY_OFFICER, Role.AGENCY_ADMIN]
        ).values_list("agency__kind__slug", flat=True)
    )
    assert {"disdukcapil", "dpmptsp", "dinas-pupr", "dinkes"} <= staffed


@override_settings(MPP_DEMO=True)
def test_pilot_regions_are_digital_since_launch_day():
    call_command("load_demo")
    pilots = Region.objects.filter(digital_live_on="2023-06-20")
    assert pilots.count() == 21
    assert {"35.10", "33.14", "13.75"} <= set(pilots.values_list("code", flat=True))
    assert not MppSite.objects.filter(kind="digital", is_demo=True).exists()
    assert set(MppSite.objects.filter(kind="physical").values_list("is_demo", flat=True)) == {True}


@override_settings(MPP_DEMO=False)
def test_refused_outside_demo_mode():
    with pytest.raises(CommandError):
        call_command("load_demo")
    assert counts() == (0, 0, 0)


@override_settings(MPP_DEMO=True)
def test_the_demo_citizen_signs_in_with_nik(client):
    call_command("load_demo")
    response = client.post(
        "/akun/masuk/", {"username": "3510015708900001", "password": "demo-mpp-2026"}
    )
    assert response.status_code == 302


@override_settings(MPP_DEMO=True)
def test_demo_staff_pass_2fa_with_the_printed_code(client, capsys):
    call_command("load_demo")
    client.post("/akun/masuk/", {"username": "pengelola.bwi", "password": "demo-mpp-2026"})
    capsys.readouterr()
    call_command("demo_otp_code")
    code = capsys.readouterr().out.strip()
    assert client.post("/akun/2fa/", {"token": code})["Location"] == "/admin/"
    assert client.get("/admin/regions/mppsite/").status_code == 200
