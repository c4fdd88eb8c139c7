"""Outbox delivery throughput on PostgreSQL: events per second from the outbox to a receiver on
loopback, with the real claim / send / record loop (integrations.delivery.deliver_batch).

    make bench-outbox   # or: .venv/bin/python tests/bench/bench_outbox.py [--applications 2000]

Drops and creates the PostgreSQL database mpp_bench_outbox (server from BENCH_DATABASE_URL,
default postgres://postgres@127.0.0.1:5432; DATABASE_URL is never used), migrates and loads the
demo data with production settings, fills --applications applications with COPY (the filler of
bench_tracking.py), registers one endpoint of the first agency at a ThreadingHTTPServer on
loopback that answers 200 at once and counts CloudEvent ids, and writes --per-application events
per application (the real `submitted` payload of events.application_data, so the per-application
order check of the claim has work to do). Then, for each --workers count, the events are made
pending again and that many threads (one database connection each) run deliver_batch(limit=50)
until the outbox is empty. Reported: events/s, the receiver's count and duplicates. Writes its
section of docs/benchmarks.md (between the bench:outbox markers) unless --no-report.
"""

import argparse
import json
import os
import sys
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.bench import cases_common as common

START, END = "<!-- bench:outbox:start -->", "<!-- bench:outbox:end -->"
DATABASE = "mpp_bench_outbox"
TARGET_EVENTS_PER_S = 100.0  # one worker: well above what a regional office files


class Counting:
    def __init__(self) -> None:
        self.ids: Counter[str] = Counter()
        self.lock = threading.Lock()

    def handler(self) -> type[BaseHTTPRequestHandler]:
        counting = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as an agency's server would
            disable_nagle_algorithm = True  # else headers and body wait for a delayed ACK (40 ms)

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("content-length", 0)))
                with counting.lock:
                    counting.ids[self.headers.get("webhook-id", "")] += 1
                self.send_response(200)
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: object) -> None:
                pass

        return Handler


def prepare(applications: int, per_application: int, receiver_url: str) -> dict[str, Any]:
    from django.core.management import call_command
    from django.utils import timezone
    from tests.bench import bench_tracking

    from mpp.cases.models import Application
    from mpp.core.crypto import encrypt
    from mpp.integrations.events import application_data
    from mpp.integrations.models import Endpoint, OutboxEvent
    from mpp.integrations.signing import new_secret

    started = time.perf_counter()
    call_command("migrate", "--noinput", verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    # Its sampling of missing numbers wants 2000 (region, day) pairs: fill more, use the first.
    bench_tracking.fill(max(applications, 20_000), 5, 1)
    first = Application.objects.select_related("offering").order_by("pk").first()
    assert first is not None
    endpoint = Endpoint.objects.create(
        agency_id=first.offering.agency_id, name="bench", url=receiver_url,
        event_types=["application.submitted"], secret_cipher=encrypt(new_secret()),
    )  # fmt: skip
    now = timezone.now()
    ids = list(Application.objects.order_by("pk").values_list("pk", flat=True)[:applications])
    data = application_data(Application.objects.get(pk=ids[0]))
    OutboxEvent.objects.bulk_create(
        (
            OutboxEvent(
                endpoint=endpoint,
                application_id=pk,
                type="application.submitted",
                subject=str(pk),
                data=data,
                created_at=now,
                retry_from=now,
                next_attempt_at=now,
            )
            for pk in ids
            for _ in range(per_application)
        ),
        batch_size=2000,
    )
    return {"events": OutboxEvent.objects.count(), "prepare_s": time.perf_counter() - started}


def run(workers: int) -> dict[str, float]:
    import requests
    from django.db import connection

    from mpp.integrations.delivery import deliver_batch
    from mpp.integrations.models import DeliveryAttempt, OutboxEvent

    DeliveryAttempt.objects.all().delete()
    OutboxEvent.objects.update(status="pending", attempts=0, leased_until=None, delivered_at=None)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE integrations_outboxevent")
    total = OutboxEvent.objects.count()

    def work() -> None:
        session = requests.Session()
        try:
            while (
                deliver_batch(session, limit=50)
                or OutboxEvent.objects.filter(status="pending").exists()
            ):
                pass
        finally:
            session.close()
            connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    delivered = OutboxEvent.objects.filter(status="delivered").count()
    return {"workers": workers, "events": total, "delivered": delivered, "seconds": seconds,
            "per_s": delivered / seconds}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--applications", type=int, default=2000)
    parser.add_argument("--per-application", type=int, default=2)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--no-report", action="store_true")
    args = parser.parse_args()

    from tests.support.server import production_env

    url = common.database_url(DATABASE)
    common.recreate_database(url)
    with common.workdir("mpp-bench-outbox-") as tmp:
        os.environ.update(
            production_env(
                DATABASE_URL=url,
                MPP_DEMO="true",
                MPP_LOG_FORMAT="plain",
                LOG_LEVEL="ERROR",
                MPP_VAR_DIR=str(tmp),
            )
        )
        measure(args)


def measure(args: argparse.Namespace) -> None:
    counting = Counting()
    server = ThreadingHTTPServer(("127.0.0.1", 0), counting.handler())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    receiver_url = f"http://127.0.0.1:{server.server_address[1]}/events"

    common.setup_django()
    print(f"Fresh database {DATABASE}: migrate, load_demo, {args.applications} applications")
    prepared = prepare(args.applications, args.per_application, receiver_url)
    print(json.dumps(prepared))
    results = []
    for workers in (int(w) for w in args.workers.split(",")):
        counting.ids.clear()
        result = run(workers)
        result["received"] = sum(counting.ids.values())
        result["duplicates"] = sum(n - 1 for n in counting.ids.values() if n > 1)
        results.append(result)
        print(json.dumps(result))
    server.shutdown()
    one = results[0]
    ok = all(r["delivered"] == r["events"] and r["duplicates"] == 0 for r in results)
    ok = ok and one["per_s"] >= TARGET_EVENTS_PER_S
    info = common.machine()
    lines = [
        "## Outbox delivery (PostgreSQL)",
        "",
        f"`make bench-outbox`, {info['date']}: {prepared['events']} events "
        f"({args.applications} applications × {args.per_application}), receiver on loopback answering 200, "
        f"deliver_batch(limit=50) in threads of one process; {info['nproc']} CPUs ({info['cpu']}), "
        f"{info['postgres']}, Python {info['python']}, Django {info['django']}.",
        "",
        "| workers | delivered | seconds | events/s | duplicates at the receiver |",
        "|---|---|---|---|---|",
        *(
            f"| {r['workers']} | {r['delivered']}/{r['events']} | {r['seconds']:.1f} | "
            f"{r['per_s']:.0f} | {r['duplicates']} |"
            for r in results
        ),
        "",
        f"Target: one worker ≥ {TARGET_EVENTS_PER_S:.0f} events/s, nothing lost or sent twice: "
        f"**{common.verdict(ok)}**. The worker threads share one GIL, the receiver and PostgreSQL with "
        "the machine's CPUs, so here a second thread adds little; separate `outbox_worker` processes "
        "share the outbox the same way (SKIP LOCKED).",
    ]
    if not args.no_report:
        common.write_section(START, END, lines)
    print(f"outbox: {one['per_s']:.0f} events/s with 1 worker; {common.verdict(ok)}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
