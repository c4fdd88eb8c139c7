"""POST /api/v1/auth/register and /api/v1/auth/verify."""

import re

import pytest

from mpp.accounts.models import User

pytestmark = pytest.mark.django_db

BODY = {
    "nik": "3510015708900001", "full_name": "Siti Aminah", "birth_date": "1990-08-17", "sex": "F",
    "password": "kopi-tubruk-pagi-hari", "email": "siti@example.id",
}  # fmt: skip


def test_register_then_verify(client, smtp_inbox):
    response = client.post("/api/v1/auth/register", BODY, content_type="application/json")
    assert response.status_code == 201, response.json()
    token = response.json()["registration"]
    code = re.search(r"\b(\d{6})\b", smtp_inbox.bodies_to("siti@example.id")[0]).group(1)
    verified = client.post(
        "/api/v1/auth/verify",
        {"registration": token, "code": code},
        content_type="application/json",
    )
    assert verified.json() == {"status": "active"}
    assert User.objects.get().is_active


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"nik": "3510015708900"}, 400, "nik"),
        ({"sex": "X"}, 422, "sex"),
        ({"birth_date": "17-08-1990"}, 422, "birth_date"),
        ({"birth_date": "1990-08-18"}, 400, "birth_date"),
    ],
)
def test_bad_registration_is_a_4xx_naming_the_field(client, change, status, field):
    response = client.post(
        "/api/v1/auth/register", {**BODY, **change}, content_type="application/json"
    )
    assert response.status_code == status
    assert response.json()["errors"][0]["field"] == field
    assert not User.objects.exists()


def test_duplicate_is_409(client, smtp_inbox):
    client.post("/api/v1/auth/register", BODY, content_type="application/json")
    User.objects.update(is_active=True)
    response = client.post("/api/v1/auth/register", BODY, content_type="application/json")
    assert response.status_code == 409
    assert "sudah terdaftar" in response.json()["detail"]


def test_tampered_token_and_bad_code_format(client, smtp_inbox):
    token = client.post("/api/v1/auth/register", BODY, content_type="application/json").json()[
        "registration"
    ]
    tampered = client.post(
        "/api/v1/auth/verify",
        {"registration": token + "x", "code": "123456"},
        content_type="application/json",
    )
    assert tampered.status_code == 400
    assert tampered.json()["errors"][0]["field"] == "registration"
    malformed = client.post(
        "/api/v1/auth/verify",
        {"registration": token, "code": "12ab"},
        content_type="application/json",
    )
    assert malformed.status_code == 422
    assert not User.objects.get().is_active


def test_the_english_message_in_english(client):
    response = client.post(
        "/api/v1/auth/register", {**BODY, "nik": "12"}, content_type="application/json",
        headers={"Accept-Language": "en"},
    )  # fmt: skip
    assert response.status_code == 400
