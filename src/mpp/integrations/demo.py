"""Demo integration for Banyuwangi (35.10): two Disdukcapil services handled by the agency's own
system, played by the agency simulator (`make simulator`, tools/agency_simulator): an endpoint
at the simulator with a published secret and the simulator's OAuth2 client-credentials app.

Idempotent; the secrets are published on purpose and exist only with MPP_DEMO on.
"""

from django.db import transaction

from mpp.accounts import client_policy
from mpp.catalog import services as catalog_services
from mpp.catalog.models import Channel, Offering
from mpp.core.crypto import encrypt
from mpp.integrations.models import EVENT_TYPES, Endpoint

REGION = "35.10"
INTEGRATED_SERVICES = ["kia", "kk-perubahan-data"]
DEMO_ENDPOINT_NAME = "SIAK Banyuwangi (simulator)"
DEMO_ENDPOINT_URL = "http://127.0.0.1:8700/events"
DEMO_ENDPOINT_SECRET = "whsec_ZGVtby1zaWFrLWJhbnl1d2FuZ2ktbXBwLTIwMjYtb2s="  # noqa: S105 - demo only
DEMO_AGENCY_CLIENT_ID = "demo-siak-simulator"
DEMO_AGENCY_CLIENT_SECRET = "demo-siak-simulator-rahasia-2026"  # noqa: S105 - demo only
DEMO_AGENCY_SCOPES = ["openid", "agency"]


def make_integrated(offering: Offering) -> bool:
    """Add the "processed by the agency's system" channel, keeping the offering as it is."""
    channels = list(offering.channels.all())
    if any(channel.kind == Channel.INTEGRATED for channel in channels):
        return False
    specs = [
        catalog_services.ChannelSpec(c.kind, url=c.url, site_id=c.site_id, notes=c.notes)
        for c in channels
    ]
    catalog_services.save_offering(
        actor=None,
        region_code=offering.region_id,
        template_slug=offering.template.slug,
        channels=[catalog_services.ChannelSpec(Channel.INTEGRATED), *specs],
        agency_kind=offering.agency.kind.slug,
        tariffs_override=offering.tariffs_override,
        duration_value_override=offering.duration_value_override,
        duration_unit_override=offering.duration_unit_override,
        notes=offering.notes,
        is_active=offering.is_active,
    )
    return True


def _agency_client(agency_id: int) -> None:
    from oauth2_provider.models import get_application_model

    model = get_application_model()
    application, _created = model.objects.update_or_create(
        client_id=DEMO_AGENCY_CLIENT_ID,
        defaults={
            "name": "SIAK Banyuwangi (simulator)",
            "client_secret": DEMO_AGENCY_CLIENT_SECRET,
            "client_type": model.CLIENT_CONFIDENTIAL,
            "authorization_grant_type": model.GRANT_CLIENT_CREDENTIALS,
        },
    )
    client_policy.set_client_policy(
        application=application, allowed_scopes=DEMO_AGENCY_SCOPES, agency_id=agency_id
    )


@transaction.atomic
def load() -> str:
    agency = catalog_services.ensure_agency(actor=None, region_code=REGION, kind_slug="disdukcapil")
    offerings = Offering.objects.filter(
        region_id=REGION, agency=agency, template__slug__in=INTEGRATED_SERVICES
    ).select_related("template", "agency__kind")
    integrated = [o.template.slug for o in offerings if make_integrated(o)]
    Endpoint.objects.update_or_create(
        agency=agency,
        name=DEMO_ENDPOINT_NAME,
        defaults={
            "url": DEMO_ENDPOINT_URL,
            "secret_cipher": encrypt(DEMO_ENDPOINT_SECRET),
            "event_types": sorted(slug for slug, _label in EVENT_TYPES),
            "is_active": True,
        },
    )
    _agency_client(agency.pk)
    return (
        f"Demo integration: {agency.name} handles {', '.join(INTEGRATED_SERVICES)} in its own "
        f"system (newly: {', '.join(integrated) or 'none'}); endpoint {DEMO_ENDPOINT_URL} "
        f"(secret {DEMO_ENDPOINT_SECRET}); agency client {DEMO_AGENCY_CLIENT_ID} / "
        f"{DEMO_AGENCY_CLIENT_SECRET} — run `make simulator`."
    )
