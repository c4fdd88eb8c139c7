"""Settings come from the environment only; production settings pass Django's deploy check."""

import subprocess
import sys

from tests.support.server import REPO, manage, production_env


def test_check_deploy_is_clean_with_production_variables(tmp_path):
    env = production_env(
        MPP_HTTPS="true",
        ALLOWED_HOSTS="mpp.example.go.id",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        MPP_PUBLIC_URL="https://mpp.example.go.id",
    )
    output = manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert "System check identified no issues" in output


def test_check_deploy_warns_when_documents_would_point_to_localhost(tmp_path):
    env = production_env(
        MPP_HTTPS="true",
        ALLOWED_HOSTS="mpp.example.go.id",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode != 0 and "mpp.W001" in done.stderr


def test_secret_key_is_required_when_not_debugging():
    env = production_env()
    del env["SECRET_KEY"]
    done = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert done.returncode != 0
    assert "SECRET_KEY is required" in done.stderr


def test_database_url_chooses_postgresql():
    code = (
        "import django, os; django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['NAME'])"
    )
    env = production_env(DATABASE_URL="postgres://mpp:pw@db.internal:5432/mpp")
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert done.stdout.split() == ["django.db.backends.postgresql", "mpp"], done.stderr
