"""Regional offerings: inheritance from the national standard, overrides, onboarding."""

import pytest

from mpp.catalog import queries, services
from mpp.catalog.models import Offering
from mpp.catalog.services import ChannelSpec
from mpp.core.errors import InvalidInput, NotFound
from mpp.regions import services as region_services

pytestmark = pytest.mark.django_db

PERDA = [{"label": "Retribusi", "amount_idr": 25000, "legal_basis": "Perda Kab. Banyuwangi 1/2024"}]


def test_offering_inherits_the_national_standard(akta_offering):
    assert akta_offering.duration_value == 1
    assert akta_offering.tariffs[0]["amount_idr"] == 0
    assert akta_offering.agency.name == "Disdukcapil Kabupaten Banyuwangi"
    assert akta_offering.is_digital


def test_a_new_national_version_reaches_regions_that_did_not_override(akta, akta_offering):
    overridden = services.save_offering(
        actor=None,
        region_code="33.14",
        template_slug="akta-kelahiran",
        channels=[ChannelSpec("counter")],
        tariffs_override=PERDA,
    )
    draft = services.create_draft_version(actor=None, template=akta)
    services.update_draft_version(
        actor=None,
        version=draft,
        tariffs=[{"amount_idr": 0, "legal_basis": "UU 24/2013 jo. Perpres 96/2018"}],
        duration_value=2,
    )
    services.publish_version(actor=None, version=draft)
    inherited = Offering.objects.get(pk=akta_offering.pk)
    assert inherited.tariffs[0]["legal_basis"] == "UU 24/2013 jo. Perpres 96/2018"
    assert inherited.duration_value == 2
    overridden = Offering.objects.get(pk=overridden.pk)
    assert overridden.tariffs[0]["amount_idr"] == 25000
    assert overridden.duration_value == 2


def test_a_shorter_regional_sla_is_kept(akta):
    offering = services.save_offering(
        actor=None,
        region_code="35.10",
        template_slug="akta-kelahiran",
        channels=[ChannelSpec("online")],
        duration_value_override=4,
        duration_unit_override="hours",
    )
    assert (offering.duration_value, offering.duration_unit) == (4, "hours")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (
            {"duration_value_override": 2, "duration_unit_override": "working_days"},
            "duration_override",
        ),
        ({"duration_value_override": 0, "duration_unit_override": "hours"}, "duration_override"),
        ({"tariffs_override": [{"amount_idr": -5, "legal_basis": "Perda"}]}, "tariffs_override"),
        ({"channels": []}, "channels"),
        ({"channels": [ChannelSpec("fax")]}, "channels"),
        ({"channels": [ChannelSpec("link_out")]}, "channels"),
    ],
)
def test_bad_offerings_are_refused_and_change_nothing(akta, change, field):
    values = {"channels": [ChannelSpec("online")], **change}
    with pytest.raises(InvalidInput) as refused:
        services.save_offering(
            actor=None, region_code="35.10", template_slug="akta-kelahiran", **values
        )
    assert refused.value.field == field
    assert not Offering.objects.exists()


def test_an_unpublished_template_cannot_be_offered(make_template):
    make_template(slug="kia", name="Kartu Identitas Anak", publish=False)
    with pytest.raises(InvalidInput) as refused:
        services.save_offering(
            actor=None, region_code="35.10", template_slug="kia", channels=[ChannelSpec("online")]
        )
    assert refused.value.field == "template"


def test_a_counter_must_be_at_a_site_of_the_same_region(akta):
    other_site = region_services.save_mpp_site(
        actor=None, region_code="33.14", kind="physical", name="MPP Sragen", address="Jl. 1"
    )
    with pytest.raises(InvalidInput):
        services.save_offering(
            actor=None,
            region_code="35.10",
            template_slug="akta-kelahiran",
            channels=[ChannelSpec("counter", site_id=other_site.pk)],
        )


def test_unknown_region_or_template_is_not_found(akta):
    with pytest.raises(NotFound):
        services.save_offering(
            actor=None, region_code="99.99", template_slug="akta-kelahiran", channels=[]
        )
    with pytest.raises(NotFound):
        services.save_offering(actor=None, region_code="35.10", template_slug="x", channels=[])


def test_onboarding_offers_every_published_template_once(make_template):
    make_template()
    make_template(slug="kia", name="Kartu Identitas Anak")
    make_template(slug="draf", name="Masih draf", publish=False)
    site = region_services.save_mpp_site(
        actor=None, region_code="13.75", kind="physical", name="MPP Bukittinggi", address="Jl. 1"
    )
    first = services.onboard_region(actor=None, region_code="13.75")
    again = services.onboard_region(actor=None, region_code="13.75")
    assert (first.created, again.created, again.existing) == (2, 0, 2)
    offerings = Offering.objects.filter(region="13.75")
    assert offerings.count() == 2
    counter = offerings.first().channels.get(kind="counter")
    assert counter.site == site


def test_onboarding_keeps_what_the_region_changed(akta):
    services.save_offering(
        actor=None,
        region_code="35.10",
        template_slug="akta-kelahiran",
        channels=[ChannelSpec("counter")],
        notes="Hanya Senin-Kamis",
    )
    services.onboard_region(actor=None, region_code="35.10")
    assert Offering.objects.get(region="35.10").notes == "Hanya Senin-Kamis"


def test_digitalisation_rate(make_template):
    make_template()
    make_template(slug="kia", name="Kartu Identitas Anak")
    services.save_offering(
        actor=None,
        region_code="35.10",
        template_slug="akta-kelahiran",
        channels=[ChannelSpec("online"), ChannelSpec("counter")],
    )
    services.save_offering(
        actor=None, region_code="35.10", template_slug="kia", channels=[ChannelSpec("counter")]
    )
    rate = queries.get_digitalisation(region_code="35.10")
    assert (rate.digital, rate.total, rate.rate, rate.percent) == (1, 2, 0.5, 50)
    assert queries.get_digitalisation(region_code="33.14").rate == 0.0
