"""Public tracking look-up with 1,000,000 applications on PostgreSQL: GET /api/v1/status from 20
concurrent clients at a pace the machine sustains (target p95 < 30 ms), the same clients back to
back (throughput), one client alone, and the query alone.

    make bench-tracking   # or: .venv/bin/python tests/bench/bench_tracking.py [--rows 1000000]

Drops and creates the PostgreSQL database mpp_bench_tracking (server from BENCH_DATABASE_URL,
default postgres://postgres@127.0.0.1:5432; DATABASE_URL is never used), migrates, loads the
demo data, then fills --rows applications with COPY: every active offering of the demo, days
spread over the last two years, per region and day sequence numbers, real tracking numbers (Damm
check digit) and `lookup_hash` values computed as `cases.services.public_lookup_hash` does, for
--citizens applicants; one open step each. ANALYZE. Then the production server (DEBUG off, the
status rate limit lifted by tests/bench/bench_settings.py) and wrk with --clients connections
asking for random existing numbers (with the right last four NIK digits) and missing ones (an
unknown number, or a known one with wrong digits) for --duration seconds. In process:
EXPLAIN ANALYZE of the look-up and its time over --samples random numbers.

Writes its section of docs/benchmarks.md (between the bench:tracking markers) unless --no-report.
"""

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.bench import cases_common as common

START, END = "<!-- bench:tracking:start -->", "<!-- bench:tracking:end -->"
DATABASE = "mpp_bench_tracking"
TARGET_P95_MS = 30.0
# 20 clients each asking every 0.2 s: ~100 look-ups/s (360,000 an hour), under half of what this
# machine serves back to back, so that the latency measured is the look-up's, not a queue's.
PAUSE_MS = 200
SAMPLE = 20_000  # known (tracking, nik4) pairs handed to the load generator
SAVED = common.ROOT / "var" / "bench" / f"{DATABASE}.json"  # what --reuse needs of the fill


# --- Inside Django (child processes) -------------------------------------------------------------


def fill(rows: int, citizens: int, seed: int) -> dict[str, Any]:
    import datetime

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from mpp.accounts.registration import attach_citizen
    from mpp.cases.models import Application
    from mpp.cases.services import public_lookup_hash
    from mpp.catalog.models import Offering
    from mpp.core.identifiers import tracking_number
    from mpp.workflow.definition import parse
    from mpp.workflow.processes import process_for

    rng = random.Random(seed)
    offerings = [
        (o.pk, o.region_id, o.standard.pk, o.agency_id)
        for o in Offering.objects.filter(is_active=True)
        .select_related("template__current_version")
        .order_by("pk")
        if o.standard is not None
    ]
    process = process_for(Offering.objects.get(pk=offerings[0][0]))
    first_step = next(iter(parse(process.definition).steps))
    applicants = []
    for number in range(citizens):
        user = get_user_model().objects.create_user(username=f"lacak-{number}", password=None)
        nik = f"351001570890{number + 2001:04d}"
        citizen = attach_citizen(
            user=user,
            nik=nik,
            full_name=f"Warga Lacak {number}",
            birth_date=datetime.date(1990, 8, 17),
            sex="F",
        )
        applicants.append((citizen.pk, nik[-4:]))

    today = timezone.localdate()
    days = 730
    sequences: dict[tuple[str, datetime.date], int] = {}
    sample: list[tuple[str, str]] = []
    keep = min(1.0, SAMPLE / max(rows, 1))
    statuses = ["submitted", "in_progress", "approved", "approved", "approved", "rejected"]
    started = time.perf_counter()
    with connection.cursor() as cursor:
        columns = (
            "tracking, region_id, offering_id, standard_version_id, process_id, applicant_id, "
            "channel, data, status, version, lookup_hash, submitted_at, updated_at"
        )
        with cursor.connection.cursor().copy(
            f"COPY cases_application ({columns}) FROM STDIN"
        ) as copy:
            for i in range(rows):
                offering, region, standard, _agency = offerings[i % len(offerings)]
                day = today - datetime.timedelta(days=1 + rng.randrange(days))
                seq = sequences.get((region, day), 0) + 1
                sequences[(region, day)] = seq
                tracking = tracking_number(region, day, seq)
                applicant, nik4 = applicants[rng.randrange(len(applicants))]
                at = datetime.datetime.combine(
                    day, datetime.time(8 + rng.randrange(8), rng.randrange(60)), datetime.UTC
                )
                copy.write_row(
                    (
                        tracking, region, offering, standard, process.pk, applicant,
                        "online", "{}", rng.choice(statuses), 1,
                        public_lookup_hash(tracking, nik4), at, at,
                    )
                )  # fmt: skip
                if rng.random() < keep:
                    sample.append((tracking, nik4))
        copied = time.perf_counter() - started
        cursor.execute(
            "INSERT INTO workflow_step (application_id, region_id, agency_id, key, status, "
            "opened_at, outcome) SELECT a.id, a.region_id, o.agency_id, %s, 'open', "
            "a.submitted_at, '' FROM cases_application a JOIN catalog_offering o "
            "ON o.id = a.offering_id",
            [first_step],
        )
        cursor.execute("ANALYZE")
    return {
        "rows": Application.objects.count(),
        "offerings": len(offerings),
        "regions": len({o[1] for o in offerings}),
        "copy_s": copied,
        "total_s": time.perf_counter() - started,
        "sample": sample,
        "missing": [
            # Numbers past the last sequence of their day: well formed, never issued.
            (tracking_number(region, day, last + 1), applicants[0][1])
            for (region, day), last in rng.sample(sorted(sequences.items()), 2000)
        ],
    }


