"""/healthz and /metrics, in-process and on the real server with production settings."""

import json

import pytest
from django.test import override_settings

from tests.support.server import get, gunicorn, manage, production_env

pytestmark = pytest.mark.django_db


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database:default"]["status"] == "ok"
    assert "no-cache" in response["Cache-Control"]


def test_metrics_are_prometheus_text(client):
    client.get("/healthz")
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "# TYPE django_http_requests_total_by_method_total counter" in text
    assert 'django_http_requests_total_by_method_total{method="GET"}' in text


@override_settings(MPP_METRICS_TOKEN="s3cret")
def test_metrics_token_when_configured(client):
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    ok = client.get("/metrics", headers={"Authorization": "Bearer s3cret"})
    assert ok.status_code == 200


def test_healthz_is_503_when_the_database_is_down(tmp_path):
    """The real server, pointed at a PostgreSQL port nobody listens on."""
    env = production_env(
        DATABASE_URL="postgres://postgres@127.0.0.1:9/nowhere", MPP_VAR_DIR=str(tmp_path)
    )
    with gunicorn(env) as server:
        status, headers, body = get(server.url + "/healthz")
    assert status == 503
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body)["checks"]["database:default"] == {"status": "down"}


def test_production_server_logs_json_and_serves_healthz(tmp_path):
    env = production_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", MPP_VAR_DIR=str(tmp_path)
    )
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    with gunicorn(env) as server:
        status, _headers, body = get(server.url + "/healthz")
        missing, _headers, _body = get(server.url + "/tidak-ada")
    assert status == 200
    assert json.loads(body)["status"] == "ok"
    assert missing == 404, server.output[-3000:]
    records = [json.loads(line) for line in server.output.splitlines() if line.startswith("{")]
    assert {"level": "WARNING", "logger": "django.request"}.items() <= records[-1].items()
    assert "/tidak-ada" in records[-1]["message"]
