"""Outbox delivery under failures, end to end on PostgreSQL (`make reliability`).

    make reliability   # or: .venv/bin/python tests/reliability/run.py [--applications 500]

Drops and creates the PostgreSQL database mpp_reliability (server from BENCH_DATABASE_URL,
default postgres://postgres@127.0.0.1:5432; no other database is touched), migrates and loads the
demo data, then makes akta kelahiran of Banyuwangi (35.10) integrated: an endpoint at the agency
simulator (tools/agency_simulator, a subprocess) with a fresh secret, and an OAuth2
client-credentials app for the simulator. It starts the production server (gunicorn), the
simulator and two `outbox_worker` processes (small backoff through MPP_OUTBOX_BACKOFF*), and
files --applications akta kelahiran applications over HTTP from --clients citizens with bearer
tokens. Meanwhile the simulator answers 500 for a while, later hangs past the platform's timeout
for a while (the event arrives but the answer does not: it is sent again), and one worker is
SIGKILLed mid-run and replaced. It waits until every event is delivered and every application
has been moved on by the simulator, then counts, from the database and the simulator:

    delivered=N/500 lost=0 bad_signatures=0 duplicate_effects=0

delivered: applications whose `application.submitted` event is delivered and stored by the
simulator exactly once; lost: filed applications whose event never reached it; bad_signatures:
requests the simulator refused as unsigned or stale; duplicate_effects: steps the agency system
moved more than once. Exits non-zero unless all are delivered and the rest are 0.
"""

import argparse
import http.client
import json
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.bench import bench_submit
from tests.bench import cases_common as common

DATABASE = "mpp_reliability"
CLIENT_SECRET = "reliability-simulator-2026"  # a throw-away database's own client
WORKER_ENV = {
    "MPP_OUTBOX_BACKOFF": "0.2",
    "MPP_OUTBOX_BACKOFF_MAX": "5",
    "MPP_OUTBOX_TIMEOUT": "2",  # the simulator's timeout mode hangs 3 s
}


# --- Inside Django (child processes) -------------------------------------------------------------


def setup_process(spec: dict[str, Any]) -> None:
    common.setup_django()
    from oauth2_provider.models import Application as OAuthApplication

    from mpp.accounts.client_policy import set_client_policy
    from mpp.catalog.models import Offering
    from mpp.core.crypto import encrypt
    from mpp.integrations.demo import make_integrated
    from mpp.integrations.models import Endpoint
    from mpp.integrations.signing import new_secret

    offering = Offering.objects.select_related("template", "agency__kind").get(
        region_id=common.REGION, template__slug=common.SLUG
    )
    make_integrated(offering)
    secret = new_secret()
    Endpoint.objects.update(is_active=False)  # the demo endpoint points at nobody here
    Endpoint.objects.create(
        agency=offering.agency, name="Simulator", url=spec["url"], secret_cipher=encrypt(secret),
        event_types=["application.submitted", "application.resubmitted"],
    )  # fmt: skip
    app = OAuthApplication.objects.create(
        name="SIAK simulator",
        client_type=OAuthApplication.CLIENT_CONFIDENTIAL,
        authorization_grant_type=OAuthApplication.GRANT_CLIENT_CREDENTIALS,
        client_secret=CLIENT_SECRET,
    )
    set_client_policy(
        application=app, allowed_scopes=["openid", "agency"], agency_id=offering.agency_id
    )
    citizens = bench_submit.make_citizens(spec["clients"], prefix="reliability")["citizens"]
    print(json.dumps({"secret": secret, "client_id": app.client_id, "citizens": citizens}))


# --- Orchestration -------------------------------------------------------------------------------


def submit_all(port: int, citizens: list[dict[str, Any]], total: int) -> dict[str, Any]:
    """Each citizen files its share back to back on one keep-alive connection."""
    trackings: list[str] = []
    failures: list[str] = []
    lock = threading.Lock()

    def client(number: int) -> None:
        citizen = citizens[number]
        body = json.dumps(citizen["body"]).encode()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for _ in range(number, total, len(citizens)):
            headers = {
                "Authorization": f"Bearer {citizen['token']}",
                "Content-Type": "application/json",
                "Idempotency-Key": str(uuid.uuid4()),
            }
            try:
                conn.request("POST", "/api/v1/applications", body=body, headers=headers)
                response = conn.getresponse()
                payload = response.read()
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                with lock:
                    failures.append(repr(exc))
                continue
            with lock:
                if response.status == 201:
                    trackings.append(json.loads(payload)["tracking"])
                else:
                    failures.append(f"{response.status}: {payload[:200]!r}")
        conn.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(len(citizens))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"trackings": trackings, "failures": failures}


