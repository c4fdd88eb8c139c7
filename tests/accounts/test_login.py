"""Sign in with NIK, e-mail or phone; five failures lock the identifier for a while."""

import datetime

import pytest

from mpp.accounts import registration
from mpp.accounts.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "kopi-tubruk-pagi-hari"


@pytest.fixture
def budi():
    result = registration.register_citizen(
        nik="3510011708900001", full_name="Budi Santoso", birth_date=datetime.date(1990, 8, 17),
        sex="M", password=PASSWORD, email="budi@example.id", phone="081234567890",
    )  # fmt: skip
    User.objects.filter(pk=result.user.pk).update(is_active=True)
    return result.user


@pytest.mark.parametrize(
    "identifier",
    [
        "3510011708900001",
        "3510 0117 0890 0001",
        "budi@example.id",
        "0812-3456-7890",
        "+6281234567890",
    ],
)
def test_sign_in_with_any_identifier(client, budi, identifier):
    response = client.post("/akun/masuk/", {"username": identifier, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(budi.pk)


def test_session_is_rotated_at_login(client, budi):
    client.get("/akun/masuk/")
    before = client.session.session_key
    client.post("/akun/masuk/", {"username": "budi@example.id", "password": PASSWORD})
    assert client.session.session_key != before


def test_an_unverified_account_cannot_sign_in(client, budi):
    User.objects.filter(pk=budi.pk).update(is_active=False)
    response = client.post("/akun/masuk/", {"username": "budi@example.id", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_five_failures_lock_even_the_right_password(client, budi):
    for _ in range(5):
        client.post("/akun/masuk/", {"username": "budi@example.id", "password": "salah"})
    locked = client.post("/akun/masuk/", {"username": "budi@example.id", "password": PASSWORD})
    assert locked.status_code == 429
    assert "Terlalu banyak percobaan masuk" in locked.content.decode()
    assert "_auth_user_id" not in client.session
