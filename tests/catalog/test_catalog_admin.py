"""Admin: national admins publish versions; regional managers change only their own offerings."""

import pytest

from mpp.catalog import services
from mpp.catalog.models import Offering, StandardVersion
from mpp.core.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_regions(akta):
    from mpp.catalog.services import ChannelSpec

    return [
        services.save_offering(
            actor=None,
            region_code=code,
            template_slug="akta-kelahiran",
            channels=[ChannelSpec("online")],
        )
        for code in ("35.10", "33.14")
    ]


def offering_form(**change):
    return {
        "is_active": "on", "tariffs_override": "null", "duration_value_override": "",
        "duration_unit_override": "", "notes": "", "channel_kinds": ["online", "counter"],
        "link_out_url": "", **change,
    }  # fmt: skip


def test_manager_sees_and_changes_only_own_offerings(client, make_user, two_regions):
    own, other = two_regions
    client.force_login(make_user(Role.REGIONAL_MANAGER, "35.10"))
    listed = client.get("/admin/catalog/offering/").context["cl"].result_list
    assert [o.region_id for o in listed] == ["35.10"]
    assert client.get(f"/admin/catalog/offering/{other.pk}/change/").status_code == 302
    saved = client.post(
        f"/admin/catalog/offering/{own.pk}/change/", offering_form(notes="Sabtu buka")
    )
    assert saved.status_code == 302
    own = Offering.objects.get(pk=own.pk)
    assert own.notes == "Sabtu buka"
    assert {c.kind for c in own.channels.all()} == {"online", "counter"}


def test_admin_refuses_a_longer_regional_sla(client, make_user, two_regions):
    own = two_regions[0]
    client.force_login(make_user(Role.REGIONAL_MANAGER, "35.10"))
    response = client.post(
        f"/admin/catalog/offering/{own.pk}/change/",
        offering_form(duration_value_override="3", duration_unit_override="working_days"),
    )
    assert response.status_code == 200
    assert "tidak boleh lebih lama dari standar nasional" in response.content.decode()
    assert Offering.objects.get(pk=own.pk).duration_value_override is None


def test_manager_cannot_reach_templates(client, make_user, akta):
    client.force_login(make_user(Role.REGIONAL_MANAGER, "35.10"))
    assert client.get("/admin/catalog/servicetemplate/").status_code == 403


def test_national_admin_drafts_and_publishes(client, make_user, akta):
    client.force_login(make_user(Role.NATIONAL_ADMIN))
    client.post(
        "/admin/catalog/servicetemplate/",
        {"action": "new_draft", "_selected_action": [akta.pk]},
    )
    draft = akta.versions.get(status=StandardVersion.Status.DRAFT)
    client.post(
        "/admin/catalog/standardversion/",
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    akta.refresh_from_db()
    assert akta.current_version == draft
    assert client.get(f"/admin/catalog/standardversion/{draft.pk}/change/").status_code == 200
    assert not client.get(f"/admin/catalog/standardversion/{draft.pk}/change/").context[
        "has_change_permission"
    ]


def test_onboarding_is_one_admin_action(client, make_user, akta):
    client.force_login(make_user(Role.REGIONAL_MANAGER, "13.75"))
    client.post("/admin/regions/region/", {"action": "onboard", "_selected_action": ["13.75"]})
    client.post("/admin/regions/region/", {"action": "onboard", "_selected_action": ["35.10"]})
    assert list(Offering.objects.values_list("region_id", flat=True)) == ["13.75"]


def test_onboarding_is_one_command(akta, capsys):
    from django.core.management import call_command

    call_command("onboard_region", "35.10", "13.75")
    call_command("onboard_region", "35.10")
    out = capsys.readouterr().out
    assert "35.10: 1 offerings added, 0 already there" in out
    assert "35.10: 0 offerings added, 1 already there" in out
    assert Offering.objects.count() == 2


def test_import_upload_in_the_admin_shows_its_report(client, make_user, akta):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from mpp.catalog.models import CatalogImport

    client.force_login(make_user(Role.REGIONAL_MANAGER, "35.10"))
    bad = SimpleUploadedFile("k.csv", b"region,service,channels\n35.10,akta-kelahiran,fax\n")
    response = client.post("/admin/catalog/catalogimport/add/", {"region": "35.10", "upload": bad})
    assert response.status_code == 302
    job = CatalogImport.objects.get()
    assert job.status == "rejected"
    page = client.get(f"/admin/catalog/catalogimport/{job.pk}/change/").content.decode()
    assert "Kanal tidak dikenal: fax." in page
    assert not Offering.objects.exists()
    other = SimpleUploadedFile("k.csv", b"region,service,channels\n")
    refused = client.post("/admin/catalog/catalogimport/add/", {"region": "33.14", "upload": other})
    assert refused.status_code == 200  # 33.14 is not a choice for this manager
    assert CatalogImport.objects.count() == 1
