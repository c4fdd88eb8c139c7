"""clean_submission: every error at once, at its path; values normalised; hidden fields dropped."""

import datetime
import json

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mpp.cases.demo import FORMS_DIR
from mpp.cases.formdefs import (
    FieldError,
    FormInvalid,
    clean_submission,
    iter_fields,
    raise_for_errors,
    validate_definition,
)
from mpp.core.errors import InvalidInput

pytestmark = pytest.mark.django_db

MAN = "3510011708900001"  # Banyuwangi, 17-08-1990
WOMAN = "3510015708900001"  # same day, day + 40
AKTA = json.loads((FORMS_DIR / "akta-kelahiran.json").read_text(encoding="utf-8"))


def field(key: str, type_: str, **extra) -> dict:
    return {"key": key, "type": type_, "label": {"id": key.title()}, **extra}


def clean(fields, data, **kwargs):
    validate_definition({"fields": fields})  # every form under test is a valid one
    return clean_submission(fields, data, **kwargs)


def codes(errors: list[FieldError]) -> dict[str, str]:
    return {e.field: e.code for e in errors}


@pytest.mark.parametrize(
    ("spec", "raw", "expected"),
    [
        (field("nama", "text"), "  Siti   Aminah ", "Siti Aminah"),
        (field("catatan", "textarea"), "baris 1\r\nbaris 2 ", "baris 1\nbaris 2"),
        (field("anak_ke", "number", integer=True), "3", 3),
        (field("berat", "number"), "3,25", 3.25),
        (field("berat", "number"), 3.0, 3),
        (field("lahir", "date"), "17-08-1990", "1990-08-17"),
        (field("lahir", "date", not_future=True), "1990-08-17", "1990-08-17"),
        (field("jam", "time"), "7.45", "07:45"),
        (field("nik", "nik"), "3510 0117 0890 0001", MAN),
        (field("ibu_nik", "nik", sex="F"), WOMAN, WOMAN),
        (field("hp", "phone"), "0812-3456-7890", "+6281234567890"),
        (field("hp", "phone"), "+62 21 3456789", "+62213456789"),
        (field("email", "email"), " Siti@Contoh.CO.ID ", "Siti@contoh.co.id"),
        (field("ktp", "file"), 42, 42),
        (field("foto", "file", multiple=True), [3, "4", 3], [3, 4]),
        (field("setuju", "checkbox"), "on", True),
        (
            field("jk", "choice", options=[{"value": "M", "label": {"id": "L"}}]),
            "M",
            "M",
        ),
        (
            field("hari", "choice", multiple=True, options=[
                {"value": "senin", "label": {"id": "Senin"}},
                {"value": "selasa", "label": {"id": "Selasa"}},
            ]),
            ["selasa", "senin"],
            ["senin", "selasa"],
        ),
        (
            field("alamat", "address"),
            {"street": "Jl. Ahmad Yani 12", "rt_rw": "3/5", "village": "Penganjuran",
             "district": "Banyuwangi", "region": "35.10", "extra": "dropped"},
            {"street": "Jl. Ahmad Yani 12", "rt_rw": "003/005", "village": "Penganjuran",
             "district": "Banyuwangi", "region": "35.10"},
        ),
    ],
)  # fmt: skip
def test_each_type_cleans_and_normalises(spec, raw, expected):
    cleaned, errors = clean([spec], {spec["key"]: raw})
    assert errors == []
    assert cleaned == {spec["key"]: expected}
    assert type(cleaned[spec["key"]]) is type(expected)


