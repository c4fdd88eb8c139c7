"""Fixtures shared by the case tests: issued outputs (issuing, verifying, revoking) and the
birth bundle (bundles, their names)."""

import datetime

import pytest

from mpp.accounts.registration import attach_citizen
from mpp.catalog.models import Agency, AgencyKind
from mpp.core.roles import Role
from tests.support.bundles import make_birth_bundle
from tests.support.outputs import approve, submit


@pytest.fixture
def officer(make_officer, akta_ready):
    return make_officer(Role.AGENCY_OFFICER, agency=akta_ready.agency)


@pytest.fixture
def issued(applicant, akta_ready, officer):
    return approve(submit(applicant, akta_ready), officer).outputs.get()


@pytest.fixture
def stranger(make_user):
    user = make_user()
    attach_citizen(
        user=user, nik="3510014101850002", full_name="Ani Lestari",
        birth_date=datetime.date(1985, 1, 1), sex="F",
    )  # fmt: skip
    return user


@pytest.fixture
def other_agency(db):
    kind = AgencyKind.objects.create(slug="dinkes", name="Dinas Kesehatan", level="regional")
    return Agency.objects.create(kind=kind, region_id="35.10", name="Dinas Kesehatan Banyuwangi")


@pytest.fixture
def kelahiran(make_template, standard_process):
    """Three services in Banyuwangi, at three agencies, and the "kelahiran" bundle."""
    return make_birth_bundle(make_template)
