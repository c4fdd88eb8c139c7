"""The include-able form templates: labels, required markers, hints, errors tied to their fields
by aria-describedby, conditional rules for form.js, and rows that work without JavaScript."""

import json
import re

import pytest
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils import translation

from mpp.cases.demo import FORMS_DIR
from mpp.cases.formdefs import clean_submission, data_from_post, form_view, prefill, row_action

pytestmark = pytest.mark.django_db

AKTA = json.loads((FORMS_DIR / "akta-kelahiran.json").read_text(encoding="utf-8"))
FIELDS = AKTA["fields"]


def render(data=None, errors=None, prefilled=None) -> str:
    form = form_view(FIELDS, data=data, errors=errors, prefilled=prefilled)
    return render_to_string("cases/form/fields.html", {"form": form})


def tag(html: str, element_id: str) -> str:
    match = re.search(rf'<(input|select|textarea|fieldset)[^>]*\bid="{element_id}"[^>]*>', html)
    assert match, element_id
    return match.group(0)


def test_labels_hints_and_required_markers():
    html = render()
    assert (
        '<label for="f-anak_nama">Nama lengkap anak <span class="req" aria-hidden="true">*</span></label>'
        in html
    )
    assert (
        '<label for="f-anak_jam_lahir">Pukul lahir <span class="muted">(tidak wajib)</span></label>'
        in html
    )
    assert 'id="f-anak_nama-hint">Tulis sesuai nama yang akan tercantum di akta.</p>' in html
    name = tag(html, "f-anak_nama")
    assert 'required aria-required="true"' in name and 'aria-describedby="f-anak_nama-hint"' in name
    assert "aria-invalid" not in name
    assert '<h2 id="s-1">Data anak</h2>' in html
    assert html.count('src="/static/cases/form.js"') == 1


def test_errors_appear_at_their_field_and_in_a_summary_that_links_to_it():
    data = {"anak_nama": "", "kelahiran_ke": "nol", "saksi": [{"nik": MAN}, {"nik": "123"}]}
    _cleaned, errors = clean_submission(FIELDS, data)
    html = render(data=data, errors=errors)
    assert '<div id="f-anak_nama-error"><p class="error">Wajib diisi.</p></div>' in html
    name = tag(html, "f-anak_nama")
    assert 'aria-describedby="f-anak_nama-hint f-anak_nama-error"' in name
    assert 'aria-invalid="true"' in name
    assert '<a href="#f-kelahiran_ke">Kelahiran ke-: Isian harus berupa angka.</a>' in html
    assert (
        '<a href="#f-saksi-1-nik">Saksi 2 · NIK saksi: NIK harus 16 angka; yang diisi 3 angka.</a>'
        in html
    )
    assert 'aria-describedby="f-saksi-1-nik-error" aria-invalid="true"' in tag(
        html, "f-saksi-1-nik"
    )
    assert (
        '<a href="#f-pelapor_alamat-region">Alamat pelapor · Kabupaten/kota: Wajib diisi.</a>'
        in html
    )
    assert 'role="alert"' in html


def test_ids_are_unique_so_labels_and_descriptions_point_at_one_element():
    _cleaned, errors = clean_submission(FIELDS, {})
    html = render(errors=errors)
    outside_templates = re.sub(r"<template.*?</template>", "", html, flags=re.S)
    ids = re.findall(r'\sid="([^"]+)"', outside_templates)
    assert len(ids) == len(set(ids))
    for described in re.findall(r'aria-describedby="([^"]+)"', outside_templates):
        assert set(described.split()) <= set(ids)
    for target in re.findall(r'<label[^>]* for="([^"]+)"', outside_templates):
        assert target in ids


def test_conditional_fields_carry_their_rule_and_a_note_for_pages_without_javascript():
    html = render()
    rule = "{&quot;field&quot;: &quot;perkawinan_orang_tua&quot;, &quot;in&quot;: [&quot;tercatat&quot;, &quot;belum_tercatat&quot;]}"
    assert (
        f'data-field="ayah_nik" data-key="ayah_nik" data-prefix="" data-required data-visible-if="{rule}"'
        in html
    )
    assert (
        "Diisi bila Status perkawinan orang tua: «Kawin tercatat (ada buku nikah/akta perkawinan)» atau «Kawin belum tercatat (SPTJM pasangan suami istri)»."
        in html
    )
    assert "required" not in tag(
        html, "f-ayah_nik"
    )  # the browser must not insist on a hidden field