@pytest.mark.parametrize(
    ("spec", "raw", "code", "message"),
    [
        (field("nama", "text", max_length=5), "Panjang sekali", "too_long",
         "Maksimal 5 karakter; yang diisi 14."),
        (field("kbli", "text", pattern=r"\d{5}"), "5610", "pattern", "Format isian tidak sesuai."),
        (field("nama", "text"), {"a": 1}, "invalid", "Isian harus berupa teks."),
        (field("n", "number"), "tiga", "number", "Isian harus berupa angka."),
        (field("n", "number"), True, "number", "Isian harus berupa angka."),
        (field("n", "number", integer=True), "2.5", "integer", "Isian harus bilangan bulat."),
        (field("n", "number", min=1), 0, "min", "Paling kecil 1."),
        (field("n", "number", max=10), "11", "max", "Paling besar 10."),
        (field("d", "date"), "2023-02-30", "date", "Tanggal tidak ada di kalender."),
        (field("d", "date"), "kemarin", "date",
         "Tulis tanggal sebagai TTTT-BB-HH, misalnya 2024-08-17."),
        (field("j", "time"), "25:00", "time", "Tulis jam sebagai JJ:MM, misalnya 07:45."),
        (field("hp", "phone"), "halo", "phone", "Nomor telepon tidak dapat dibaca."),
        (field("hp", "phone"), "0812", "phone", "Nomor telepon tidak sah."),
        (field("hp", "phone"), "+44 20 7946 0958", "phone", "Gunakan nomor telepon Indonesia (+62)."),
        (field("e", "email"), "siti@", "email", "Alamat email tidak sah."),
        (field("f", "file"), "abc", "invalid", "Lampiran tidak dikenali."),
        (field("f", "file"), [1, 2], "invalid", "Lampiran tidak dikenali."),
        (field("c", "checkbox"), "mungkin", "invalid", "Centang atau kosongkan kotak ini."),
        (field("jk", "choice", options=[{"value": "M", "label": {"id": "L"}}]), "X", "choice",
         "Pilih salah satu opsi yang tersedia."),
        (field("jk", "choice", options=[{"value": "M", "label": {"id": "L"}}]), ["M", "M2"],
         "choice", "Pilih satu opsi saja."),
    ],
)  # fmt: skip
def test_each_type_refuses_bad_input_with_its_message(spec, raw, code, message):
    cleaned, errors = clean([spec], {spec["key"]: raw})
    assert cleaned == {}
    assert errors == [FieldError(spec["key"], message, code)]


def test_a_future_date_is_refused_when_not_future():
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    _cleaned, errors = clean([field("d", "date", not_future=True)], {"d": tomorrow})
    assert errors == [FieldError("d", "Tanggal tidak boleh di masa depan.", "not_future")]


@pytest.mark.parametrize(
    ("nik", "message"),
    [
        ("35100117089000", "NIK harus 16 angka; yang diisi 14 angka."),
        ("351001170890000A", "NIK hanya berisi angka."),
        ("9910011708900001", "Kode provinsi 99 pada NIK tidak dikenal."),
        ("3599011708900001", "Kode kabupaten/kota 35.99 pada NIK tidak dikenal."),
        ("3510013213900001", "Tanggal lahir pada NIK tidak mungkin."),
        (MAN, "Jenis kelamin tidak sesuai dengan NIK (tanggal lahir perempuan ditambah 40)."),
    ],
)
def test_each_kind_of_bad_nik_surfaces_its_own_message(nik, message):
    _cleaned, errors = clean([field("ibu_nik", "nik", sex="F")], {"ibu_nik": nik})
    assert errors == [FieldError("ibu_nik", message, "nik")]


def test_every_error_comes_at_once():
    fields = [
        field("nama", "text", required=True),
        field("hp", "phone"),
        field("lahir", "date"),
        field("kota", "text"),
    ]
    cleaned, errors = clean(fields, {"hp": "12", "lahir": "31-31-2020", "kota": "Banyuwangi"})
    assert codes(errors) == {"nama": "required", "hp": "phone", "lahir": "date"}
    assert cleaned == {"kota": "Banyuwangi"}


def test_raise_for_errors_carries_every_error_as_problem_details():
    errors = [FieldError("nama", "Wajib diisi.", "required"), FieldError("hp", "x", "phone")]
    with pytest.raises(FormInvalid) as refused:
        raise_for_errors(errors)
    assert isinstance(refused.value, InvalidInput)
    assert (refused.value.status, refused.value.code) == (400, "form_invalid")
    assert refused.value.errors == [
        {"field": "nama", "message": "Wajib diisi.", "code": "required"},
        {"field": "hp", "message": "x", "code": "phone"},
    ]
    assert str(refused.value.message) == "Periksa kembali formulir: 2 isian belum benar."
    raise_for_errors([])  # nothing to say, nothing raised


CONDITIONAL = [
    field("status", "choice", required=True, options=[
        {"value": "kawin", "label": {"id": "Kawin"}},
        {"value": "belum", "label": {"id": "Belum kawin"}},
    ]),
    field("pasangan", "text", required=True, visible_if={"field": "status", "equals": "kawin"}),
    field("buku_nikah", "file", required_if={"field": "status", "in": ["kawin"]}),
    field("catatan", "text", visible_if={"all": [
        {"field": "status", "equals": "kawin"}, {"field": "pasangan", "equals": "Budi"},
    ]}),
]  # fmt: skip


def test_a_field_shown_by_a_condition_is_required_only_when_shown():
    _cleaned, errors = clean(CONDITIONAL, {"status": "kawin"})
    assert codes(errors) == {"pasangan": "required", "buku_nikah": "required"}
    cleaned, errors = clean(CONDITIONAL, {"status": "belum"})
    assert (cleaned, errors) == ({"status": "belum"}, [])