def fill_process(spec: dict[str, Any]) -> None:
    common.setup_django()
    print(json.dumps(fill(spec["rows"], spec["citizens"], spec["seed"])))


def query_process(spec: dict[str, Any]) -> None:
    """The look-up as the API runs it (an application, else a bundle), timed, and its plan."""
    common.setup_django()
    from mpp.cases import public_status, queries

    def look_up(tracking: str, nik4: str) -> None:
        if public_status.public_status(tracking, nik4) is None:
            queries.public_bundle_status(tracking, nik4)

    sample = [tuple(x) for x in spec["sample"]]
    for tracking, nik4 in sample[:20]:  # warm the connection, the ORM and the parsed process
        look_up(tracking, nik4)
    timings = []
    for tracking, nik4 in sample:
        t0 = time.perf_counter()
        look_up(tracking, nik4)
        timings.append((time.perf_counter() - t0) * 1000)
    missing = []
    for tracking, nik4 in spec["missing"]:
        t0 = time.perf_counter()
        look_up(tracking, nik4)
        missing.append((time.perf_counter() - t0) * 1000)
    tracking, nik4 = sample[0]
    plan = public_status.application_row(tracking, nik4).explain(analyze=True)
    print(
        json.dumps(
            {
                "found_p50": common.percentile(timings, 50),
                "found_p95": common.percentile(timings, 95),
                "missing_p50": common.percentile(missing, 50),
                "missing_p95": common.percentile(missing, 95),
                "plan": plan,
                "index_scan": "Index Scan" in plan or "Index Only Scan" in plan,
            }
        )
    )


# --- Load ----------------------------------------------------------------------------------------