def simulator_get(port: int, path: str) -> Any:
    status, _headers, body = common.bench_http.get(port, path)
    if status != 200:
        raise SystemExit(f"simulator {path} answered {status}")
    return json.loads(body)


def control(port: int, mode: str, seconds: float) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("POST", "/control", body=json.dumps({"mode": mode, "seconds": seconds}))
    conn.getresponse().read()
    conn.close()
    print(f"  {time.strftime('%X')} simulator: {mode} for {seconds:g} s")


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "outbox_worker", "--every", "0.2", "--batch", "50"],
        env=env, cwd=common.ROOT, stdout=log.open("ab"), stderr=subprocess.STDOUT,
    )  # fmt: skip


def outbox_counts(url: str) -> dict[str, int]:
    rows = common.sql(
        url,
        "SELECT status, COUNT(*) FROM integrations_outboxevent"
        " WHERE type = 'application.submitted' GROUP BY status",
    )
    return dict(rows)


def duplicate_effects(url: str) -> int:
    """Steps the agency system (actor: none, label "… (sistem …)") moved more than once."""
    return common.sql(
        url,
        "SELECT COUNT(*) FROM (SELECT application_id, step_id FROM workflow_transition"
        " WHERE actor_id IS NULL AND actor_label LIKE %s GROUP BY application_id, step_id"
        " HAVING COUNT(*) > 1) AS twice",
        ("SIAK simulator (sistem %",),
    )[0][0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=500)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--timeout", type=float, default=180, help="seconds to wait for delivery")
    parser.add_argument(
        "--calm", action="store_true",
        help="no failures, no killed worker: measure submission-to-delivery lag under load",
    )  # fmt: skip
    parser.add_argument("--_setup", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args._setup:
        return setup_process(common.spec_of(args._setup))

    url = common.database_url(DATABASE)
    total = args.applications
    with common.workdir("mpp-reliability-") as tmp:
        port, sim_port = common.bench_http.free_port(), common.bench_http.free_port()
        env = common.server_env(tmp, url, port, workers=2, threads=4, worker_class="gthread")
        print(f"Fresh database {DATABASE}: migrate, load_demo, collectstatic")
        common.recreate_database(url, prefix=DATABASE)
        print(f"  ready in {common.bench_http.prepare(env):.1f} s")
        spec = {"url": f"http://127.0.0.1:{sim_port}/events", "clients": args.clients}
        setup = common.in_django(__file__, env, "setup", spec)
        simulator = subprocess.Popen(
            [sys.executable, "-m", "tools.agency_simulator", "--port", str(sim_port),
             "--platform", f"http://127.0.0.1:{port}", "--secret", setup["secret"],
             "--client-id", setup["client_id"], "--client-secret", CLIENT_SECRET,
             "--delay", "1", "--hang", "3", "--db", str(tmp / "simulator.sqlite3")],
            env=env, cwd=common.ROOT, stdout=(tmp / "simulator.log").open("wb"),
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        worker_env = {**env, **WORKER_ENV}
        workers = [start_worker(worker_env, tmp / "worker.log") for _ in range(2)]
        try:
            with common.server(env, port, tmp):
                figures = run(args, url, port, sim_port, setup, workers, worker_env, tmp)
        finally:
            for process in [simulator, *workers]:
                process.terminate()
            for process in [simulator, *workers]:
                process.wait(timeout=30)
            if (tmp / "worker.log").exists():
                errors = [
                    ln for ln in (tmp / "worker.log").read_text().splitlines() if "Error" in ln
                ]
                print(f"  worker log: {len(errors)} lines with 'Error'", *errors[:5], sep="\n    ")
    line = (
        f"delivered={figures['delivered']}/{total} lost={figures['lost']} "
        f"bad_signatures={figures['bad_signatures']} duplicate_effects={figures['duplicate_effects']}"
    )
    print(line)
    if figures["failed_submissions"] or figures["not_moved_on"]:
        print(
            f"FAILED: {figures['failed_submissions']} submissions failed, "
            f"{figures['not_moved_on']} applications not moved on by the simulator"
        )
    ok = figures["delivered"] == total and not any(
        figures[k]
        for k in (
            "lost",
            "bad_signatures",
            "duplicate_effects",
            "failed_submissions",
            "not_moved_on",
        )
    )
    sys.exit(0 if ok else 1)


def run(
    args: argparse.Namespace,
    url: str,
    port: int,
    sim_port: int,
    setup: dict[str, Any],
    workers: list[subprocess.Popen],
    worker_env: dict[str, str],
    tmp: Path,
) -> dict[str, int]:
    total = args.applications
    started = time.monotonic()
    print(f"Filing {total} applications from {args.clients} clients; 2 outbox workers")
    filed: dict[str, Any] = {}
    load = threading.Thread(target=lambda: filed.update(submit_all(port, setup["citizens"], total)))
    load.start()
    time.sleep(1)
    if not args.calm:
        control(sim_port, "error", 8)
    killed = args.calm  # a calm run kills nothing and injects no failure
    timeout_window = False
    deadline = started + args.timeout
    while True:
        stats = simulator_get(sim_port, "/stats")
        if not killed and stats["received"] >= total // 4:
            workers[0].send_signal(signal.SIGKILL)
            workers[0].wait()
            workers.append(start_worker(worker_env, tmp / "worker.log"))
            print(f"  {time.strftime('%X')} outbox worker {workers[0].pid} SIGKILLed, replaced")
            killed = True
        if not args.calm and not timeout_window and stats["received"] >= total // 2:
            control(sim_port, "timeout", 4)
            timeout_window = True
        counts = outbox_counts(url)
        if (
            not load.is_alive()
            and counts.get("pending", 0) == 0
            and stats["pending"] == 0
            and stats["received"] >= len(filed["trackings"])
        ):
            break
        if time.monotonic() > deadline:
            print(f"  TIMEOUT after {args.timeout:g} s: outbox {counts}, simulator {stats}")
            break
        time.sleep(0.5)
    load.join()
    elapsed = time.monotonic() - started
    stats = simulator_get(sim_port, "/stats")
    events = simulator_get(sim_port, "/events")
    counts = outbox_counts(url)
    attempts = common.sql(
        url, "SELECT COUNT(*), COUNT(*) FILTER (WHERE ok) FROM integrations_deliveryattempt"
    )[0]
    stored: dict[str, int] = {}
    for event in events:
        if event["type"] == "application.submitted":
            stored[event["subject"]] = stored.get(event["subject"], 0) + 1
    delivered_in_db = {
        row[0]
        for row in common.sql(
            url,
            "SELECT subject FROM integrations_outboxevent"
            " WHERE type = 'application.submitted' AND status = 'delivered'",
        )
    }
    trackings = filed["trackings"]
    delivered = sum(1 for t in trackings if stored.get(t) == 1 and t in delivered_in_db)
    lost = sum(1 for t in trackings if t not in stored)
    print(
        f"In {elapsed:.1f} s: {len(trackings)} filed ({len(filed['failures'])} failed"
        f"{': ' + filed['failures'][0] if filed['failures'] else ''}); outbox {counts}; "
        f"{attempts[0]} delivery attempts ({attempts[0] - attempts[1]} failed)"
    )
    print(f"Simulator: {stats}")
    lags = [
        float(row[0])
        for row in common.sql(
            url,
            "SELECT EXTRACT(EPOCH FROM delivered_at - created_at) FROM integrations_outboxevent"
            " WHERE type = 'application.submitted' AND status = 'delivered'",
        )
    ]
    if lags:
        print(
            f"Submission-to-delivery lag over {len(lags)} events: "
            f"p50 {common.percentile(lags, 50) * 1000:.0f} ms, "
            f"p95 {common.percentile(lags, 95) * 1000:.0f} ms, max {max(lags) * 1000:.0f} ms; "
            f"{len(trackings) / elapsed:.1f} submissions/s"
        )
    return {
        "delivered": delivered,
        "lost": lost,
        "bad_signatures": stats["bad_signatures"],
        # a step moved twice, or one application's submission stored under two event ids
        "duplicate_effects": duplicate_effects(url) + sum(n - 1 for n in stored.values()),
        # not in the summary line, but a failed run all the same
        "failed_submissions": len(filed["failures"]),
        "not_moved_on": stats["apply_errors"] + stats["pending"],
    }


if __name__ == "__main__":
    main()