def test_hidden_fields_are_dropped_even_when_filled_or_wrong():
    data = {"status": "belum", "pasangan": "x" * 500, "catatan": "x"}
    assert clean(CONDITIONAL, data) == ({"status": "belum"}, [])
    # Only visibility hides: a field that is merely not required is still checked.
    _cleaned, errors = clean(CONDITIONAL, {**data, "buku_nikah": "bukan angka"})
    assert codes(errors) == {"buku_nikah": "invalid"}


def test_conditions_chain_through_fields_that_are_themselves_shown():
    data = {"status": "kawin", "pasangan": "Budi", "buku_nikah": 7, "catatan": "ok"}
    cleaned, errors = clean(CONDITIONAL, data)
    assert errors == []
    assert cleaned["catatan"] == "ok"
    cleaned, _errors = clean(CONDITIONAL, {**data, "pasangan": "Andi"})
    assert "catatan" not in cleaned


def test_a_required_checkbox_must_be_ticked_and_an_optional_one_is_false():
    fields = [field("setuju", "checkbox", required=True), field("kabar", "checkbox")]
    cleaned, errors = clean(fields, {"setuju": "false"})
    assert errors == [FieldError("setuju", "Centang kotak ini untuk melanjutkan.", "required")]
    assert cleaned == {"kabar": False}


def test_a_required_address_points_at_each_missing_part():
    fields = [field("alamat", "address", required=True)]
    _cleaned, errors = clean(fields, {})
    assert codes(errors) == {
        "alamat.street": "required", "alamat.village": "required",
        "alamat.district": "required", "alamat.region": "required",
    }  # fmt: skip


def test_an_address_region_must_be_a_kabupaten_kota_and_may_have_to_be_the_serving_one():
    address = {"street": "Jl. A", "village": "V", "district": "Giri", "rt_rw": "RT satu"}
    fields = [field("alamat", "address", same_region=True)]
    _cleaned, errors = clean(fields, {"alamat": {**address, "region": "35"}}, region_code="35.10")
    assert codes(errors) == {"alamat.region": "unknown_region", "alamat.rt_rw": "pattern"}
    _cleaned, errors = clean(fields, {"alamat": {**address, "rt_rw": "", "region": "33.14"}},
                             region_code="35.10")  # fmt: skip
    assert errors == [
        FieldError(
            "alamat.region", "Alamat harus di wilayah layanan ini (35.10).", "region_mismatch"
        )
    ]
    cleaned, errors = clean(fields, {"alamat": {**address, "rt_rw": "", "region": "35.10"}},
                            region_code="35.10")  # fmt: skip
    assert errors == [] and cleaned["alamat"]["region"] == "35.10"


def test_an_address_kecamatan_must_lie_in_its_kabupaten_kota_and_is_spelt_officially():
    address = {"street": "Jl. A", "village": "Penganjuran", "region": "35.10"}
    fields = [field("alamat", "address")]
    cleaned, errors = clean(fields, {"alamat": {**address, "district": "  kalibaru "}})
    assert errors == [] and cleaned["alamat"]["district"] == "Kalibaru"
    _cleaned, errors = clean(fields, {"alamat": {**address, "district": "Coblong"}})  # Bandung's
    assert errors == [
        FieldError(
            "alamat.district",
            "Kecamatan ini tidak ada di kabupaten/kota yang dipilih.",
            "unknown_district",
        )
    ]


GROUP = [
    field("anak_ke", "number"),
    field("saksi", "group", required=True, repeat={"min": 2, "max": 3}, fields=[
        field("nama", "text", required=True),
        field("nik", "nik", required=True),
        field("alasan", "text", required=True, visible_if={"field": "anak_ke", "equals": 1}),
    ]),
]  # fmt: skip


def test_group_rows_are_counted_and_blank_rows_skipped():
    _cleaned, errors = clean(GROUP, {"saksi": [{"nama": "A", "nik": MAN}, {}, {"nama": ""}]})
    assert errors == [FieldError("saksi", "Isi paling sedikit 2 baris.", "min_rows")]
    rows = [{"nama": f"S{i}", "nik": MAN} for i in range(4)]
    cleaned, errors = clean(GROUP, {"saksi": rows})
    assert errors == [FieldError("saksi", "Paling banyak 3 baris.", "max_rows")]
    assert len(cleaned["saksi"]) == 3


