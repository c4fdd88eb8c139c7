"""Consent: recorded with fields, purpose and recipient; listed; withdrawable; with a receipt."""

import datetime

import pytest

from mpp.accounts import consent, profile, registration
from mpp.accounts.models import Consent, User
from mpp.core.errors import InvalidInput, NotFound

pytestmark = pytest.mark.django_db


@pytest.fixture
def siti():
    result = registration.register_citizen(
        nik="3510015708900001", full_name="Siti Aminah", birth_date=datetime.date(1990, 8, 17),
        sex="F", password="kopi-tubruk-pagi-hari", email="siti@example.id",
    )  # fmt: skip
    User.objects.filter(pk=result.user.pk).update(is_active=True)
    return profile.citizen_of(User.objects.get(pk=result.user.pk))


def give(citizen, **change):
    values = {"recipient": "Disdukcapil Kabupaten Banyuwangi", "fields": ["full_name", "kk_number"],
              "purpose": "Permohonan akta kelahiran"}  # fmt: skip
    return consent.give_consent(citizen=citizen, **{**values, **change})


def test_consent_is_recorded_once_and_listed(client, siti):
    first = give(siti)
    assert give(siti).pk == first.pk  # same recipient, fields and purpose: one record
    client.force_login(siti.user)
    [listed] = client.get("/api/v1/me/consents").json()
    assert (listed["recipient"], listed["fields"], listed["is_active"]) == (
        "Disdukcapil Kabupaten Banyuwangi", ["full_name", "kk_number"], True,
    )  # fmt: skip
    assert len(listed["receipt"]) == 16


def test_withdrawing_is_kept_in_the_record(client, siti):
    given = give(siti)
    client.force_login(siti.user)
    withdrawn = client.post(f"/api/v1/me/consents/{given.pk}/withdraw").json()
    assert withdrawn["is_active"] is False and withdrawn["withdrawn_at"]
    assert Consent.objects.get().withdrawn_at is not None


def test_nobody_withdraws_someone_elses_consent(client, siti, make_user):
    given = give(siti)
    with pytest.raises(NotFound):
        consent.withdraw_consent(citizen=siti, consent_id=given.pk + 1000)
    client.force_login(make_user())
    assert client.post(f"/api/v1/me/consents/{given.pk}/withdraw").status_code == 404
    assert Consent.objects.get().withdrawn_at is None


@pytest.mark.parametrize(
    ("change", "field"),
    [({"fields": ["gaji"]}, "fields"), ({"fields": []}, "fields"), ({"purpose": " "}, "purpose")],
)
def test_bad_consents_are_refused(siti, change, field):
    with pytest.raises(InvalidInput) as refused:
        give(siti, **change)
    assert refused.value.field == field
    assert not Consent.objects.exists()


def test_pages_list_withdraw_and_print_a_receipt(client, siti):
    given = give(siti)
    client.force_login(siti.user)
    page = client.get("/akun/persetujuan/").content.decode()
    assert "Disdukcapil Kabupaten Banyuwangi" in page and "Nomor KK" in page
    receipt = client.get(f"/akun/persetujuan/{given.receipt}/").content.decode()
    assert given.receipt in receipt and "UU 27/2022" in receipt
    assert client.post("/akun/persetujuan/", {"consent": given.pk}).status_code == 302
    assert Consent.objects.get().withdrawn_at is not None
    assert client.get("/akun/persetujuan/TIDAKADA/").status_code == 404


def test_export_carries_consents(client, siti):
    give(siti)
    client.force_login(siti.user)
    assert (
        client.get("/api/v1/me/export").json()["consents"][0]["purpose"]
        == "Permohonan akta kelahiran"
    )
