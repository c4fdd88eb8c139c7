"""Identity assurance: level 2 by an officer with the original document, level 3 by registry match."""

import datetime
import re

import pytest

from mpp.accounts import assurance, profile, registration
from mpp.accounts.models import Citizen, DataAccess, IdentityCheck, User
from mpp.core.errors import Forbidden, InvalidInput
from mpp.core.roles import Role
from mpp.integrations.contrib.demo_registry.plugin import DemoPopulationRegistry

pytestmark = pytest.mark.django_db

# The demo registry knows serial 0002 as "Ayu Lestari" (GIVEN[2], FAMILY[2]).
AYU = {
    "nik": "3510015708900002",
    "full_name": "Ayu Lestari",
    "birth_date": datetime.date(1990, 8, 17),
    "sex": "F",
}


def register_and_verify(smtp_inbox, person, email):
    result = registration.register_citizen(**person, password="kopi-tubruk-pagi-hari", email=email)
    code = re.search(r"\b(\d{6})\b", smtp_inbox.bodies_to(email)[0]).group(1)
    registration.verify_contact(user_id=result.user.pk, code=code)
    return Citizen.objects.get(user=result.user)


def test_a_registry_match_after_verification_gives_level_3(smtp_inbox):
    citizen = register_and_verify(smtp_inbox, AYU, "ayu@example.id")
    assert citizen.assurance_level == 3
    check = IdentityCheck.objects.get(citizen=citizen)
    assert (check.method, check.registry, check.result) == (
        "registry",
        "demo",
        {"match": True, "mismatches": []},
    )
    birth_place = next(e for e in profile.get_profile(citizen=citizen) if e.key == "birth_place")
    assert (birth_place.value, birth_place.source, birth_place.verified) == (
        "Banyuwangi",
        "registry",
        True,
    )


def test_a_mismatch_keeps_level_1_and_says_why(smtp_inbox):
    citizen = register_and_verify(smtp_inbox, {**AYU, "full_name": "Ayu Lestary"}, "ayu@example.id")
    assert citizen.assurance_level == 1
    assert IdentityCheck.objects.get().result == {"match": False, "mismatches": ["full_name"]}


def test_the_registry_check_runs_once(smtp_inbox):
    citizen = register_and_verify(smtp_inbox, AYU, "ayu@example.id")
    assert assurance.check_with_registry(citizen_id=citizen.pk) is None
    assert IdentityCheck.objects.count() == 1


def test_demo_registry_is_deterministic():
    record = DemoPopulationRegistry().look_up("3510015708900002")
    assert (record.full_name, record.sex, record.birth_date) == (
        "Ayu Lestari",
        "F",
        datetime.date(1990, 8, 17),
    )
    assert DemoPopulationRegistry().look_up("3510015708909999") is None


def test_an_officer_verifies_in_person(client, make_user, smtp_inbox):
    citizen = register_and_verify(smtp_inbox, {**AYU, "full_name": "Ayu L."}, "ayu@example.id")
    officer = make_user(Role.COUNTER_OFFICER, "35.10")
    client.force_login(officer)
    response = client.post(
        "/api/v1/staff/citizens/verify",
        {"nik": AYU["nik"], "document": "ktp-el"},
        content_type="application/json",
    )
    assert response.json()["assurance_level"] == 2
    check = IdentityCheck.objects.get(citizen=citizen, method="in_person")
    assert (check.officer, check.region_id, check.document) == (officer, "35.10", "ktp-el")
    assert DataAccess.objects.filter(citizen=citizen, accessor=officer).exists()


def test_in_person_never_lowers_level_3(make_user, smtp_inbox):
    register_and_verify(smtp_inbox, AYU, "ayu@example.id")
    citizen = assurance.verify_in_person(
        officer=make_user(Role.COUNTER_OFFICER), nik=AYU["nik"], document="kk"
    )
    assert citizen.assurance_level == 3


def test_bad_in_person_requests_change_nothing(make_user, smtp_inbox):
    citizen = register_and_verify(smtp_inbox, {**AYU, "full_name": "Ayu L."}, "ayu@example.id")
    with pytest.raises(InvalidInput):
        assurance.verify_in_person(
            officer=make_user(Role.COUNTER_OFFICER), nik=AYU["nik"], document="selfie"
        )
    with pytest.raises(Forbidden):
        assurance.verify_in_person(officer=make_user(), nik=AYU["nik"], document="ktp-el")
    assert Citizen.objects.get(pk=citizen.pk).assurance_level == 1
    assert not User.objects.filter(citizen__identity_checks__method="in_person").exists()
