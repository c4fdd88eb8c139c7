"""Adapters to outside systems, each against a real HTTP server on loopback; and the deploy check
that asks every configured adapter whether it can work."""

import datetime

import pytest

from mpp.core.registry import PluginConfigError
from mpp.integrations.checks import adapters_are_configured
from mpp.integrations.complaints import ForwardedComplaint, complaint_forwarder
from mpp.integrations.contrib.http import AdapterError
from mpp.integrations.registry import population_registry
from mpp.notifications.channels import channel_for
from mpp.notifications.services import queue_message

PHONE = "+6281234567890"


@pytest.fixture
def http_gateways(settings, remote):
    settings.MPP_SMS_GATEWAY, settings.MPP_WHATSAPP_GATEWAY = "http_sms", "http_whatsapp"
    settings.MPP_SMS_HTTP_URL, settings.MPP_SMS_HTTP_TOKEN = f"{remote.url}/sms", "sms-token"
    settings.MPP_WHATSAPP_HTTP_URL = f"{remote.url}/wa"
    settings.MPP_WHATSAPP_HTTP_TOKEN = "wa-token"
    return remote


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "path", "token"), [("sms", "/sms", "sms-token"), ("whatsapp", "/wa", "wa-token")])  # fmt: skip
def test_http_gateway_posts_the_message_with_its_token(http_gateways, kind, path, token):
    queue_message(channel=kind, destination=PHONE, subject="", body="Permohonan Anda diterima.")
    [request] = http_gateways.requests
    assert (request.method, request.path) == ("POST", path)
    assert request.headers["authorization"] == f"Bearer {token}"
    assert request.json == {"to": PHONE, "text": "Permohonan Anda diterima."}


@pytest.mark.parametrize("status", [400, 500, 503])
def test_http_gateway_raises_on_an_error_answer_so_the_task_fails(http_gateways, status):
    http_gateways.answer("/sms", status, {"error": "quota"})
    with pytest.raises(AdapterError, match=f"HTTP {status}"):
        channel_for("sms").send(destination=PHONE, subject="", body="x")


def test_http_gateway_raises_when_unreachable(settings):
    settings.MPP_SMS_GATEWAY, settings.MPP_SMS_HTTP_TOKEN = "http_sms", "t"
    settings.MPP_SMS_HTTP_URL = "http://127.0.0.1:9/sms"  # discard port: nothing listens
    with pytest.raises(AdapterError):
        channel_for("sms").send(destination=PHONE, subject="", body="x")


def test_http_gateway_check_config_requires_url_and_token(settings):
    settings.MPP_SMS_GATEWAY = "http_sms"
    settings.MPP_SMS_HTTP_URL, settings.MPP_SMS_HTTP_TOKEN = "https://sms.example.id/send", ""
    with pytest.raises(PluginConfigError, match="MPP_SMS_HTTP_TOKEN"):
        channel_for("sms").check_config()
    settings.MPP_SMS_HTTP_URL, settings.MPP_SMS_HTTP_TOKEN = "sms.example.id", "t"
    with pytest.raises(PluginConfigError, match="http"):
        channel_for("sms").check_config()
    settings.MPP_SMS_HTTP_URL = "https://sms.example.id/send"
    channel_for("sms").check_config()


def test_an_unknown_gateway_is_a_config_error(settings):
    settings.MPP_WHATSAPP_GATEWAY = "nope"
    with pytest.raises(PluginConfigError, match="nope"):
        channel_for("whatsapp")


def _complaint(**changes):
    values = {
        "id": 42, "region": "35.10", "agency_name": "Dinas Kependudukan dan Pencatatan Sipil",
        "title": "Antrean lama", "body": "Saya menunggu tiga jam.", "category": "pelayanan",
        "created_at": datetime.datetime(2026, 11, 23, 9, 15, tzinfo=datetime.UTC),
    }  # fmt: skip
    return ForwardedComplaint(**(values | changes))


