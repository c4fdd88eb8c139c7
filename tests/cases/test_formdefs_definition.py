"""Form definitions: the demo forms pass; each broken rule is refused with its own message."""

import copy
import json
from pathlib import Path

import pytest
from django.utils.text import slugify

from mpp.cases.demo import FORMS_DIR, load_demo_forms
from mpp.cases.formdefs import (
    effective_fields,
    file_fields,
    iter_fields,
    validate_definition,
    validate_extension,
)
from mpp.cases.formdefs.queries import get_published_form
from mpp.cases.models import FormDefinition
from mpp.catalog.demo import SEED, document_for
from mpp.core.errors import InvalidInput

DEMO_FORMS = sorted(FORMS_DIR.glob("*.json"))
REQUIRED_TEMPLATES = {
    "akta-kelahiran", "kk-perubahan-data", "kia", "skck-baru", "kartu-ak1", "nib-oss", "pbg",
    "sip-dokter", "sip-bidan", "ktp-el-hilang-rusak",
}  # fmt: skip


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def minimal(**extra) -> dict:
    return {"fields": [{"key": "nama", "type": "text", "label": {"id": "Nama"}, **extra}]}


def refused(definition) -> str:
    with pytest.raises(InvalidInput) as error:
        validate_definition(definition)
    assert error.value.field == "definition"
    return str(error.value.message)


def test_there_is_a_demo_form_for_each_required_template():
    assert {path.stem for path in DEMO_FORMS} >= REQUIRED_TEMPLATES


@pytest.mark.parametrize("path", DEMO_FORMS, ids=lambda p: p.stem)
def test_every_demo_form_is_valid_and_cites_its_sources(path):
    definition = load(path)
    validate_definition(definition)
    assert definition["sources"].startswith("demo form, fields from the published persyaratan of")
    assert any(f["type"] == "checkbox" and f.get("required") for f in definition["fields"])


@pytest.mark.parametrize("path", DEMO_FORMS, ids=lambda p: p.stem)
def test_demo_file_fields_ask_for_the_document_types_of_the_published_requirements(path):
    """Document types are made from the seed's requirement texts (catalog.demo.document_for)."""
    seed = {s["slug"]: s for s in json.loads(SEED.read_text(encoding="utf-8"))["services"]}
    published = {
        slugify(document_for(text))[:80]
        for text in seed[path.stem]["requirements"]
        if document_for(text)
    }
    asked = {f["document_type"] for f in file_fields(load(path)["fields"])}
    assert asked <= published, asked - published
    assert len(asked) >= min(3, len(published))


@pytest.mark.parametrize(
    ("definition", "message"),
    [
        (
            {"fields": [{"key": "a", "type": "text", "label": {"id": "A"}}] * 2},
            "Kunci isian ganda: a (fields).",
        ),
        (
            minimal(visible_if={"field": "umur", "equals": 1}),
            "Syarat visible_if pada fields (nama) menyebut isian yang tidak ada: umur.",
        ),
        (
            minimal(required_if={"any": [{"field": "nama", "equals": "x"}]}),
            "Syarat required_if pada fields (nama) tidak dapat memakai isian nama.",
        ),
        (
            {"fields": [{"key": "jk", "type": "choice", "label": {"id": "JK"}}]},
            "Isian pilihan fields (jk) tidak mempunyai opsi.",
        ),
        (
            minimal(prefill="golongan_darah"),
            "Kunci prefill tidak dikenal pada fields (nama): golongan_darah.",
        ),
        (minimal(pattern="(unclosed"), "Pola pada fields (nama) tidak sah."),
        (
            {"fields": [{"key": "g", "type": "group", "label": {"id": "G"}, "fields": []}]},
            "Kelompok fields (g) tidak mempunyai isian.",
        ),
    ],
    ids=["duplicate", "unknown-target", "self-target", "no-options", "prefill", "regex", "empty"],
)
def test_each_semantic_rule_has_its_message(definition, message):
    assert refused(definition) == message


def test_duplicate_keys_inside_a_group_and_prefill_inside_a_group_are_refused():
    group = {"key": "saksi", "type": "group", "label": {"id": "Saksi"}}
    member = {"key": "nama", "type": "text", "label": {"id": "Nama"}}
    assert refused({"fields": [{**group, "fields": [member, member]}]}) == (
        "Kunci isian ganda: nama (fields (saksi))."
    )
    assert refused({"fields": [{**group, "fields": [{**member, "prefill": "full_name"}]}]}) == (
        "Isian dalam kelompok tidak dapat diisi dari profil (fields (saksi) (nama))."
    )
    scan = {"key": "ktp", "type": "file", "label": {"id": "KTP"}}
    assert refused({"fields": [{**group, "fields": [member, scan]}]}) == (
        "Isian berkas tidak dapat berada dalam kelompok (fields (saksi) (ktp)); taruh di luar."
    )


