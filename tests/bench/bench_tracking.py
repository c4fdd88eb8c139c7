"""Public tracking look-up with 1,000,000 applications on PostgreSQL: GET /api/v1/status from 20
concurrent clients (target p95 < 30 ms), and the query alone.

    make bench-tracking   # or: .venv/bin/python tests/bench/bench_tracking.py [--rows 1000000]

Drops and creates the PostgreSQL database mpp_bench_tracking (server from BENCH_DATABASE_URL,
default postgres://postgres@127.0.0.1:5432; DATABASE_URL is never used), migrates, loads the
demo data, then fills --rows applications with COPY: every active offering of the demo, days
spread over the last two years, per region and day sequence numbers, real tracking numbers (Damm
check digit) and `lookup_hash` values computed as `cases.services.public_lookup_hash` does, for
--citizens applicants; one open step each. ANALYZE. Then the production server (DEBUG off, the
status rate limit lifted by tests/bench/bench_settings.py) and --clients keep-alive clients
asking for random existing numbers (with the right last four NIK digits) and missing ones (an
unknown number, or a known one with wrong digits) for --duration seconds. In process:
EXPLAIN ANALYZE of the look-up and its time over --samples random numbers.

Writes its section of docs/benchmarks.md (between the bench:tracking markers) unless --no-report.
"""

import argparse
import contextlib
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
WORKERS, THREADS = 2, 4
SAMPLE = 20_000  # known (tracking, nik4) pairs handed to the load generator


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
    from mpp.workflow.engine import process_for

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
    """The look-up as the API runs it (queries.public_status), timed, and its plan."""
    common.setup_django()
    from mpp.cases import queries
    from mpp.cases.models import Application
    from mpp.cases.services import public_lookup_hash
    from mpp.core.errors import NotFound

    sample = [tuple(x) for x in spec["sample"]]
    for tracking, nik4 in sample[:20]:  # warm the connection and the ORM
        queries.public_status(tracking, nik4)
    timings = []
    for tracking, nik4 in sample:
        t0 = time.perf_counter()
        queries.public_status(tracking, nik4)
        timings.append((time.perf_counter() - t0) * 1000)
    missing = []
    for tracking, nik4 in spec["missing"]:
        t0 = time.perf_counter()
        with contextlib.suppress(NotFound):
            queries.public_status(tracking, nik4)
        missing.append((time.perf_counter() - t0) * 1000)
    tracking, nik4 = sample[0]
    plan = Application.objects.filter(
        tracking=tracking, lookup_hash=public_lookup_hash(tracking, nik4)
    ).explain(analyze=True)
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
    port: int, clients: int, seconds: float, found: list, missing: list, seed: int
) -> common.Result:
    rngs = [random.Random(seed + c) for c in range(clients)]

    def next_request(client: int, n: int) -> common.Request:
        rng = rngs[client]
        if rng.random() < 0.5:
            tracking, nik4 = rng.choice(found)
            kind = "found"
        elif rng.random() < 0.5:
            tracking, nik4 = rng.choice(missing)
            kind = "missing"
        else:  # a known number with the wrong digits
            tracking, nik4 = rng.choice(found)
            nik4 = f"{(int(nik4) + 1) % 10000:04d}"
            kind = "missing"
        return ("GET", f"/api/v1/status?tracking={tracking}&nik4={nik4}", {}, None, kind)

    return common.run_load(port, clients, seconds, next_request)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="applications to fill")
    parser.add_argument("--citizens", type=int, default=200, help="applicants they belong to")
    parser.add_argument("--duration", type=float, default=20, help="measured seconds")
    parser.add_argument("--warmup", type=float, default=3, help="warm-up seconds")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", type=int, default=WORKERS, help="gunicorn processes")
    parser.add_argument("--threads", type=int, default=THREADS, help="threads per process")
    parser.add_argument("--samples", type=int, default=2000, help="in-process look-ups")
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--no-report", action="store_true", help="do not write docs/benchmarks.md")
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
        env = common.server_env(tmp, url, port, args.workers, args.threads)
        print(f"Fresh database {DATABASE}: migrate, load_demo, collectstatic")
        common.recreate_database(url)
        print(f"  ready in {common.bench_http.prepare(env):.1f} s")
        print(f"Filling {args.rows:,} applications (COPY)")
        spec = {"rows": args.rows, "citizens": args.citizens, "seed": args.seed}
        filled = common.in_django(__file__, env, "fill", spec)
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
            print(f"gunicorn on 127.0.0.1:{port}: {args.workers} workers × {args.threads} threads")
            lookup_load(port, args.clients, args.warmup, found, missing, args.seed)
            print(f"Measuring {args.duration:g} s with {args.clients} clients")
            result = lookup_load(port, args.clients, args.duration, found, missing, args.seed + 1)
            print(f"Measuring {args.duration / 2:g} s with one client (no queueing)")
            alone = lookup_load(port, 1, args.duration / 2, found, missing, args.seed + 2)
            errors = common.logged_errors(log)
    figures = summarise(result, errors)
    figures["alone"] = summarise(alone, [])
    print_summary(figures, query)
    if not args.no_report:
        write_report(info, args, filled, figures, query)
        print(f"Wrote {common.REPORT.relative_to(common.ROOT)}")
    ok = figures["p95"] < TARGET_P95_MS and not figures["errors"] and query["index_scan"]
    print(
        f"bench-tracking: {filled['rows']:,} applications, {figures['rps']:.0f} look-ups/s, "
        f"p95 {figures['p95']:.1f} ms (target < {TARGET_P95_MS:g}), query p95 "
        f"{query['found_p95']:.2f} ms, index scan {'yes' if query['index_scan'] else 'NO'}, "
        f"{figures['errors']} errors -> {common.verdict(ok)}"
    )