def lookup_load(
    port: int,
    clients: int,
    seconds: float,
    found: list,
    missing: list,
    seed: int,
    pause_ms: int = 0,
) -> common.Result:
    """Half existing numbers with the right digits (200), a quarter never issued, a quarter
    known numbers with the wrong digits (both 404), drawn at random by each request."""
    rng = random.Random(seed)
    existing = rng.sample(found, min(len(found), 2000))
    wrong = [(t, f"{(int(n) + 1) % 10000:04d}") for t, n in rng.sample(found, len(existing) // 2)]
    unknown = rng.sample(missing, min(len(missing), len(existing) // 2))
    requests = [
        ("GET", f"/api/v1/status?tracking={tracking}&nik4={nik4}", {}, "")
        for tracking, nik4 in existing + wrong + unknown
    ]
    return common.run_load(
        port, requests, connections=clients, seconds=seconds, seed=seed, pause_ms=pause_ms
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="applications to fill")
    parser.add_argument("--citizens", type=int, default=200, help="applicants they belong to")
    parser.add_argument("--duration", type=float, default=20, help="measured seconds")
    parser.add_argument("--warmup", type=float, default=3, help="warm-up seconds")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument(
        "--pause", type=int, default=PAUSE_MS, help="ms each client waits in the paced run"
    )
    parser.add_argument("--workers", type=int, default=common.WORKERS, help="gunicorn processes")
    parser.add_argument(
        "--worker-class", default=common.WORKER_CLASS, help="gunicorn worker (sync, gthread)"
    )
    parser.add_argument("--threads", type=int, default=common.THREADS, help="threads per process")
    parser.add_argument("--samples", type=int, default=2000, help="in-process look-ups")
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--no-report", action="store_true", help="do not write docs/benchmarks.md")
    parser.add_argument("--reuse", action="store_true", help="keep the filled database")
    parser.add_argument("--_fill", help=argparse.SUPPRESS)
    parser.add_argument("--_query", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args._fill:
        return fill_process(common.spec_of(args._fill))
    if args._query:
        return query_process(common.spec_of(args._query))

    url = common.database_url(DATABASE)
    info = common.machine()
    with common.workdir("mpp-bench-tracking-") as tmp:
        port = common.bench_http.free_port()
        env = common.server_env(tmp, url, port, args.workers, args.threads, args.worker_class)
        if args.reuse and SAVED.exists():
            print(f"Reusing database {DATABASE} ({SAVED.relative_to(common.ROOT)})")
            (tmp / "prometheus").mkdir()
            filled = json.loads(SAVED.read_text())
        else:
            print(f"Fresh database {DATABASE}: migrate, load_demo, collectstatic")
            common.recreate_database(url)
            print(f"  ready in {common.bench_http.prepare(env):.1f} s")
            print(f"Filling {args.rows:,} applications (COPY)")
            spec = {"rows": args.rows, "citizens": args.citizens, "seed": args.seed}
            filled = common.in_django(__file__, env, "fill", spec)
            SAVED.parent.mkdir(parents=True, exist_ok=True)
            SAVED.write_text(json.dumps(filled))
        print(
            f"  {filled['rows']:,} applications over {filled['offerings']} offerings in "
            f"{filled['regions']} regions: COPY {filled['copy_s']:.1f} s, with steps and ANALYZE "
            f"{filled['total_s']:.1f} s"
        )
        found = [tuple(x) for x in filled["sample"]]
        missing = [tuple(x) for x in filled["missing"]]
        rng = random.Random(args.seed)
        query = common.in_django(
            __file__,
            env,
            "query",
            {
                "sample": rng.sample(found, min(args.samples, len(found))),
                "missing": rng.sample(missing, min(args.samples, len(missing))),
            },
        )
        with common.server(env, port, tmp) as log:
            print(
                f"gunicorn on 127.0.0.1:{port}: {args.workers} {args.worker_class} workers × "
                f"{args.threads} threads"
            )
            lookup_load(port, args.clients, args.warmup, found, missing, args.seed)
            print(
                f"Measuring {args.duration:g} s with {args.clients} clients, each waiting "
                f"{args.pause} ms between look-ups"
            )
            paced = lookup_load(
                port, args.clients, args.duration, found, missing, args.seed + 1, args.pause
            )
            print(f"Measuring {args.duration:g} s with {args.clients} clients back to back")
            flat = lookup_load(port, args.clients, args.duration, found, missing, args.seed + 2)
            print(f"Measuring {args.duration / 2:g} s with one client (no queueing)")
            alone = lookup_load(port, 1, args.duration / 2, found, missing, args.seed + 3)
            errors = common.logged_errors(log)
    figures = {
        "paced": summarise(paced, errors),
        "flat": summarise(flat, []),
        "alone": summarise(alone, []),
    }
    errors_total = sum(f["errors"] for f in figures.values())
    ok = figures["paced"]["p95"] < TARGET_P95_MS and not errors_total and query["index_scan"]
    print_summary(figures, query)
    if not args.no_report:
        write_report(info, args, filled, figures, query, ok)
        print(f"Wrote {common.REPORT.relative_to(common.ROOT)}")
    p = figures["paced"]
    print(
        f"bench-tracking: {filled['rows']:,} applications, {args.clients} clients at "
        f"{p['rps']:.0f} look-ups/s: p95 {p['p95']:.1f} ms (target < {TARGET_P95_MS:g}); back to "
        f"back {figures['flat']['rps']:.0f}/s, p95 {figures['flat']['p95']:.0f} ms; query p95 "
        f"{query['found_p95']:.2f} ms, index scan {'yes' if query['index_scan'] else 'NO'}, "
        f"{errors_total} errors -> {common.verdict(ok)}"
    )


def summarise(result: common.Result, logged: list[str]) -> dict[str, Any]:
    expected = result.statuses.get(200, 0) + result.statuses.get(404, 0)
    return {
        "requests": result.requests,
        "rps": result.rps,
        "p50": result.p50,
        "p95": result.p95,
        "p99": result.p99,
        "max": result.max,
        "found_ok": result.statuses.get(200, 0),
        "errors": result.requests - expected + result.socket_errors + len(logged),
        "statuses": result.statuses,
    }


def print_summary(figures: dict[str, dict[str, Any]], q: dict[str, Any]) -> None:
    print()
    for name, f in figures.items():
        print(
            f"{name}: {f['requests']} look-ups = {f['rps']:.0f}/s; p50 {f['p50']:.1f} ms, p95 "
            f"{f['p95']:.1f} ms, p99 {f['p99']:.1f} ms, max {f['max']:.1f} ms; "
            f"statuses {f['statuses']}"
        )
    print(
        f"Query in process: existing p50/p95 {q['found_p50']:.2f}/{q['found_p95']:.2f} ms, "
        f"missing {q['missing_p50']:.2f}/{q['missing_p95']:.2f} ms\n{q['plan']}"
    )


def write_report(
    info: dict[str, str],
    args: argparse.Namespace,
    filled: dict[str, Any],
    figures: dict[str, dict[str, Any]],
    q: dict[str, Any],
    met: bool,
) -> None:
    paced, flat, alone = figures["paced"], figures["flat"], figures["alone"]
    errors = sum(f["errors"] for f in figures.values())

    def row(label: str, f: dict[str, Any], target: str = "") -> str:
        return (
            f"| {label} | {f['rps']:.0f}/s; {f['p50']:.1f} / {f['p95']:.1f} / {f['p99']:.1f} ms "
            f"| {target} |"
        )

    lines = [
        "## Public tracking look-up with many applications (`tests/bench/bench_tracking.py`)",
        "",
        f"Run on {info['date']}: {info['nproc']} CPU ({info['cpu']}), Python {info['python']}, "
        f"Django {info['django']}, {info['postgres']} (local, default configuration), gunicorn "
        f"{info['gunicorn']} ({args.workers} {args.worker_class} workers × {args.threads} "
        "threads: the production sizing of README), load "
        f"from {info['loadgen']}.",
        "Command: `make bench-tracking` (= `.venv/bin/python tests/bench/bench_tracking.py`).",
        "",
        f"{filled['rows']:,} applications (COPY in {filled['copy_s']:.0f} s) over the "
        f"{filled['offerings']} demo offerings in {filled['regions']} regions, two years of "
        f"days, {args.citizens} applicants, one step each, then ANALYZE. wrk asks "
        "`GET /api/v1/status?tracking=…&nik4=…` over 20 connections: half existing "
        "numbers with the right digits (200), half missing (a number never issued or wrong "
        f"digits, 404); {args.warmup:g} s warm-up, then three runs of {args.duration:g} s "
        f"(the last {args.duration / 2:g} s): {args.clients} clients each waiting {args.pause} ms "
        f"between look-ups (the target's run), the same {args.clients} back to back "
        "(throughput; latency is then queueing: clients ÷ throughput), one client alone. The "
        "rate limit is lifted by `tests/bench/bench_settings.py`.",
        "",
        "| run | look-ups/s; latency p50 / p95 / p99 | target |",
        "|---|---|---|",
        row(
            f"{args.clients} clients, {args.pause} ms between look-ups",
            paced,
            f"p95 < {TARGET_P95_MS:g} ms",
        ),
        row(f"{args.clients} clients back to back", flat),
        row("one client alone", alone),
        "",
        "| measure | result | target |",
        "|---|---|---|",
        f"| answers 200 / 404 (all runs) | "
        f"{sum(f['statuses'].get(200, 0) for f in figures.values())} / "
        f"{sum(f['statuses'].get(404, 0) for f in figures.values())} | |",
        f"| errors (other than 200/404, connection, server log) | {errors} | 0 |",
        f"| `public_status` in process (both queries), existing p50 / p95 | {q['found_p50']:.2f} / "
        f"{q['found_p95']:.2f} ms | |",
        f"| `public_status` then the bundle look-up, missing p50 / p95 | {q['missing_p50']:.2f} / {q['missing_p95']:.2f} ms "
        "| |",
        f"| plan uses an index | {'yes' if q['index_scan'] else '**no**'} | yes |",
        "",
        "EXPLAIN ANALYZE of the look-up:",
        "",
        "```",
        q["plan"],
        "```",
        "",
        f"Result: {'target met' if met else '**target not met**'}.",
    ]
    common.write_section(START, END, lines)


if __name__ == "__main__":
    main()
