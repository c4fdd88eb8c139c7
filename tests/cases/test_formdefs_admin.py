"""Form admin: national admins write and publish form drafts (checked on save); a published form
is read-only; regional managers add fields to their own region's offerings only."""

import json

import pytest

from mpp.cases.formdefs import services
from mpp.cases.models import FormDefinition, OfferingFormExtension
from mpp.catalog import services as catalog_services
from mpp.catalog.services import ChannelSpec
from mpp.core.errors import Forbidden, InvalidInput
from mpp.core.roles import Role

pytestmark = pytest.mark.django_db

GOOD = {"fields": [{"key": "anak_nama", "type": "text", "label": {"id": "Nama anak"}}]}


def test_an_invalid_definition_is_refused_with_its_message_and_nothing_saved(
    client, make_user, akta
):
    client.force_login(make_user(Role.NATIONAL_ADMIN))
    bad = {"fields": [{"key": "jk", "type": "choice", "label": {"id": "JK"}}]}
    response = client.post(
        "/admin/cases/formdefinition/add/", {"template": akta.pk, "definition": json.dumps(bad)}
    )
    assert response.status_code == 200
    assert "Isian pilihan fields (jk) tidak mempunyai opsi." in response.content.decode()
    assert not FormDefinition.objects.exists()


def test_a_draft_is_saved_published_and_then_read_only(client, make_user, akta):
    client.force_login(make_user(Role.NATIONAL_ADMIN))
    response = client.post(
        "/admin/cases/formdefinition/add/", {"template": akta.pk, "definition": json.dumps(GOOD)}
    )
    assert response.status_code == 302
    draft = FormDefinition.objects.get()
    assert (draft.number, draft.status, draft.definition) == (1, "draft", GOOD)
    client.post(
        "/admin/cases/formdefinition/",
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.status == "published" and draft.published_at is not None
    changed = {"fields": [{**GOOD["fields"][0], "key": "nama"}]}
    client.post(
        f"/admin/cases/formdefinition/{draft.pk}/change/",
        {"template": akta.pk, "definition": json.dumps(changed)},
    )
    draft.refresh_from_db()
    assert draft.definition == GOOD  # published forms never change


def test_only_national_admins_change_forms(make_user, akta):
    with pytest.raises(Forbidden):
        services.save_draft_form_definition(
            actor=make_user(Role.REGIONAL_MANAGER), template=akta, definition=GOOD
        )
    assert not FormDefinition.objects.exists()


@pytest.fixture
def published_akta(akta):
    draft = services.save_draft_form_definition(actor=None, template=akta, definition=GOOD)
    return services.publish_form_definition(actor=None, form_definition=draft)


@pytest.fixture
def offerings(akta):
    return [
        catalog_services.save_offering(
            actor=None,
            region_code=code,
            template_slug="akta-kelahiran",
            channels=[ChannelSpec("online")],
        )
        for code in ("35.10", "33.14")
    ]


def test_a_regional_manager_extends_own_offerings_only(
    client, make_user, published_akta, offerings
):
    own, other = offerings
    client.force_login(make_user(Role.REGIONAL_MANAGER, "35.10"))
    extra = [{"key": "nomor_posyandu", "type": "text", "label": {"id": "Posyandu"}}]
    clash = [{"key": "anak_nama", "type": "text", "label": {"id": "Nama"}}]

    refused = client.post(
        "/admin/cases/offeringformextension/add/",
        {"offering": own.pk, "fields": json.dumps(clash)},
    )
    assert "tidak boleh memakai kunci isian nasional: anak_nama" in refused.content.decode()
    not_mine = client.post(
        "/admin/cases/offeringformextension/add/",
        {"offering": other.pk, "fields": json.dumps(extra)},
    )
    assert not_mine.status_code == 200  # not a choice for this manager
    assert not OfferingFormExtension.objects.exists()

    saved = client.post(
        "/admin/cases/offeringformextension/add/",
        {"offering": own.pk, "fields": json.dumps(extra)},
    )
    assert saved.status_code == 302
    extension = OfferingFormExtension.objects.get()
    assert (extension.region_id, extension.fields) == ("35.10", extra)


def test_the_extension_service_checks_region_and_fields(make_user, published_akta, offerings):
    own, other = offerings
    manager = make_user(Role.REGIONAL_MANAGER, "35.10")
    with pytest.raises(Forbidden):
        services.save_form_extension(actor=manager, offering=other, fields=[])
    with pytest.raises(InvalidInput):
        services.save_form_extension(
            actor=manager, offering=own, fields=[{"key": "X", "type": "text", "label": {"id": "X"}}]
        )
    assert not OfferingFormExtension.objects.exists()
