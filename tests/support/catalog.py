"""Small catalogue fixtures built through the services (the full demo takes seconds)."""

import pytest
from django.test import override_settings

from mpp.catalog import services
from mpp.catalog.models import AgencyKind, LifeEvent, PriorityTag, ServiceTemplate
from mpp.catalog.services import ChannelSpec

AKTA = {
    "procedure": ["Isi formulir F-2.01", "Serahkan berkas", "Terima kutipan akta"],
    "duration_value": 1,
    "duration_unit": "working_days",
    "tariffs": [{"label": "", "amount_idr": 0, "legal_basis": "UU 24/2013 Pasal 79A"}],
    "output": "Kutipan Akta Kelahiran",
    "complaints": "SP4N-LAPOR!",
}


@pytest.fixture
def disdukcapil(db):
    LifeEvent.objects.create(slug="kelahiran", name="Kelahiran", name_en="Birth")
    PriorityTag.objects.create(slug="stunting", name="Percepatan penurunan stunting")
    return AgencyKind.objects.create(
        slug="disdukcapil",
        name="Dinas Kependudukan dan Pencatatan Sipil",
        short_name="Disdukcapil",
        level="regional",
    )


@pytest.fixture
def make_template(disdukcapil):
    def make(
        slug="akta-kelahiran",
        name="Penerbitan Akta Kelahiran",
        publish=True,
        common_names=None,
        **fields,
    ):
        template = services.save_template(
            actor=None,
            slug=slug,
            name=name,
            agency_kind="disdukcapil",
            life_events=["kelahiran"],
            priority_tags=["stunting"],
            common_names=common_names if common_names is not None else ["akte lahir"],
            default_channels=["online", "counter"],
        )
        draft = services.create_draft_version(actor=None, template=template)
        draft = services.update_draft_version(actor=None, version=draft, **{**AKTA, **fields})
        services.set_requirements(
            actor=None,
            version=draft,
            items=[
                ("Surat keterangan kelahiran", "Surat keterangan lahir dari bidan"),
                ("Kartu Keluarga", "Kartu Keluarga orang tua"),
            ],
        )
        if publish:
            services.publish_version(actor=None, version=draft)
        return ServiceTemplate.objects.get(pk=template.pk)

    return make


@pytest.fixture
def akta(make_template):
    return make_template()


@pytest.fixture
def akta_offering(akta):
    return services.save_offering(
        actor=None,
        region_code="35.10",
        template_slug="akta-kelahiran",
        channels=[ChannelSpec("online"), ChannelSpec("counter")],
    )


@pytest.fixture
def demo_catalog(db):
    """The whole demo (regions, catalogue, accounts): ~7 s, so only where nothing smaller will do."""
    from django.core.management import call_command

    with override_settings(MPP_DEMO=True):
        call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