@pytest.fixture
def lapor(settings, remote):
    settings.MPP_COMPLAINT_FORWARDER = "lapor_http"
    settings.MPP_LAPOR_URL, settings.MPP_LAPOR_TOKEN = f"{remote.url}/api/", "lapor-token"
    remote.answer("/api/complaints", 201, {"tracking_id": "LAPOR-9001", "status": "received"})
    return remote


def test_lapor_http_forwards_and_returns_the_tracking_id(lapor):
    receipt = complaint_forwarder().forward(_complaint())
    assert (receipt.external_id, receipt.status) == ("LAPOR-9001", "received")
    [request] = lapor.requests
    assert (request.method, request.path) == ("POST", "/api/complaints")
    assert request.headers["authorization"] == "Bearer lapor-token"
    assert request.headers["idempotency-key"] == "mpp-complaint-42"
    assert request.json == {
        "reference": "mpp-42", "region": "35.10", "agency": "Dinas Kependudukan dan Pencatatan Sipil",
        "title": "Antrean lama", "body": "Saya menunggu tiga jam.", "category": "pelayanan",
        "created_at": "2026-11-23T09:15:00+00:00",
    }  # fmt: skip


def test_lapor_http_sends_the_reporter_contact_only_when_given(lapor):
    complaint_forwarder().forward(_complaint(reporter_contact="siti@example.id"))
    assert lapor.requests[0].json["reporter_contact"] == "siti@example.id"


@pytest.mark.parametrize(("status", "answer"), [(500, {}), (401, {"error": "token"}), (200, {"status": "ok"})])  # fmt: skip
def test_lapor_http_raises_unless_the_complaint_was_accepted(lapor, status, answer):
    lapor.answer("/api/complaints", status, answer)
    with pytest.raises(AdapterError):
        complaint_forwarder().forward(_complaint())


def test_lapor_http_check_config_requires_url_and_token(settings):
    settings.MPP_COMPLAINT_FORWARDER = "lapor_http"
    settings.MPP_LAPOR_URL, settings.MPP_LAPOR_TOKEN = "", ""
    with pytest.raises(PluginConfigError, match="MPP_LAPOR_URL, MPP_LAPOR_TOKEN"):
        complaint_forwarder().check_config()
    settings.MPP_LAPOR_URL, settings.MPP_LAPOR_TOKEN = "https://api.lapor.go.id/v1", "t"
    complaint_forwarder().check_config()


def test_demo_lapor_keeps_the_complaint_and_answers_the_same_id_for_a_resend(settings):
    settings.MPP_COMPLAINT_FORWARDER, settings.MPP_DEMO = "demo", True
    demo = complaint_forwarder()
    first = demo.forward(_complaint())
    again = demo.forward(_complaint())
    assert first == again and first.external_id == "LAPOR-20261123-000042"
    assert demo.received[first.external_id].title == "Antrean lama"  # type: ignore[attr-defined]
    demo.check_config()
    settings.MPP_DEMO, settings.DEBUG = False, False
    with pytest.raises(PluginConfigError, match="demo mode only"):
        demo.check_config()


def test_an_unknown_complaint_forwarder_is_a_config_error(settings):
    settings.MPP_COMPLAINT_FORWARDER = "pos"
    with pytest.raises(PluginConfigError, match="pos"):
        complaint_forwarder()


@pytest.fixture
def http_registry(settings, remote):
    settings.MPP_POPULATION_REGISTRY = "registry_http"
    settings.MPP_REGISTRY_HTTP_URL, settings.MPP_REGISTRY_HTTP_TOKEN = remote.url, "reg-token"
    return remote


def test_http_registry_looks_up_a_nik_and_a_family_card(http_registry):
    http_registry.answer("/nik/3510014507900002", 200, {
        "full_name": "Ayu Lestari", "birth_date": "1990-07-05", "birth_place": "Banyuwangi",
        "sex": "F", "kk_number": "3510010002050790"})  # fmt: skip
    http_registry.answer("/kk/3510010002050790", 200, {"members": [
        {"nik": "3510014507900002", "full_name": "Ayu Lestari", "birth_date": "1990-07-05",
         "sex": "F", "relationship": "istri"}]})  # fmt: skip
    registry = population_registry()
    record = registry.look_up("3510014507900002")
    assert record is not None and record.full_name == "Ayu Lestari"
    assert record.birth_date == datetime.date(1990, 7, 5) and record.kk_number == "3510010002050790"
    [member] = registry.family("3510010002050790")
    assert (member.nik, member.relationship) == ("3510014507900002", "istri")
    assert http_registry.requests[0].headers["authorization"] == "Bearer reg-token"


