"""Registration by NIK with a one-time code: SMTP for e-mail, console gateways for SMS."""

import datetime
import re

import pytest
from django.db import connection
from freezegun import freeze_time

from mpp.accounts import registration
from mpp.accounts.models import Citizen, ContactCode, User
from mpp.core.errors import Conflict, InvalidInput

pytestmark = pytest.mark.django_db

MAN = "3510011708900001"
PERSON = {
    "nik": MAN, "full_name": "Budi Santoso", "birth_date": datetime.date(1990, 8, 17), "sex": "M",
    "password": "kopi-tubruk-pagi-hari",
}  # fmt: skip


def code_in(body: str) -> str:
    return re.search(r"\b(\d{6})\b", body).group(1)


def test_register_sends_a_code_over_smtp_and_verifying_activates(smtp_inbox):
    result = registration.register_citizen(**PERSON, email="budi@example.id")
    assert not User.objects.get(pk=result.user.pk).is_active
    assert result.destination_hint == "bu***@example.id"
    [body] = smtp_inbox.bodies_to("budi@example.id")
    user = registration.verify_contact(user_id=result.user.pk, code=code_in(body))
    assert user.is_active
    assert Citizen.objects.get(user=user).contact_verified_at is not None


def test_nik_and_phone_are_not_stored_in_clear(settings):
    registration.register_citizen(**PERSON, phone="0812-3456-7890")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nik_cipher, nik_hash, phone_cipher, phone_hash FROM accounts_citizen"
        )
        row = " ".join(cursor.fetchone())
    assert MAN not in row and "81234567890" not in row
    citizen = Citizen.objects.get()
    assert (citizen.nik, citizen.phone, citizen.masked_nik) == (
        MAN,
        "+6281234567890",
        "351001******0001",
    )


def test_phone_numbers_are_normalised_to_plus_62():
    for raw in ("081234567890", "+62 812-3456-7890", "62812 3456 7890"):
        assert registration.normalise_phone(raw) == "+6281234567890"
    with pytest.raises(InvalidInput):
        registration.normalise_phone("12345")


def test_a_second_registration_with_the_same_nik_is_sent_to_recovery(smtp_inbox):
    first = registration.register_citizen(**PERSON, email="budi@example.id")
    registration.verify_contact(
        user_id=first.user.pk, code=code_in(smtp_inbox.bodies_to("budi@example.id")[0])
    )
    with pytest.raises(Conflict) as refused:
        registration.register_citizen(**PERSON, email="lain@example.id")
    assert "sudah terdaftar" in str(refused.value.message)
    assert User.objects.count() == 1


def test_an_unfinished_registration_can_be_started_again(smtp_inbox):
    registration.register_citizen(**PERSON, email="salah@example.id")
    again = registration.register_citizen(**PERSON, email="budi@example.id")
    assert User.objects.count() == 1
    assert Citizen.objects.count() == 1
    code = code_in(smtp_inbox.bodies_to("budi@example.id")[0])
    assert registration.verify_contact(user_id=again.user.pk, code=code).email == "budi@example.id"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"nik": "123"}, "nik"),
        ({"birth_date": datetime.date(1991, 8, 17)}, "birth_date"),
        ({"sex": "F"}, "sex"),
        ({"full_name": " "}, "full_name"),
        ({"password": "123"}, "password"),
        ({"email": "bukan-email"}, "email"),
        ({"email": "", "phone": ""}, "email"),
        ({"email": "", "phone": "0812"}, "phone"),
    ],
)
def test_bad_input_creates_nothing(change, field):
    with pytest.raises(InvalidInput) as refused:
        registration.register_citizen(**{**PERSON, "email": "budi@example.id", **change})
    assert refused.value.field == field
    assert not User.objects.exists() and not ContactCode.objects.exists()


def test_wrong_expired_and_reused_codes_are_refused(smtp_inbox):
    result = registration.register_citizen(**PERSON, email="budi@example.id")
    code = code_in(smtp_inbox.bodies_to("budi@example.id")[0])
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(InvalidInput, match="Kode salah"):
        registration.verify_contact(user_id=result.user.pk, code=wrong)
    assert ContactCode.objects.get().attempts == 1  # counted although the call failed
    later = datetime.datetime.now() + datetime.timedelta(minutes=11)
    with freeze_time(later), pytest.raises(InvalidInput, match="kedaluwarsa"):
        registration.verify_contact(user_id=result.user.pk, code=code)
    registration.verify_contact(user_id=result.user.pk, code=code)
    with pytest.raises(InvalidInput, match="sudah dipakai"):
        registration.verify_contact(user_id=result.user.pk, code=code)


def test_five_wrong_tries_lock_the_code(smtp_inbox):
    result = registration.register_citizen(**PERSON, email="budi@example.id")
    code = code_in(smtp_inbox.bodies_to("budi@example.id")[0])
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(InvalidInput):
            registration.verify_contact(user_id=result.user.pk, code=wrong)
    with pytest.raises(registration.TooManyRequests):
        registration.verify_contact(user_id=result.user.pk, code=code)
    assert not User.objects.get(pk=result.user.pk).is_active


def test_codes_to_one_contact_are_rate_limited(smtp_inbox):
    for _ in range(5):
        registration.register_citizen(**PERSON, email="budi@example.id")
    with pytest.raises(registration.TooManyRequests):
        registration.register_citizen(**PERSON, email="budi@example.id")
    assert len(smtp_inbox.bodies_to("budi@example.id")) == 5


def test_sms_code_goes_through_the_gateway_adapter(caplog):
    registration.register_citizen(**PERSON, phone="081234567890")
    assert any("sms to +6281" in record.getMessage() for record in caplog.records)
