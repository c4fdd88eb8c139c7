"""The demo integration: two services of Disdukcapil Banyuwangi go to the agency simulator,
whose endpoint and client carry the published demo secrets that `make simulator` uses."""

import base64
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from mpp.catalog.models import Channel, OfferingChannel
from mpp.core.crypto import decrypt
from mpp.integrations import demo
from mpp.integrations.models import Endpoint

pytestmark = pytest.mark.django_db
MAKEFILE = Path(__file__).resolve().parents[2] / "Makefile"


@override_settings(MPP_DEMO=True)
def test_the_demo_wires_two_services_to_the_simulator(client):
    call_command("load_demo")
    call_command("load_demo")  # idempotent
    integrated = OfferingChannel.objects.filter(
        region_id="35.10", kind=Channel.INTEGRATED, offering__agency__kind__slug="disdukcapil"
    )
    slugs = sorted(integrated.values_list("offering__template__slug", flat=True))
    assert slugs == ["kia", "kk-perubahan-data"]
    assert all(c.offering.channels.count() > 1 for c in integrated)  # other channels kept
    endpoint = Endpoint.objects.get(name=demo.DEMO_ENDPOINT_NAME)
    assert endpoint.agency.name == "Disdukcapil Kabupaten Banyuwangi"
    assert endpoint.url == demo.DEMO_ENDPOINT_URL
    assert decrypt(endpoint.secret_cipher) == demo.DEMO_ENDPOINT_SECRET

    basic = f"{demo.DEMO_AGENCY_CLIENT_ID}:{demo.DEMO_AGENCY_CLIENT_SECRET}".encode()
    response = client.post(
        "/o/token/", {"grant_type": "client_credentials", "scope": "agency"},
        HTTP_AUTHORIZATION="Basic " + base64.b64encode(basic).decode(),
    )  # fmt: skip
    assert response.status_code == 200, response.content
    token = response.json()["access_token"]
    listed = client.get("/api/v1/agency/applications", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert listed.status_code == 200

    makefile = MAKEFILE.read_text()  # `make simulator` speaks with these values
    for value in (demo.DEMO_ENDPOINT_SECRET, demo.DEMO_AGENCY_CLIENT_ID,
                  demo.DEMO_AGENCY_CLIENT_SECRET):  # fmt: skip
        assert value in makefile