def test_http_registry_unknown_is_none_and_errors_raise(http_registry):
    http_registry.answer("/nik/3510014507909999", 404, {"error": "not found"})
    http_registry.answer("/kk/3510019999050790", 404, None)
    registry = population_registry()
    assert registry.look_up("3510014507909999") is None
    assert registry.family("3510019999050790") == []
    http_registry.answer("/nik/3510014507900003", 200, {"full_name": "X"})
    with pytest.raises(AdapterError, match="malformed"):
        registry.look_up("3510014507900003")
    http_registry.answer("/nik/3510014507900004", 502, {})
    with pytest.raises(AdapterError, match="HTTP 502"):
        registry.look_up("3510014507900004")


@pytest.fixture
def production_adapters(settings):
    """What a deployment sets: nothing here would reach the network in check_config()."""
    settings.DEBUG, settings.MPP_DEMO = False, False
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.MPP_SMS_GATEWAY, settings.MPP_WHATSAPP_GATEWAY = "http_sms", "http_whatsapp"
    settings.MPP_SMS_HTTP_URL, settings.MPP_SMS_HTTP_TOKEN = "https://sms.example.id/send", "t"
    settings.MPP_WHATSAPP_HTTP_URL = "https://wa.example.id/send"
    settings.MPP_WHATSAPP_HTTP_TOKEN = "t"
    settings.MPP_POPULATION_REGISTRY = "registry_http"
    settings.MPP_REGISTRY_HTTP_URL, settings.MPP_REGISTRY_HTTP_TOKEN = "https://nik.example.id", "t"
    settings.MPP_COMPLAINT_FORWARDER = "lapor_http"
    settings.MPP_LAPOR_URL, settings.MPP_LAPOR_TOKEN = "https://api.lapor.example.id", "t"
    settings.MPP_MALWARE_SCANNER = "noop"
    settings.MPP_CLAMD_ADDRESS = "tcp://127.0.0.1:9"  # unused by noop: never pinged
    return settings


def _ids(warnings):
    return sorted(w.id for w in warnings)


def test_deploy_check_is_quiet_when_every_adapter_is_configured(production_adapters):
    assert adapters_are_configured(None) == []


def test_deploy_check_warns_for_demo_and_console_adapters_outside_demo_mode(production_adapters):
    settings = production_adapters
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    settings.MPP_SMS_GATEWAY, settings.MPP_WHATSAPP_GATEWAY = "console_sms", "console_whatsapp"
    settings.MPP_POPULATION_REGISTRY, settings.MPP_COMPLAINT_FORWARDER = "demo", "demo"
    warnings = adapters_are_configured(None)
    assert _ids(warnings) == ["mpp.W010", "mpp.W011", "mpp.W012", "mpp.W013", "mpp.W014"]
    assert "console gateway outside demo mode" in warnings[1].msg
    settings.MPP_DEMO = True
    assert adapters_are_configured(None) == []


def test_deploy_check_warns_for_missing_settings_and_unknown_adapters(production_adapters):
    settings = production_adapters
    settings.MPP_LAPOR_TOKEN = ""
    settings.MPP_WHATSAPP_GATEWAY = "acme_whatsapp"
    warnings = adapters_are_configured(None)
    assert _ids(warnings) == ["mpp.W012", "mpp.W014"]
    assert "acme_whatsapp" in warnings[0].msg and "MPP_LAPOR_TOKEN" in warnings[1].msg


def test_deploy_check_pings_clamd_only_when_it_is_the_scanner(production_adapters):
    production_adapters.MPP_MALWARE_SCANNER = "clamd"
    [warning] = adapters_are_configured(None)
    assert warning.id == "mpp.W015" and "unreachable" in warning.msg