def summarise(result: common.Result, logged: list[str]) -> dict[str, Any]:
    expected = result.statuses.get(200, 0) + result.statuses.get(404, 0)
    found, missing = result.by_kind.get("found", []), result.by_kind.get("missing", [])
    return {
        "requests": result.requests,
        "rps": result.requests / result.seconds if result.seconds else 0.0,
        "p50": result.percentile(50),
        "p95": result.percentile(95),
        "p99": result.percentile(99),
        "found_p50": common.percentile(found, 50),
        "found_p95": common.percentile(found, 95),
        "missing_p50": common.percentile(missing, 50),
        "missing_p95": common.percentile(missing, 95),
        "found_ok": result.statuses.get(200, 0),
        "found": len(found),
        "errors": result.requests - expected + result.exceptions + len(logged),
        "statuses": result.statuses,
    }


def print_summary(f: dict[str, Any], q: dict[str, Any]) -> None:
    print(
        f"\n{f['requests']} look-ups = {f['rps']:.0f}/s; p50 {f['p50']:.1f} ms, p95 "
        f"{f['p95']:.1f} ms, p99 {f['p99']:.1f} ms; existing p50/p95 {f['found_p50']:.1f}/"
        f"{f['found_p95']:.1f} ms, missing {f['missing_p50']:.1f}/{f['missing_p95']:.1f} ms; "
        f"statuses {f['statuses']} ({f['found_ok']} of {f['found']} existing found)"
    )
    a = f["alone"]
    print(
        f"One client: {a['rps']:.0f}/s; p50 {a['p50']:.1f} ms, p95 {a['p95']:.1f} ms, "
        f"p99 {a['p99']:.1f} ms"
    )
    print(
        f"Query in process: existing p50/p95 {q['found_p50']:.2f}/{q['found_p95']:.2f} ms, "
        f"missing {q['missing_p50']:.2f}/{q['missing_p95']:.2f} ms\n{q['plan']}"
    )


def write_report(
    info: dict[str, str],
    args: argparse.Namespace,
    filled: dict[str, Any],
    f: dict[str, Any],
    q: dict[str, Any],
) -> None:
    met = f["p95"] < TARGET_P95_MS and not f["errors"] and q["index_scan"]
    lines = [
        "## Public tracking look-up with many applications (`tests/bench/bench_tracking.py`)",
        "",
        f"Run on {info['date']}: {info['nproc']} CPU ({info['cpu']}), Python {info['python']}, "
        f"Django {info['django']}, {info['postgres']} (local, default configuration), gunicorn "
        f"{info['gunicorn']} ({args.workers} workers × {args.threads} threads, gthread), load "
        f"from {info['loadgen']}.",
        "Command: `make bench-tracking` (= `.venv/bin/python tests/bench/bench_tracking.py`).",
        "",
        f"{filled['rows']:,} applications (COPY in {filled['copy_s']:.0f} s) over the "
        f"{filled['offerings']} demo offerings in {filled['regions']} regions, two years of "
        f"days, {args.citizens} applicants, one step each, then ANALYZE. {args.clients} "
        "keep-alive clients ask `GET /api/v1/status?tracking=…&nik4=…`: half existing numbers "
        "with the right digits (200), half missing (an unknown number or wrong digits, 404); "
        f"{args.warmup:g} s warm-up, {args.duration:g} s measured; the rate limit is lifted "
        "by `tests/bench/bench_settings.py`.",
        "",
        "| measure | result | target |",
        "|---|---|---|",
        f"| look-ups/s | {f['rps']:.0f} | |",
        f"| latency p50 / p95 / p99, all | {f['p50']:.1f} / {f['p95']:.1f} / {f['p99']:.1f} ms "
        f"| p95 < {TARGET_P95_MS:g} ms |",
        f"| latency p50 / p95, existing (200) | {f['found_p50']:.1f} / {f['found_p95']:.1f} ms | |",
        f"| latency p50 / p95, missing (404) | {f['missing_p50']:.1f} / "
        f"{f['missing_p95']:.1f} ms | |",
        f"| one client alone: look-ups/s, p50 / p95 | {f['alone']['rps']:.0f}, "
        f"{f['alone']['p50']:.1f} / {f['alone']['p95']:.1f} ms | |",
        f"| errors (other than 200/404, connection, server log) | {f['errors']} | 0 |",
        f"| `queries.public_status` in process (ORM with its joins), existing p50 / p95 | {q['found_p50']:.2f} / "
        f"{q['found_p95']:.2f} ms | |",
        f"| `queries.public_status`, missing p50 / p95 | {q['missing_p50']:.2f} / {q['missing_p95']:.2f} ms "
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
