"""An officer with counters in two regions: the look-up and the walk-in registration are logged
against the counter they serve at (chosen on the page), never simply their first grant."""

import pytest

from mpp.accounts import services as account_services
from mpp.accounts.models import Citizen, DataAccess, IdentityCheck
from mpp.accounts.walk_in import register_walk_in, serving_region
from mpp.cases import counter
from mpp.core.errors import Forbidden, InvalidInput
from mpp.core.roles import Role
from tests.support.cases import NIK

pytestmark = pytest.mark.django_db
HOME = "/petugas/loket/"
WALK_IN_NIK = "3510011203850002"
SERVED = "35.10"  # Banyuwangi: where the officer is today
OTHER = "33.14"  # Sragen: their other counter, and the first one in code order


@pytest.fixture
def two_counters(make_officer):
    officer = make_officer(Role.COUNTER_OFFICER, region=SERVED)
    account_services.grant_role(user=officer, role=Role.COUNTER_OFFICER, region_code=OTHER)
    return officer


@pytest.fixture
def officer_client(client, two_counters):
    client.force_login(two_counters)
    return client


def register(client, **posted):
    return client.post(HOME + "daftar/", {"nik": WALK_IN_NIK, "full_name": "Budi", **posted})


def test_the_page_offers_both_counters(officer_client):
    page = officer_client.get(HOME).content.decode()
    assert page.count('name="region"') == 1  # the look-up form; registration shows after it
    assert '<option value="35.10">Kabupaten Banyuwangi</option>' in page
    assert '<option value="33.14">Kabupaten Sragen</option>' in page


def test_registration_is_logged_at_the_counter_chosen(officer_client, two_counters):
    # When the officer registers a walk-in citizen at the Banyuwangi counter
    response = register(officer_client, region=SERVED)
    # Then the identity check and the citizen's access log name Banyuwangi
    assert response.status_code == 302
    citizen = Citizen.objects.get(full_name="Budi")
    [entry] = DataAccess.objects.filter(citizen=citizen)
    assert (entry.accessor, entry.region_id) == (two_counters, SERVED)
    assert IdentityCheck.objects.get(citizen=citizen).region_id == SERVED
    # And the officer serves the citizen there
    assert officer_client.get(f"{HOME}warga/{citizen.pk}/").status_code == 200


def test_registration_without_a_choice_is_400_and_records_nothing(officer_client):
    response = register(officer_client)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Pilih loket tempat Anda melayani." in body
    assert 'value="3510011203850002"' in body  # what was typed is kept
    assert not Citizen.objects.exists() and not DataAccess.objects.exists()


def test_registration_at_a_counter_the_officer_does_not_hold_is_403(officer_client):
    response = register(officer_client, region="32.73")
    assert response.status_code == 403
    assert "Anda tidak bertugas di loket wilayah ini." in response.content.decode()
    assert not Citizen.objects.exists() and not DataAccess.objects.exists()


def test_look_up_is_logged_at_the_counter_chosen(officer_client, two_counters, applicant):
    missing = officer_client.post(HOME + "cari/", {"nik": NIK})
    assert missing.status_code == 400
    assert "Pilih loket tempat Anda melayani." in missing.content.decode()
    assert not DataAccess.objects.exists()
    found = officer_client.post(HOME + "cari/", {"nik": NIK, "region": SERVED})
    assert found.status_code == 302
    [entry] = DataAccess.objects.all()
    assert (entry.accessor, entry.region_id) == (two_counters, SERVED)


def test_an_unknown_nik_carries_the_counter_to_the_registration_form(officer_client):
    response = officer_client.post(HOME + "cari/", {"nik": WALK_IN_NIK, "region": SERVED})
    assert response.status_code == 404
    body = response.content.decode()
    assert body.count('<option value="35.10" selected>') == 2  # look-up and registration forms


def test_service_choice_of_region(two_counters, make_officer):
    assert serving_region(two_counters, SERVED) == SERVED
    assert serving_region(make_officer(Role.COUNTER_OFFICER, region=OTHER)) == OTHER
    with pytest.raises(InvalidInput) as unchosen:
        serving_region(two_counters)
    assert unchosen.value.field == "region"
    with pytest.raises(Forbidden):
        serving_region(two_counters, "32.73")
    with pytest.raises(Forbidden):
        serving_region(make_officer(Role.AGENCY_OFFICER), SERVED)


def test_service_registration_and_look_up_log_the_region_given(two_counters, applicant):
    citizen = register_walk_in(
        officer=two_counters, nik=WALK_IN_NIK, full_name="Budi", region_code=SERVED
    )
    assert DataAccess.objects.get(citizen=citizen).region_id == SERVED
    found = counter.find_citizen(officer=two_counters, nik=NIK, region_code=OTHER)
    assert DataAccess.objects.get(citizen=found).region_id == OTHER


def test_api_takes_the_counter_and_asks_for_it(officer_client):
    posted = {"nik": WALK_IN_NIK, "full_name": "Budi Santoso"}
    unchosen = officer_client.post(
        "/api/v1/counter/citizens", posted, content_type="application/json"
    )
    assert unchosen.status_code == 400
    assert not Citizen.objects.exists()
    made = officer_client.post(
        "/api/v1/counter/citizens", {**posted, "region_code": SERVED},
        content_type="application/json",
    )  # fmt: skip
    assert made.status_code == 201
    assert DataAccess.objects.get().region_id == SERVED
    found = officer_client.post(
        "/api/v1/counter/citizens/search", {"nik": WALK_IN_NIK, "region_code": OTHER},
        content_type="application/json",
    )  # fmt: skip
    assert found.status_code == 200
    assert sorted(DataAccess.objects.values_list("region_id", flat=True)) == [OTHER, SERVED]
