"""The English catalog is complete and compiled: no string falls back to Indonesian silently."""

from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES"


def test_every_message_has_an_english_translation():
    catalog = polib.pofile(str(LOCALE / "django.po"))
    assert catalog.percent_translated() == 100, [e.msgid for e in catalog.untranslated_entries()]
    assert not catalog.fuzzy_entries()


def test_compiled_catalog_matches_the_source():
    source = {
        (e.msgctxt, e.msgid): e for e in polib.pofile(str(LOCALE / "django.po")) if not e.obsolete
    }
    compiled = {(e.msgctxt, e.msgid): e for e in polib.mofile(str(LOCALE / "django.mo"))}
    assert set(source) <= set(compiled), "run `make messages` to recompile django.mo"
    for key, entry in source.items():
        assert compiled[key].msgstr == entry.msgstr, key


@pytest.mark.django_db
def test_api_error_in_english(client):
    response = client.get("/api/v1/regions", {"level": "desa"}, headers={"Accept-Language": "en"})
    assert response.json()["errors"][0]["message"].startswith("Must be one of")
