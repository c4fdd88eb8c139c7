"""Settings come from the environment only; production settings pass Django's deploy check."""

import json
import subprocess
import sys

from tests.support.server import REPO, manage, production_env

# What a deployment sets for its adapters (docs/integrations.md, Adapters); none of their
# check_config() goes to the network, so the deploy check runs offline.
ADAPTERS_ENV = {
    "EMAIL_URL": "smtp+tls://mpp:secret@smtp.example.go.id:587",
    "MPP_SMS_GATEWAY": "http_sms",
    "MPP_SMS_HTTP_URL": "https://sms.example.go.id/send",
    "MPP_SMS_HTTP_TOKEN": "sms-token",
    "MPP_WHATSAPP_GATEWAY": "http_whatsapp",
    "MPP_WHATSAPP_HTTP_URL": "https://wa.example.go.id/send",
    "MPP_WHATSAPP_HTTP_TOKEN": "wa-token",
    "MPP_POPULATION_REGISTRY": "registry_http",
    "MPP_REGISTRY_HTTP_URL": "https://dukcapil-gateway.example.go.id",
    "MPP_REGISTRY_HTTP_TOKEN": "registry-token",
    "MPP_COMPLAINT_FORWARDER": "lapor_http",
    "MPP_LAPOR_URL": "https://api.lapor.example.go.id/v1",
    "MPP_LAPOR_TOKEN": "lapor-token",
}


def test_check_deploy_is_clean_with_production_variables(tmp_path):
    env = production_env(
        MPP_HTTPS="true",
        ALLOWED_HOSTS="mpp.example.go.id",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        MPP_PUBLIC_URL="https://mpp.example.go.id",
        **ADAPTERS_ENV,
    )
    output = manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert "System check identified no issues" in output


def test_check_deploy_warns_when_a_console_gateway_is_configured_outside_demo(tmp_path):
    env = production_env(
        MPP_HTTPS="true",
        ALLOWED_HOSTS="mpp.example.go.id",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        MPP_PUBLIC_URL="https://mpp.example.go.id",
        **(ADAPTERS_ENV | {"MPP_SMS_GATEWAY": "console_sms"}),
    )
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode != 0
    assert "mpp.W011" in done.stderr and "console gateway outside demo mode" in done.stderr
    assert "mpp.W012" not in done.stderr


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


def test_a_request_reuses_the_database_connection_of_the_one_before(tmp_path):
    # As gunicorn serves them: each response is closed, so request_finished runs in between.
    code = """
import json
import wsgiref.util
import django
django.setup()
from django.core.handlers.wsgi import WSGIHandler
from django.db.backends.signals import connection_created
app, seen = WSGIHandler(), []
connection_created.connect(lambda **kwargs: seen.append("connect"), weak=False)
for _ in range(3):
    environ = {"PATH_INFO": "/healthz", "HTTP_HOST": "127.0.0.1"}
    wsgiref.util.setup_testing_defaults(environ)
    response = app(environ, lambda status, headers, exc_info=None: seen.append(status))
    b"".join(response)
    response.close()
print(json.dumps(seen))
"""
    env = production_env(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert json.loads(done.stdout) == ["connect", "200 OK", "200 OK", "200 OK"], done.stderr
