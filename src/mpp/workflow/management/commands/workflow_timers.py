import time
from typing import Any

from django.core.management.base import BaseCommand

from mpp.workflow import timers


class Command(BaseCommand):
    help = (
        "Take the automatic decisions that fall due and escalate late steps (once, or --every N s)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--every", type=int, default=0, help="repeat every N seconds")

    def handle(self, *args: Any, every: int, **options: Any) -> None:
        while True:
            result = timers.run()
            if result.decided or result.escalated or not every:
                self.stdout.write(f"decided={result.decided} escalated={result.escalated}")
            if not every:
                return
            time.sleep(every)
