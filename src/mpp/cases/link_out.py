"""Link-out: a service the agency runs in its own app, tracked on the platform.

The citizen starts on the service page; `start_link_out` files an application record here
(status submitted, channel `link_out`, the offering's normal process so the agency's steps exist)
and the page sends the citizen to the agency's app with `?mpp_tracking=<tracking>`. The app
signs the citizen in through the platform's OIDC provider and reports progress through the
inbound agency API on that tracking number, like an integrated agency system.

Idempotent per user and key, like a submission: a double click files one application.
"""

from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mpp.accounts.profile import citizen_of
from mpp.cases import services
from mpp.cases.filing import filing_for
from mpp.cases.models import Application, IdempotencyRecord
from mpp.catalog.models import Channel, Offering
from mpp.core.errors import Conflict

TRACKING_PARAM = "mpp_tracking"


def app_url(offering: Offering) -> str:
    """The agency app's address: the region's link-out channel URL, else the national one."""
    channel = next((c for c in offering.channels.all() if c.kind == Channel.LINK_OUT), None)
    if channel is None:
        return ""
    return channel.url or offering.template.link_out_url


def url_for(application: Application) -> str:
    """Where the citizen continues this application: the agency app, told the tracking number."""
    base = app_url(application.offering)
    if not base:
        return ""
    parts = urlsplit(base)
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != TRACKING_PARAM
    ]
    query.append((TRACKING_PARAM, application.tracking))
    return urlunsplit(parts._replace(query=urlencode(query)))


def link_out_offering(offering_id: int) -> Offering:
    offering = filing_for(offering_id).offering  # NotFound when the region does not offer it
    if not app_url(offering):
        raise Conflict(_("Layanan ini tidak dilanjutkan di aplikasi instansi."))
    return offering


def start_link_out(*, user: Any, offering_id: int, idempotency_key: str) -> services.Submitted:
    """File the platform's record of a link-out application (or give back the one this key made)."""
    key = services.clean_key(idempotency_key)
    fingerprint = services._request_hash(kind="link_out", offering=offering_id)
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(user=user, key=key, request_hash=fingerprint)
            offering = link_out_offering(offering_id)
            citizen = citizen_of(user)
            services.check_assurance(citizen, offering)
            application = services.file_application(
                user=user, citizen=citizen, offering=offering, form=None, cleaned={},
                attachments=[], assisted=False, now=timezone.now(),
                channel=Application.Channel.LINK_OUT,
            ).application  # fmt: skip
            record.application = application
            record.save(update_fields=["application"])
            return services.Submitted(application=application, replayed=False)
    except IntegrityError:
        replay = services._replay(user, key, fingerprint)
        if replay:
            return replay
        raise
