"""A stand-in for SP4N-LAPOR! in demo mode and tests: it keeps forwarded complaints in memory,
logs them, and answers with a made-up "LAPOR-…" tracking id (the same one for a resend)."""

import logging
import threading

from django.conf import settings

from mpp.core.registry import PluginConfigError
from mpp.integrations.complaints import (
    ComplaintForwarder,
    ForwardedComplaint,
    ForwardReceipt,
    complaint_forwarders,
)

logger = logging.getLogger(__name__)


@complaint_forwarders.register("demo")
class DemoLapor(ComplaintForwarder):
    def __init__(self) -> None:
        self.received: dict[str, ForwardedComplaint] = {}
        self._lock = threading.Lock()

    def forward(self, complaint: ForwardedComplaint) -> ForwardReceipt:
        external_id = f"LAPOR-{complaint.created_at:%Y%m%d}-{complaint.id:06d}"
        with self._lock:
            self.received[external_id] = complaint
        logger.info("demo SP4N-LAPOR! received complaint %s as %s", complaint.id, external_id)
        return ForwardReceipt(external_id=external_id, status="received")

    def check_config(self) -> None:
        if not (settings.MPP_DEMO or settings.DEBUG):
            raise PluginConfigError("the demo SP4N-LAPOR! forwarder is for demo mode only")
