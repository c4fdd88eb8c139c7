"""Complaints forwarded to SP4N-LAPOR!, the national complaint system, through an adapter chosen
by MPP_COMPLAINT_FORWARDER ("demo" in demo mode, "lapor_http" in production).

The caller (the future complaints module) forwards from a background task, never in a request,
and stores the receipt's `external_id` on the complaint. Only what the citizen agreed to share
travels: `reporter_contact` is empty unless they consented."""

import datetime
from dataclasses import dataclass

from django.conf import settings

from mpp.core.registry import Plugin, PluginConfigError, Registry


@dataclass(frozen=True)
class ForwardedComplaint:
    id: int  # the complaint's id on the platform; adapters use it to make a resend harmless
    region: str  # region code, e.g. "35.10"
    agency_name: str
    title: str
    body: str
    category: str
    created_at: datetime.datetime
    reporter_contact: str = ""  # e-mail or phone, only when the reporter consented


@dataclass(frozen=True)
class ForwardReceipt:
    external_id: str  # the tracking id in SP4N-LAPOR!
    status: str  # as SP4N-LAPOR! reports it, e.g. "received"


class ComplaintForwarder(Plugin):
    def forward(self, complaint: ForwardedComplaint) -> ForwardReceipt:
        """Hand the complaint over; raise (AdapterError) when it was not accepted. Forwarding the
        same complaint again must not create a second report."""
        raise NotImplementedError


complaint_forwarders: Registry[ComplaintForwarder] = Registry()


def complaint_forwarder() -> ComplaintForwarder:
    name = settings.MPP_COMPLAINT_FORWARDER
    if name not in complaint_forwarders:
        raise PluginConfigError(f"MPP_COMPLAINT_FORWARDER={name!r} is not a registered adapter")
    return complaint_forwarders[name]
