import time
from typing import Any

from django.core.management.base import BaseCommand

from mpp.workflow import timers

HOUSEKEEPING_SECONDS = 3600


class Command(BaseCommand):
    help = (
        "Take the automatic decisions that fall due and escalate late steps (once, or --every N s);"
        " hourly, remove old drafts and expired Idempotency-Key records."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--every", type=int, default=0, help="repeat every N seconds")

    def handle(self, *args: Any, every: int, **options: Any) -> None:
        # The clock's other chore; imported here because cases builds on the workflow.
        from mpp.cases.housekeeping import forget_drafts, forget_idempotency_keys

        swept_at: float | None = None
        while True:
            result = timers.run()
            if result.decided or result.escalated or not every:
                self.stdout.write(f"decided={result.decided} escalated={result.escalated}")
            if swept_at is None or time.monotonic() - swept_at >= HOUSEKEEPING_SECONDS:
                swept_at = time.monotonic()
                drafts, keys = forget_drafts(), forget_idempotency_keys()
                if drafts or keys or not every:
                    self.stdout.write(f"drafts_removed={drafts} idempotency_keys_removed={keys}")
            if not every:
                return
            time.sleep(every)
