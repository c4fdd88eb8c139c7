"""Versioned Standar Pelayanan: publishing checks, immutability, effective dates."""

import datetime

import pytest

from mpp.catalog import services
from mpp.catalog.models import StandardVersion
from mpp.core.errors import Conflict, Forbidden, InvalidInput
from mpp.core.roles import Role

pytestmark = pytest.mark.django_db


def test_publishing_makes_the_version_current(akta):
    version = akta.current_version
    assert (version.number, version.status) == (1, StandardVersion.Status.PUBLISHED)
    assert version.effective_from is not None
    assert [r.document_type.name for r in version.requirements.all()] == [
        "Surat keterangan kelahiran",
        "Kartu Keluarga",
    ]


@pytest.mark.parametrize(
    ("blank", "field"),
    [
        ({"procedure": []}, "procedure"),
        ({"duration_value": None}, "duration"),
        ({"tariffs": []}, "tariffs"),
        ({"output": ""}, "output"),
        ({"complaints": " "}, "complaints"),
    ],
)
def test_publishing_refuses_a_missing_public_component(make_template, blank, field):
    template = make_template(publish=False, **blank)
    draft = template.versions.get()
    with pytest.raises(InvalidInput) as refused:
        services.publish_version(actor=None, version=draft)
    assert refused.value.field == field
    assert field in str(refused.value.message)
    draft.refresh_from_db()
    assert draft.status == StandardVersion.Status.DRAFT
    assert template.current_version_id is None


def test_publishing_refuses_a_standard_without_requirements(make_template):
    template = make_template(publish=False)
    draft = template.versions.get()
    services.set_requirements(actor=None, version=draft, items=[])
    with pytest.raises(InvalidInput) as refused:
        services.publish_version(actor=None, version=draft)
    assert refused.value.field == "requirements"


def test_a_published_version_never_changes(akta):
    with pytest.raises(Conflict):
        services.update_draft_version(actor=None, version=akta.current_version, output="Lain")
    with pytest.raises(Conflict):
        services.set_requirements(actor=None, version=akta.current_version, items=[])
    akta.current_version.refresh_from_db()
    assert akta.current_version.output == "Kutipan Akta Kelahiran"


def test_new_version_starts_from_the_current_one_and_takes_over_when_effective(akta):
    first = akta.current_version
    draft = services.create_draft_version(actor=None, template=akta)
    assert draft.number == 2
    assert draft.procedure == first.procedure
    assert draft.requirements.count() == 2
    services.update_draft_version(actor=None, version=draft, duration_value=2)
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    services.publish_version(actor=None, version=draft, effective_from=tomorrow)
    akta.refresh_from_db()
    assert akta.current_version == first  # not yet in force
    services.refresh_current_version(template=akta, today=tomorrow)
    akta.refresh_from_db()
    assert akta.current_version.number == 2
    first.refresh_from_db()
    assert first.duration_value == 1  # what earlier applications were filed under stays


def test_only_one_draft_at_a_time(akta):
    services.create_draft_version(actor=None, template=akta)
    with pytest.raises(Conflict):
        services.create_draft_version(actor=None, template=akta)


@pytest.mark.parametrize(
    ("tariffs", "message"),
    [
        ([{"amount_idr": -1, "legal_basis": "x"}], "negatif"),
        ([{"amount_idr": "gratis", "legal_basis": "x"}], "bilangan bulat"),
        ([{"amount_idr": 1000, "legal_basis": ""}], "dasar hukum"),
    ],
)
def test_bad_tariffs_are_refused(akta, tariffs, message):
    draft = services.create_draft_version(actor=None, template=akta)
    with pytest.raises(InvalidInput) as refused:
        services.update_draft_version(actor=None, version=draft, tariffs=tariffs)
    assert refused.value.field == "tariffs"
    assert message in str(refused.value.message)


def test_zero_duration_cannot_be_published(make_template):
    template = make_template(publish=False, duration_value=0)
    with pytest.raises(InvalidInput) as refused:
        services.publish_version(actor=None, version=template.versions.get())
    assert refused.value.field == "duration"


def test_only_national_admins_edit_templates(akta, make_user):
    manager = make_user(Role.REGIONAL_MANAGER, "35.10")
    with pytest.raises(Forbidden):
        services.create_draft_version(actor=manager, template=akta)
    admin = make_user(Role.NATIONAL_ADMIN)
    assert services.create_draft_version(actor=admin, template=akta).number == 2


def test_refresh_catalog_command_moves_to_a_version_that_became_effective(akta, capsys):
    from django.core.management import call_command

    draft = services.create_draft_version(actor=None, template=akta)
    services.publish_version(actor=None, version=draft)  # effective today
    akta.refresh_from_db()
    assert akta.current_version == draft
    call_command("refresh_catalog")
    assert "0 templates moved" in capsys.readouterr().out