def test_repeating_group_rows_and_a_row_template_for_form_js():
    html = render()
    assert (
        html.count("<legend>Saksi 1</legend>") == 1 and html.count("<legend>Saksi 2</legend>") == 1
    )
    assert 'name="saksi.1.nik"' in html
    assert 'name="saksi.__i__.nik"' in html  # inside <template>
    assert 'name="_row" value="remove:saksi.0" formnovalidate' in html
    assert 'value="add:saksi"' not in html  # two rows of at most two


def test_prefilled_values_say_where_they_came_from():
    prefilled = prefill(FIELDS, {"full_name": ("Warga Demo", "Dukcapil"),
                                 "address_region": ("35.10", "Dukcapil")})  # fmt: skip
    html = render(prefilled=prefilled)
    assert 'value="Warga Demo"' in tag(html, "f-pemohon_nama")
    assert "Diisi dari profil Anda (sumber: Dukcapil)." in html
    assert re.search(r'<option value="35.10" selected>[^<]*Banyuwangi', html)
    assert 'aria-describedby="f-pemohon_nama-src"' in tag(html, "f-pemohon_nama")


def test_labels_follow_the_active_language_falling_back_to_indonesian():
    with translation.override("en"):
        html = render()
    assert '<label for="f-anak_nama">Child&#x27;s full name' in html
    no_english = [{"key": "x", "type": "text", "label": {"id": "Hanya Indonesia"}}]
    with translation.override("en"):
        form = form_view(no_english)
    assert form.sections[0].fields[0].label == "Hanya Indonesia"


def test_a_post_becomes_nested_data_and_row_buttons_work_without_javascript():
    post = QueryDict(
        "anak_nama=Budi&saksi.0.nama=Ani&saksi.3.nama=Budi&saksi.3.nik=1&saksi.x.nama=no"
        "&pelapor_alamat.street=Jl.+A&pelapor_alamat.region=35.10"
        "&dok_ktp_orang_tua=2&dok_ktp_orang_tua=3&pernyataan=on"
    )
    data = data_from_post(FIELDS, post)
    assert data["anak_nama"] == "Budi"
    assert data["saksi"] == [{"nama": "Ani"}, {"nama": "Budi", "nik": "1"}]
    assert data["pelapor_alamat"] == {
        "street": "Jl. A", "rt_rw": "", "village": "", "district": "", "region": "35.10",
    }  # fmt: skip
    assert data["dok_ktp_orang_tua"] == ["2", "3"]
    assert data["pernyataan"] == "on"
    assert "ayah_nama" not in data

    assert row_action(FIELDS, data, "remove:saksi.0")["saksi"] == [{"nama": "Budi", "nik": "1"}]
    assert row_action(FIELDS, {"saksi": [{}]}, "add:saksi")["saksi"] == [{}, {}]
    assert row_action(FIELDS, {"saksi": [{}, {}]}, "add:saksi")["saksi"] == [{}, {}]  # max 2
    assert row_action(FIELDS, data, "add:anak_nama") == data


MAN = "3510011708900001"


def test_an_address_suggests_the_kecamatan_of_its_kabupaten_kota():
    fields = [{"key": "alamat", "type": "address", "label": {"id": "Alamat"}}]

    def draw(data):
        form = form_view(fields, data=data, errors=None, prefilled=None)
        return render_to_string("cases/form/fields.html", {"form": form})

    chosen = draw({"alamat": {"region": "35.10"}})
    assert 'list="f-alamat-district-list"' in chosen
    assert '<option value="Kalibaru">' in chosen and '<option value="Coblong">' not in chosen
    assert 'data-districts="/api/v1/regions/{code}/districts"' in chosen
    empty = draw({})
    assert '<datalist id="f-alamat-district-list"></datalist>' in empty
