"""PDP rights: who used my data, download it all, delete my account."""

import datetime

import pytest

from mpp.accounts import privacy, profile, registration
from mpp.accounts.models import Citizen, DataAccess, ProfileValue, User
from mpp.core.errors import Forbidden, InvalidInput, NotFound
from mpp.core.roles import Role

pytestmark = pytest.mark.django_db

PASSWORD = "kopi-tubruk-pagi-hari"
NIK = "3510015708900001"


@pytest.fixture
def siti():
    result = registration.register_citizen(
        nik=NIK, full_name="Siti Aminah", birth_date=datetime.date(1990, 8, 17), sex="F",
        password=PASSWORD, email="siti@example.id", phone="081234567890",
    )  # fmt: skip
    User.objects.filter(pk=result.user.pk).update(is_active=True)
    return profile.citizen_of(User.objects.get(pk=result.user.pk))


def test_an_officer_look_up_is_logged_for_the_citizen(client, make_user, siti):
    officer = make_user(Role.COUNTER_OFFICER, "35.10")
    client.force_login(officer)
    card = client.get(
        "/api/v1/staff/citizens", {"nik": NIK, "purpose": "Akta kelahiran, loket 3"}
    ).json()
    assert card == {"nik": "351001******0001", "full_name": "Siti Aminah", "birth_date": "1990-08-17",
                    "sex": "F", "assurance_level": 1}  # fmt: skip
    client.force_login(siti.user)
    [entry] = client.get("/api/v1/me/data-access-log").json()
    assert entry["purpose"] == "Akta kelahiran, loket 3"
    assert entry["region"] == "35.10"
    assert "Petugas loket" in entry["by"]


def test_citizens_cannot_look_up_others(client, make_user, siti):
    client.force_login(make_user())
    response = client.get("/api/v1/staff/citizens", {"nik": NIK, "purpose": "penasaran"})
    assert response.status_code == 403
    assert not DataAccess.objects.exists()


def test_look_up_of_an_unknown_nik_is_404_and_logs_nothing(make_user, siti):
    with pytest.raises(NotFound):
        privacy.look_up_citizen_for_service(
            officer=make_user(Role.COUNTER_OFFICER), nik="3510011708900001", purpose="x" * 5
        )
    with pytest.raises(Forbidden):
        privacy.look_up_citizen_for_service(officer=make_user(), nik=NIK, purpose="x" * 5)
    assert not DataAccess.objects.exists()


def test_export_holds_everything_decrypted(client, siti):
    profile.update_profile(citizen=siti, changes={"occupation": "Bidan"}, actor=siti.user)
    client.force_login(siti.user)
    data = client.get("/api/v1/me/export").json()
    assert data["identity"]["nik"] == NIK
    assert data["identity"]["phone"] == "+6281234567890"
    assert {"key": "occupation", "value": "Bidan", "source": "self", "verified": False} in data[
        "profile"
    ]
    assert [h["new"] for h in data["profile_history"]] == ["Bidan", "Siti Aminah"]
    page = client.get("/akun/data-saya/", {"unduh": "1"})
    assert page["Content-Disposition"].startswith("attachment")


def test_delete_needs_the_password_and_then_erases(client, siti):
    client.force_login(siti.user)
    wrong = client.post("/api/v1/me/delete", {"password": "salah"}, content_type="application/json")
    assert wrong.status_code == 400
    assert Citizen.objects.exists()
    done = client.post("/api/v1/me/delete", {"password": PASSWORD}, content_type="application/json")
    assert done.status_code == 204
    assert not Citizen.objects.exists() and not ProfileValue.objects.exists()
    user = User.objects.get()
    assert (user.is_active, user.email, user.has_usable_password()) == (False, "", False)
    # the NIK is free again: the person may register anew
    again = registration.register_citizen(
        nik=NIK, full_name="Siti Aminah", birth_date=datetime.date(1990, 8, 17), sex="F",
        password=PASSWORD, email="siti@example.id",
    )  # fmt: skip
    assert again.user.pk != user.pk


def test_delete_page(client, siti):
    client.force_login(siti.user)
    assert client.post("/akun/data-saya/", {"password": "salah"}).status_code == 400
    response = client.post("/akun/data-saya/", {"password": PASSWORD})
    assert response.status_code == 302
    assert not Citizen.objects.exists()


def test_wrong_password_on_delete_changes_nothing(siti):
    with pytest.raises(InvalidInput):
        privacy.delete_my_account(user=siti.user, password="salah")
    assert Citizen.objects.count() == 1
