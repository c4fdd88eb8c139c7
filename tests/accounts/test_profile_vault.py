"""The profile vault: given once, corrected by the citizen, verified values changed by request."""

import datetime

import pytest
from django.db import connection

from mpp.accounts import profile, registration
from mpp.accounts.models import ProfileChange, ProfileValue, Source, User
from mpp.core.errors import InvalidInput, NotFound

pytestmark = pytest.mark.django_db


@pytest.fixture
def siti():
    result = registration.register_citizen(
        nik="3510015708900001", full_name="Siti Aminah", birth_date=datetime.date(1990, 8, 17),
        sex="F", password="kopi-tubruk-pagi-hari", email="siti@example.id",
    )  # fmt: skip
    User.objects.filter(pk=result.user.pk).update(is_active=True)
    return profile.citizen_of(result.user)


def entry(citizen, key):
    return next(e for e in profile.get_profile(citizen=citizen) if e.key == key)


def test_registration_fills_the_name_once(siti):
    name = entry(siti, "full_name")
    assert (name.value, name.source, name.verified) == ("Siti Aminah", "self", False)


def test_the_citizen_fills_and_corrects_and_history_is_kept(siti):
    profile.update_profile(
        citizen=siti,
        changes={"occupation": "Guru", "kk_number": "3510 0112 3456 0001"},
        actor=siti.user,
    )
    profile.update_profile(citizen=siti, changes={"occupation": "Kepala sekolah"}, actor=siti.user)
    assert entry(siti, "occupation").value == "Kepala sekolah"
    assert entry(siti, "kk_number").value == "3510011234560001"
    history = ProfileChange.objects.filter(citizen=siti, key="occupation").order_by("created_at")
    assert [h.status for h in history] == ["applied", "applied"]


def test_values_are_encrypted_at_rest(siti):
    profile.update_profile(
        citizen=siti, changes={"address_street": "Jl. Melati 7"}, actor=siti.user
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT value_cipher FROM accounts_profilevalue")
        assert "Melati" not in " ".join(row[0] for row in cursor.fetchall())


def test_a_verified_value_changes_only_by_request(siti):
    profile.update_profile(
        citizen=siti, changes={"birth_place": "Banyuwangi"}, actor=None, source=Source.REGISTRY
    )
    result = profile.update_profile(
        citizen=siti, changes={"birth_place": "Jember"}, actor=siti.user
    )
    assert result.requested == ["birth_place"] and result.applied == []
    shown = entry(siti, "birth_place")
    assert (shown.value, shown.verified, shown.pending_value) == ("Banyuwangi", True, "Jember")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kk_number": "123"}, "kk_number"),
        ({"address_region": "99.99"}, "address_region"),
        ({"marital_status": "jomblo"}, "marital_status"),
        ({"nik": "x"}, "nik"),
        ({"occupation": "x" * 101}, "occupation"),
    ],
)
def test_bad_values_change_nothing(siti, changes, field):
    before = ProfileValue.objects.count()
    with pytest.raises(InvalidInput) as refused:
        profile.update_profile(
            citizen=siti, changes={"occupation": "Guru", **changes}, actor=siti.user
        )
    assert refused.value.field == field
    assert ProfileValue.objects.count() == before


def test_api_profile_round_trip(client, siti):
    client.force_login(siti.user)
    patched = client.patch(
        "/api/v1/me/profile", {"changes": {"occupation": "Petani"}}, content_type="application/json"
    )
    assert patched.json() == {"applied": ["occupation"], "requested": []}
    body = client.get("/api/v1/me/profile").json()
    assert body["nik"] == "351001******0001"
    assert {"key": "occupation", "value": "Petani"}.items() <= next(
        a for a in body["attributes"] if a["key"] == "occupation"
    ).items()
    bad = client.patch(
        "/api/v1/me/profile", {"changes": {"kk_number": "1"}}, content_type="application/json"
    )
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "kk_number"


def test_api_needs_a_citizen(client, make_user):
    assert client.get("/api/v1/me/profile").status_code == 401
    client.force_login(make_user())
    assert client.get("/api/v1/me/profile").status_code == 404


def test_profile_page(client, siti):
    client.force_login(siti.user)
    page = client.get("/akun/profil/")
    assert "Siti Aminah" in page.content.decode()
    saved = client.post("/akun/profil/", {"occupation": "Bidan"})
    assert saved.status_code == 302
    assert entry(siti, "occupation").value == "Bidan"
    refused = client.post("/akun/profil/", {"kk_number": "12"})
    assert refused.status_code == 400
    assert "Nomor KK harus 16 angka." in refused.content.decode()


def test_nobody_else_can_read_a_profile(make_user):
    with pytest.raises(NotFound):
        profile.citizen_of(make_user())
