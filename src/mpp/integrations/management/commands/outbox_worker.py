import signal
import time
from typing import Any

import requests
from django.core.management.base import BaseCommand

from mpp.integrations import delivery, reconcile

RECONCILE_EVERY = 300.0  # seconds between two looks for overdue integrated applications


class Command(BaseCommand):
    help = (
        "Deliver outbox events to agency systems and ask them about overdue applications "
        "(once, or keep going with --every N seconds)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--every", type=float, default=0, help="idle wait between rounds")
        parser.add_argument("--batch", type=int, default=50)

    def handle(self, *args: Any, every: float, batch: int, **options: Any) -> None:
        stopping = False

        def stop(*_: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        next_reconcile = 0.0
        with requests.Session() as session:
            while not stopping:
                if time.monotonic() >= next_reconcile:
                    reconcile.run()
                    next_reconcile = time.monotonic() + RECONCILE_EVERY
                sent = delivery.deliver_batch(session, limit=batch)
                if not every:
                    self.stdout.write(f"attempts={sent}")
                    return
                if not sent:
                    time.sleep(every)
