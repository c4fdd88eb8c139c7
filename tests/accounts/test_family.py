"""Family members from the KK: copied from the registry after a match, declared by the citizen,
and whom the citizen may act for (a parent for a minor child)."""

import datetime

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from mpp.accounts import family, privacy, registration
from mpp.accounts.models import Citizen, DataAccess, FamilyMember
from mpp.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from mpp.core.roles import Role
from mpp.integrations.contrib.demo_registry.plugin import DemoPopulationRegistry
from tests.accounts.test_assurance import register_and_verify

pytestmark = pytest.mark.django_db

# The demo registry's card for this NIK: she ("istri"), her husband (head), a son born in 2016
# (a minor) and a daughter born in 2004 (an adult).
BUDI = {"nik": "3510015708900001", "full_name": "Budi Santoso",
        "birth_date": datetime.date(1990, 8, 17), "sex": "F"}  # fmt: skip
CHILD = {"nik": "3510010710990004", "full_name": "Anak Tetangga",
         "birth_date": datetime.date(1999, 10, 7), "sex": "M", "relationship": "anak"}  # fmt: skip


@pytest.fixture
def budi(smtp_inbox) -> Citizen:
    return register_and_verify(smtp_inbox, BUDI, "budi@example.id")


def by_relationship(citizen):
    return {(m.relationship, m.birth_date.year): m for m in citizen.family_members.all()}


def test_a_registry_match_brings_the_family_card(budi):
    members = by_relationship(budi)
    assert set(members) == {("kepala_keluarga", 1988), ("anak", 2016), ("anak", 2004)}
    assert {m.source for m in members.values()} == {"registry"}
    assert members[("anak", 2016)].may_act_for is True  # her minor son
    assert members[("anak", 2004)].may_act_for is False  # an adult
    assert members[("kepala_keluarga", 1988)].may_act_for is False
    assert members[("anak", 2016)].full_name.endswith("Santoso")
    assert not budi.family_members.filter(full_name=BUDI["full_name"]).exists()  # not herself


def test_refreshing_twice_changes_nothing_and_follows_the_card(budi, monkeypatch):
    before = sorted(budi.family_members.values_list("pk", "nik_hash"))
    assert family.refresh_family(citizen_id=budi.pk) == 3
    assert sorted(budi.family_members.values_list("pk", "nik_hash")) == before
    card = DemoPopulationRegistry.family
    monkeypatch.setattr(
        DemoPopulationRegistry,
        "family",
        lambda self, kk: [r for r in card(self, kk) if r.birth_date.year != 2004],
    )
    assert family.refresh_family(citizen_id=budi.pk) == 2
    assert set(by_relationship(budi)) == {("kepala_keluarga", 1988), ("anak", 2016)}


def test_a_card_that_does_not_list_the_citizen_is_ignored(budi, monkeypatch):
    monkeypatch.setattr(DemoPopulationRegistry, "family", lambda self, kk: [])
    assert family.refresh_family(citizen_id=budi.pk) == 0
    assert budi.family_members.count() == 3  # nothing removed on an empty answer


def test_acting_for_needs_a_minor_child(budi, make_user):
    son, daughter = by_relationship(budi)[("anak", 2016)], by_relationship(budi)[("anak", 2004)]
    assert family.acting_for(budi, son.pk) == son
    with pytest.raises(Forbidden):
        family.acting_for(budi, daughter.pk)
    stranger = registration.attach_citizen(
        user=make_user(), nik="3510011203750007", full_name="Joko Hidayat",
        birth_date=datetime.date(1975, 3, 12), sex="M",
    )  # fmt: skip
    with pytest.raises(NotFound):
        family.acting_for(stranger, son.pk)


def test_a_citizen_declares_a_member_who_cannot_be_acted_for_yet(budi):
    member = family.add_family_member(citizen=budi, **CHILD)
    assert (member.source, member.may_act_for) == ("self", False)
    assert member.masked_nik == "351001******0004"
    with pytest.raises(Forbidden):
        family.acting_for(budi, member.pk)
    with pytest.raises(Conflict):
        family.add_family_member(citizen=budi, **CHILD)
    family.remove_family_member(citizen=budi, member_id=member.pk)
    assert not FamilyMember.objects.filter(pk=member.pk).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"nik": "35100107109900"}, "nik"),
        ({"nik": "3599010710990004"}, "nik"),
        ({"birth_date": datetime.date(1999, 10, 8)}, "birth_date"),
        ({"sex": "F"}, "sex"),
        ({"relationship": "tetangga"}, "relationship"),
        ({"full_name": " "}, "full_name"),
        ({**BUDI, "relationship": "anak"}, "nik"),  # herself
    ],
)
def test_bad_members_are_refused(budi, changes, field):
    with pytest.raises(InvalidInput) as refused:
        family.add_family_member(citizen=budi, **{**CHILD, **changes})
    assert refused.value.field == field
    assert budi.family_members.count() == 3