def test_errors_inside_rows_carry_their_path_and_rows_see_outer_fields():
    data = {
        "anak_ke": "1",
        "saksi": [{"nama": "Ani", "nik": MAN, "alasan": "tetangga"}, {"nik": "123"}],
    }
    cleaned, errors = clean(GROUP, data)
    assert codes(errors) == {
        "saksi.1.nama": "required",
        "saksi.1.nik": "nik",
        "saksi.1.alasan": "required",
    }
    data["saksi"][1] = {"nama": "Budi", "nik": MAN, "alasan": "bidan"}
    cleaned, errors = clean(GROUP, {**data, "anak_ke": 2})
    assert errors == []
    assert cleaned["saksi"] == [{"nama": "Ani", "nik": MAN}, {"nama": "Budi", "nik": MAN}]


def test_a_group_that_is_not_a_list_or_a_row_that_is_not_an_object_is_an_error():
    _cleaned, errors = clean(GROUP, {"saksi": "Ani dan Budi"})
    assert codes(errors) == {"saksi": "invalid"}
    _cleaned, errors = clean(GROUP, {"saksi": [{"nama": "A", "nik": MAN}, "Budi"]})
    assert codes(errors) == {"saksi.1": "invalid"}


def test_data_that_is_not_an_object_is_one_error_plus_the_required_fields():
    _cleaned, errors = clean([field("nama", "text", required=True)], ["x"])
    assert codes(errors) == {"": "invalid", "nama": "required"}


def akta_data() -> dict:
    return {
        "anak_nama": "Bayu Pratama", "anak_jenis_kelamin": "M", "anak_tempat_dilahirkan": "rs",
        "anak_tempat_lahir": "Banyuwangi", "anak_tanggal_lahir": "2025-01-05",
        "anak_jam_lahir": "07:45", "jenis_kelahiran": "tunggal", "kelahiran_ke": "1",
        "penolong_kelahiran": "bidan", "ibu_nik": WOMAN, "ibu_nama": "Warga Demo",
        "ibu_tanggal_lahir": "1990-08-17", "perkawinan_orang_tua": "tercatat", "ayah_nik": MAN,
        "ayah_nama": "Budi", "pemohon_nik": WOMAN, "pemohon_nama": "Warga Demo",
        "pelapor_hubungan": "ibu", "pemohon_telepon": "081200000001",
        "pelapor_alamat": {"street": "Jl. Ahmad Yani 12", "village": "Penganjuran",
                           "district": "Banyuwangi", "region": "35.10"},
        "saksi": [{"nik": MAN, "nama": "Saksi Satu"}, {"nik": MAN, "nama": "Saksi Dua"}],
        "ada_surat_keterangan_lahir": "ya", "dok_surat_keterangan_lahir": 1,
        "dok_ktp_orang_tua": [2, 3], "dok_kk": 4, "dok_buku_nikah": 5, "pernyataan": "on",
    }  # fmt: skip


def test_the_akta_kelahiran_form_accepts_a_complete_application():
    cleaned, errors = clean_submission(AKTA["fields"], akta_data(), region_code="35.10")
    assert errors == []
    assert cleaned["kelahiran_ke"] == 1
    assert cleaned["pemohon_telepon"] == "+6281200000001"
    assert "dok_sptjm_kelahiran" not in cleaned  # hidden: a birth notice exists
    json.dumps(cleaned)  # storable as it is


def test_the_akta_kelahiran_form_asks_for_the_sptjm_without_a_birth_notice():
    data = {
        **akta_data(),
        "ada_surat_keterangan_lahir": "tidak",
        "perkawinan_orang_tua": "tidak_kawin",
    }
    cleaned, errors = clean_submission(AKTA["fields"], data)
    assert codes(errors) == {"dok_sptjm_kelahiran": "required"}
    assert not {"ayah_nik", "ayah_nama", "dok_buku_nikah", "dok_surat_keterangan_lahir"} & set(
        cleaned
    )


AKTA_KEYS = [f["key"] for f in iter_fields(AKTA["fields"])]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(AKTA_KEYS) | st.text(max_size=10), children, max_size=5)
    ),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.dictionaries(st.sampled_from(AKTA_KEYS) | st.text(max_size=10), json_values))
def test_any_json_gives_errors_never_an_exception(data):
    cleaned, errors = clean_submission(AKTA["fields"], data, region_code="35.10")
    assert all(isinstance(e, FieldError) and e.message and e.code for e in errors)
    assert set(cleaned) <= set(AKTA_KEYS)
    json.dumps(cleaned, allow_nan=False)
    assert "\x00" not in json.dumps(cleaned)
