"""Prefill: the attributes a form asks the vault for, and the values with their sources."""

import json

from mpp.accounts.vault import ATTRIBUTES
from mpp.cases.demo import FORMS_DIR
from mpp.cases.formdefs import PROFILE_KEYS, prefill, prefill_keys

AKTA = json.loads((FORMS_DIR / "akta-kelahiran.json").read_text(encoding="utf-8"))
ADDRESS = {
    "address_street",
    "address_rt_rw",
    "address_village",
    "address_district",
    "address_region",
}


def test_profile_keys_are_the_vault_plus_the_citizen_record():
    assert (
        set(ATTRIBUTES) | {"nik", "birth_date", "sex", "email", "phone", "address"} == PROFILE_KEYS
    )


def test_a_form_lists_the_attributes_it_wants_for_the_consent_screen():
    assert prefill_keys(AKTA["fields"]) == {"nik", "full_name", "phone", "email", *ADDRESS}
    assert prefill_keys([{"key": "x", "type": "text", "label": {"id": "X"}}]) == set()


def test_prefill_gives_values_with_their_source_and_skips_what_the_profile_lacks():
    profile = {
        "nik": ("3510015708900001", "dukcapil"),
        "full_name": ("Warga Demo", "dukcapil"),
        "phone": ("+6281200000001", "self"),
        "email": ("", "self"),  # empty: nothing to offer
        "address_street": ("Jl. Ahmad Yani 12", "self"),
        "address_region": ("35.10", "dukcapil"),
        "occupation": ("Guru", "self"),  # not asked for by this form
    }
    assert prefill(AKTA["fields"], profile) == {
        "pemohon_nik": {"value": "3510015708900001", "source": "dukcapil"},
        "pemohon_nama": {"value": "Warga Demo", "source": "dukcapil"},
        "pemohon_telepon": {"value": "+6281200000001", "source": "self"},
        "pelapor_alamat": {
            "value": {"street": "Jl. Ahmad Yani 12", "region": "35.10"},
            "source": "self",
        },
    }
    assert prefill(AKTA["fields"], {}) == {}