def test_registry_members_are_not_removed_by_hand(budi):
    son = by_relationship(budi)[("anak", 2016)]
    with pytest.raises(InvalidInput):
        family.remove_family_member(citizen=budi, member_id=son.pk)
    assert FamilyMember.objects.filter(pk=son.pk).exists()


def test_a_declared_member_the_card_lists_becomes_a_registry_member(budi):
    son = by_relationship(budi)[("anak", 2016)]
    FamilyMember.objects.filter(pk=son.pk).update(source="self", may_act_for=False)
    family.refresh_family(citizen_id=budi.pk)
    son.refresh_from_db()
    assert (son.source, son.may_act_for) == ("registry", True)
    assert budi.family_members.count() == 3


def test_an_officer_decides_and_the_citizen_sees_it_in_the_log(budi, make_user):
    daughter = by_relationship(budi)[("anak", 2004)]
    officer = make_user(Role.COUNTER_OFFICER)
    assert family.set_may_act_for(officer=officer, member_id=daughter.pk, may_act_for=True)
    assert family.acting_for(budi, daughter.pk) == daughter
    assert DataAccess.objects.filter(citizen=budi, fields=["family"]).count() == 1
    with pytest.raises(Forbidden):
        family.set_may_act_for(officer=budi.user, member_id=daughter.pk, may_act_for=False)


def test_export_has_the_family_and_deletion_erases_it(budi):
    budi.user.set_password("kopi-tubruk-pagi-hari")
    budi.user.save()
    exported = privacy.export_my_data(citizen=budi)["family"]
    assert {(m["relationship"], m["source"]) for m in exported} == {
        ("kepala_keluarga", "registry"), ("anak", "registry"),
    }  # fmt: skip
    assert all(len(m["nik"]) == 16 for m in exported)
    privacy.delete_my_account(user=budi.user, password="kopi-tubruk-pagi-hari")
    assert not FamilyMember.objects.exists()


# --- entry points -------------------------------------------------------------------------------


def test_api_lists_and_adds(client, budi):
    client.force_login(budi.user)
    listed = client.get("/api/v1/me/family").json()
    assert len(listed) == 3
    assert all("******" in m["nik"] for m in listed)
    assert sum(m["may_act_for"] for m in listed) == 1
    added = client.post(
        "/api/v1/me/family", {**CHILD, "birth_date": "1999-10-07"}, content_type="application/json"
    )
    assert added.status_code == 201
    assert (added.json()["source"], added.json()["may_act_for"]) == ("self", False)
    bad = client.post(
        "/api/v1/me/family",
        {**CHILD, "nik": "1234", "birth_date": "1999-10-07"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "nik"
    assert budi.family_members.count() == 4


def test_people_without_a_nik_have_no_family(client, make_user):
    client.force_login(make_user())
    assert client.get("/api/v1/me/family").status_code == 404


def test_the_profile_page_lists_the_family_and_the_family_page_adds(client, budi):
    client.force_login(budi.user)
    son = by_relationship(budi)[("anak", 2016)]
    page = client.get("/akun/profil/").content.decode()
    assert son.full_name in page and "Anda dapat mengajukan layanan atas namanya" in page
    refused = client.post("/akun/keluarga/", {**CHILD, "birth_date": "1999-10-08"})
    assert refused.status_code == 400
    assert "Tanggal lahir tidak sesuai dengan NIK" in refused.content.decode()
    added = client.post("/akun/keluarga/", {**CHILD, "birth_date": "1999-10-07"})
    assert added.status_code == 302
    assert "Anak Tetangga" in client.get("/akun/keluarga/").content.decode()


def test_staff_are_not_asked_about_family(client, make_user):
    officer = make_user(Role.COUNTER_OFFICER)
    assert TOTPDevice.objects.filter(user=officer).exists()
    client.force_login(officer)
    assert client.get("/akun/keluarga/").status_code == 404
