"""Every translatable string in the code is in the English catalogue, translated.

Runs Django's makemessages on a copy of the source, so nothing in the work tree changes.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(
    not shutil.which("xgettext"),
    reason="needs GNU gettext (apt install gettext); .ci/run installs it",
)
def test_no_string_is_missing_from_the_english_catalogue(tmp_path):
    shutil.copytree(REPO / "src", tmp_path / "src", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "locale").mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "en", "--no-obsolete",
         "--ignore=migrations", "--settings=mpp.config.settings_test"],
        cwd=tmp_path, env={"PYTHONPATH": str(tmp_path / "src"), "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    extracted = polib.pofile(str(tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    committed = {e.msgid: e for e in polib.pofile(str(REPO / "locale/en/LC_MESSAGES/django.po"))}
    missing = [
        e.msgid
        for e in extracted
        if e.msgid not in committed or not committed[e.msgid].translated()
    ]
    assert not missing, (
        f"{len(missing)} strings lack an English translation; run `make messages`: {missing[:10]}"
    )
