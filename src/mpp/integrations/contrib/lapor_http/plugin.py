"""SP4N-LAPOR! over HTTP: `POST {MPP_LAPOR_URL}/complaints` with `Authorization: Bearer
{MPP_LAPOR_TOKEN}` and an `Idempotency-Key` naming the complaint, so a retried task does not
file it twice. The answer is JSON `{"tracking_id": "...", "status": "..."}`. When the agreement
with KemenPAN-RB fixes another shape, only this file changes."""

from django.conf import settings

from mpp.integrations.complaints import (
    ComplaintForwarder,
    ForwardedComplaint,
    ForwardReceipt,
    complaint_forwarders,
)
from mpp.integrations.contrib.http import AdapterError, call, require_settings


@complaint_forwarders.register("lapor_http")
class LaporHttp(ComplaintForwarder):
    def forward(self, complaint: ForwardedComplaint) -> ForwardReceipt:
        payload = {
            "reference": f"mpp-{complaint.id}",
            "region": complaint.region,
            "agency": complaint.agency_name,
            "title": complaint.title,
            "body": complaint.body,
            "category": complaint.category,
            "created_at": complaint.created_at.isoformat(),
        }
        if complaint.reporter_contact:
            payload["reporter_contact"] = complaint.reporter_contact
        answer = call(
            "POST", settings.MPP_LAPOR_URL.rstrip("/") + "/complaints", token=settings.MPP_LAPOR_TOKEN,
            payload=payload, idempotency_key=f"mpp-complaint-{complaint.id}",
        )  # fmt: skip
        if not isinstance(answer, dict) or not answer.get("tracking_id"):
            raise AdapterError("SP4N-LAPOR! accepted the call but gave no tracking_id")
        return ForwardReceipt(
            external_id=str(answer["tracking_id"]), status=str(answer.get("status", ""))
        )

    def check_config(self) -> None:
        require_settings("lapor_http", "MPP_LAPOR_URL", "MPP_LAPOR_TOKEN")