def test_a_condition_inside_a_group_may_name_an_outer_field_but_not_the_reverse():
    outer = {"key": "jenis", "type": "text", "label": {"id": "Jenis"}}
    member = {"key": "nama", "type": "text", "label": {"id": "Nama"}}
    group = {"key": "g", "type": "group", "label": {"id": "G"}}
    fine = [
        outer,
        {**group, "fields": [{**member, "visible_if": {"field": "jenis", "equals": "x"}}]},
    ]
    validate_definition({"fields": fine})
    wrong = [
        {**outer, "visible_if": {"field": "nama", "equals": "x"}},
        {**group, "fields": [member]},
    ]
    assert "menyebut isian yang tidak ada: nama" in refused({"fields": wrong})


def test_visibility_cycles_are_refused():
    a = {
        "key": "a",
        "type": "text",
        "label": {"id": "A"},
        "visible_if": {"field": "b", "equals": 1},
    }
    b = {
        "key": "b",
        "type": "text",
        "label": {"id": "B"},
        "visible_if": {"field": "a", "equals": 1},
    }
    assert refused({"fields": [a, b]}) == "Syarat tampil berputar pada isian a."


@pytest.mark.parametrize(
    ("definition", "fragment"),
    [
        ([], "Definisi formulir harus berupa objek JSON."),
        ({}, "di akar definisi: bagian wajib tidak ada"),
        (minimal(type="slider"), "di fields[0].type: nilai harus salah satu dari: text, textarea"),
        (minimal(key="Nama Lengkap"), "di fields[0].key: format tidak sesuai pola"),
        (minimal(warna="merah"), "di fields[0]: bagian tidak dikenal"),
        (minimal(required="ya"), "di fields[0].required: jenis nilai harus boolean"),
        (minimal(visible_if={"field": "x"}), "di fields[0].visible_if: syarat harus"),
    ],
)
def test_schema_errors_say_where_in_indonesian(definition, fragment):
    message = refused(definition)
    assert message.startswith("Definisi formulir ")
    assert fragment in message


def test_region_fields_come_after_the_national_ones_under_their_own_heading():
    national = load(FORMS_DIR / "kia.json")
    extra = [{"key": "nomor_posyandu", "type": "text", "label": {"id": "Posyandu"}}]
    fields = effective_fields(national, extra)
    assert [f["key"] for f in fields][-1] == "nomor_posyandu"
    assert fields[-1]["section"]["id"] == "Isian tambahan daerah"
    assert len(fields) == len(national["fields"]) + 1
    assert effective_fields(national, None) == national["fields"]
    # A key the national form gained later is the national field's; the region's is skipped.
    assert effective_fields(national, [{**extra[0], "key": "anak_nik"}]) == national["fields"]


def test_a_region_may_not_reuse_a_national_key_and_its_fields_are_checked():
    national = load(FORMS_DIR / "kia.json")
    with pytest.raises(InvalidInput) as clash:
        validate_extension(national, [{"key": "anak_nik", "type": "text", "label": {"id": "X"}}])
    assert str(clash.value.message) == (
        "Isian daerah tidak boleh memakai kunci isian nasional: anak_nik."
    )
    with pytest.raises(InvalidInput):
        validate_extension(national, [{"key": "x", "type": "choice", "label": {"id": "X"}}])
    condition = {"field": "kelompok_usia", "equals": "5_sampai_17"}
    validate_extension(
        national,
        [{"key": "sekolah", "type": "text", "label": {"id": "S"}, "visible_if": condition}],
    )


def test_file_fields_are_the_top_level_ones_and_groups_are_walked():
    """A document attaches under its field's key, so file fields live at the top level (one in a
    group is refused above); iter_fields still walks into groups."""
    definition = {
        "fields": [
            {"key": "ktp", "type": "file", "label": {"id": "KTP"}, "document_type": "ktp-el"},
            {"key": "g", "type": "group", "label": {"id": "G"}, "fields": [
                {"key": "nama", "type": "text", "label": {"id": "Nama"}, "required": True},
            ]},
            {"key": "foto", "type": "file", "label": {"id": "Foto"}, "required": True},
        ]
    }  # fmt: skip
    validate_definition(definition)
    assert [f["key"] for f in file_fields(definition["fields"])] == ["ktp", "foto"]
    assert [f["key"] for f in iter_fields(definition["fields"])] == ["ktp", "g", "nama", "foto"]


def test_demo_forms_load_once_and_a_changed_file_becomes_the_next_number(
    akta, tmp_path, monkeypatch
):
    assert load_demo_forms() == ["akta-kelahiran"]  # only templates that exist get a form
    assert load_demo_forms() == []
    first = get_published_form(template_id=akta.pk)
    assert (first.number, first.status) == (1, FormDefinition.Status.PUBLISHED)
    assert first.published_at is not None

    changed = copy.deepcopy(first.definition)
    changed["fields"][0]["label"]["id"] = "Nama anak"
    (tmp_path / "akta-kelahiran.json").write_text(json.dumps(changed))
    monkeypatch.setattr("mpp.cases.demo.FORMS_DIR", tmp_path)
    assert load_demo_forms() == ["akta-kelahiran"]
    assert get_published_form(template_id=akta.pk).number == 2
    assert FormDefinition.objects.get(number=1).definition == first.definition  # never changed
