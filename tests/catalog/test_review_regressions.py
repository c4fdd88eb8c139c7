"""Regression tests for bugs found in review: each one was a 500, a stuck job or unsafe data."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mpp.catalog import services
from mpp.catalog.models import Agency, CatalogImport, Offering, ServiceTemplate
from mpp.catalog.services import ChannelSpec
from mpp.catalog.validation import is_not_longer
from mpp.core.errors import InvalidInput, NotFound
from mpp.core.roles import Role

pytestmark = pytest.mark.django_db


def test_a_javascript_link_is_refused(akta):
    with pytest.raises(InvalidInput) as refused:
        services.save_offering(
            actor=None, region_code="35.10", template_slug="akta-kelahiran",
            channels=[ChannelSpec("link_out", url="javascript:alert(document.cookie)")],
        )  # fmt: skip
    assert refused.value.field == "channels"
    with pytest.raises(InvalidInput):
        services.save_template(
            actor=None, slug="x", name="X", agency_kind="disdukcapil",
            default_channels=["link_out"], link_out_url="javascript:alert(1)",
        )  # fmt: skip


def test_unknown_default_channels_are_refused_before_they_break_onboarding(akta):
    with pytest.raises(InvalidInput) as refused:
        services.save_template(
            actor=None, slug="akta-kelahiran", name="Akta", agency_kind="disdukcapil",
            default_channels=["sms"],
        )  # fmt: skip
    assert refused.value.field == "channels"
    assert ServiceTemplate.objects.get(slug="akta-kelahiran").default_channels == [
        "online",
        "counter",
    ]


def test_a_draft_procedure_must_be_text(akta):
    draft = services.create_draft_version(actor=None, template=akta)
    with pytest.raises(InvalidInput) as refused:
        services.update_draft_version(actor=None, version=draft, procedure=[{"langkah": "Datang"}])
    assert refused.value.field == "procedure"


@pytest.mark.parametrize(
    ("override", "national", "allowed"),
    [
        ((6, "working_days"), (3, "days"), False),
        ((3, "days"), (5, "working_days"), True),
        ((1, "working_days"), (1, "working_days"), True),
        ((2, "working_days"), (1, "working_days"), False),
        ((4, "hours"), (1, "working_days"), True),
        ((2, "days"), (1, "working_days"), False),
    ],
)
def test_a_regional_sla_is_never_longer(override, national, allowed):
    assert is_not_longer(*override, *national) is allowed


def test_page_numbers_are_bounded(client):
    assert client.get("/api/v1/services", {"page": 10**30}).status_code == 422
    assert client.get("/api/v1/regions", {"page": 10**30}).status_code == 422


def csv_upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("k.csv", text.encode())


@pytest.mark.parametrize(
    "content",
    [
        "region,service,channels,fee_idr,fee_legal_basis\n35.10,akta-kelahiran,online,"
        + "9" * 400
        + ".0,Perda\n",
        'region,service,channels,notes\n35.10,akta-kelahiran,online,"' + "x" * 140_000 + '"\n',
        "region,service,channels,fee_idr,fee_legal_basis\n35.10,akta-kelahiran,online,1.9,Perda\n",
    ],
)
def test_odd_import_files_end_rejected_never_stuck(make_user, akta, content):
    manager = make_user(Role.REGIONAL_MANAGER, "35.10")
    job = services.start_import(actor=manager, upload=csv_upload(content), region_code="35.10")
    job.refresh_from_db()
    assert job.status == CatalogImport.Status.REJECTED
    assert job.report
    assert not Offering.objects.exists()


def test_an_unknown_import_region_is_404_not_500(make_user, akta):
    admin = make_user(Role.NATIONAL_ADMIN)
    with pytest.raises(NotFound):
        services.start_import(
            actor=admin, upload=csv_upload("region,service,channels\n"), region_code="99.99"
        )
    with pytest.raises(NotFound):
        services.start_import(
            actor=admin, upload=csv_upload("region,service,channels\n"), region_code="35"
        )
    assert not CatalogImport.objects.exists()


def test_deactivating_an_agency_in_the_admin_takes_effect(client, make_user, akta_offering):
    client.force_login(make_user(Role.REGIONAL_MANAGER, "35.10"))
    agency = akta_offering.agency
    response = client.post(
        f"/admin/catalog/agency/{agency.pk}/change/", {"name": "Disdukcapil Banyuwangi"}
    )
    assert response.status_code == 302
    agency = Agency.objects.get(pk=agency.pk)
    assert (agency.name, agency.is_active) == ("Disdukcapil Banyuwangi", False)


def test_renaming_a_slug_in_the_admin_is_not_possible(client, make_user, akta):
    client.force_login(make_user(Role.NATIONAL_ADMIN))
    page = client.get(f"/admin/catalog/servicetemplate/{akta.pk}/change/")
    assert 'name="slug"' not in page.content.decode()
