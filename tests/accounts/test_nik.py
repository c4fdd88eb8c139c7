"""Each kind of bad NIK gets its own message."""

import datetime

import pytest

from mpp.accounts.nik import check_nik
from mpp.core.errors import InvalidInput

pytestmark = pytest.mark.django_db

MAN = "3510011708900001"  # Banyuwangi, born 17-08-1990
WOMAN = "3510015708900001"  # same day, day + 40


def test_a_good_nik_tells_region_birth_date_and_sex():
    facts = check_nik("3510 0117 0890 0001", birth_date=datetime.date(1990, 8, 17), sex="M")
    assert (facts.nik, facts.region_code, facts.sex) == (MAN, "35.10", "M")
    assert check_nik(WOMAN).sex == "F"
    assert check_nik(WOMAN).birth_date == datetime.date(1990, 8, 17)


@pytest.mark.parametrize(
    ("nik", "field", "message"),
    [
        ("35100117089000", "nik", "NIK harus 16 angka; yang diisi 14 angka."),
        ("351001170890000A", "nik", "NIK hanya berisi angka."),
        ("9910011708900001", "nik", "Kode provinsi 99 pada NIK tidak dikenal."),
        ("3599011708900001", "nik", "Kode kabupaten/kota 35.99 pada NIK tidak dikenal."),
        ("3510013213900001", "nik", "Tanggal lahir pada NIK tidak mungkin."),
    ],
)
def test_each_bad_nik_has_its_own_message(nik, field, message):
    with pytest.raises(InvalidInput) as refused:
        check_nik(nik)
    assert (refused.value.field, str(refused.value.message)) == (field, message)


def test_a_birth_date_that_does_not_match():
    with pytest.raises(InvalidInput) as refused:
        check_nik(MAN, birth_date=datetime.date(1990, 8, 18))
    assert refused.value.field == "birth_date"
    assert "17-08-90" in str(refused.value.message)


def test_a_sex_that_does_not_match():
    with pytest.raises(InvalidInput) as refused:
        check_nik(WOMAN, sex="M")
    assert refused.value.field == "sex"
