"""Submissions under load on PostgreSQL: POST /api/v1/applications from 20 concurrent clients
(target >= 100 submissions/s with p95 < 300 ms on a 2-core machine).

    make bench-submit   # or: .venv/bin/python tests/bench/bench_submit.py [--duration 30]

Drops and creates the PostgreSQL database mpp_bench_submit (server from BENCH_DATABASE_URL,
default postgres://postgres@127.0.0.1:5432; DATABASE_URL is never used), migrates and loads the
demo data with production settings. In that database: 20 citizens of Banyuwangi (35.10), each
with the five documents the akta kelahiran form asks for and an OAuth2 access token with the
`applications` scope. Then the production server (gunicorn --worker-class x --workers x --threads,
by default README's production sizing; DEBUG off, JSON logs at WARNING, access log to /dev/null)
and wrk with --clients connections, filing the demo akta kelahiran form back to back with a
fresh Idempotency-Key per request: a warm-up, then --rounds rounds of --duration seconds. Afterwards the database must hold
one application per 201 answer (no loss, no duplicate; wrk may stop with one request per
connection unanswered, filed but not counted), each with its idempotency record. Last, in process (Django test client, no server): queries per submission, and with
--profile a cProfile of --profile-count submissions.

Writes its section of docs/benchmarks.md (between the bench:submit markers) unless --no-report.
Not collected by pytest (the file name does not start with test_).
"""

import argparse
import json
import sys
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.bench import cases_common as common

START, END = "<!-- bench:submit:start -->", "<!-- bench:submit:end -->"
DATABASE = "mpp_bench_submit"
TARGET_RPS, TARGET_P95_MS = 100.0, 300.0
FATHER = "3510011708900001"  # Banyuwangi, male, 17-08-1990


def nik_of(number: int) -> str:
    """Women of Banyuwangi born 17-08-1990 (day + 40), serials 1001, 1002, … (the demo data
    uses the low serials)."""
    return f"351001570890{number + 1001:04d}"


def form_data(nik: str, documents: list[int]) -> dict[str, Any]:
    """A complete akta kelahiran form (src/mpp/cases/demo_data/forms/akta-kelahiran.json)."""
    birth_notice, ktp_a, ktp_b, kk, marriage = documents
    return {
        "anak_nama": "Bayu Pratama", "anak_jenis_kelamin": "M", "anak_tempat_dilahirkan": "rs",
        "anak_tempat_lahir": "Banyuwangi", "anak_tanggal_lahir": "2025-01-05",
        "anak_jam_lahir": "07:45", "jenis_kelahiran": "tunggal", "kelahiran_ke": "1",
        "penolong_kelahiran": "bidan", "ibu_nik": nik, "ibu_nama": "Warga Bench",
        "ibu_tanggal_lahir": "1990-08-17", "perkawinan_orang_tua": "tercatat",
        "ayah_nik": FATHER, "ayah_nama": "Budi", "pemohon_nik": nik,
        "pemohon_nama": "Warga Bench", "pelapor_hubungan": "ibu",
        "pemohon_telepon": "081200000001",
        "pelapor_alamat": {"street": "Jl. Ahmad Yani 12", "village": "Penganjuran",
                           "district": "Banyuwangi", "region": "35.10"},
        "saksi": [{"nik": FATHER, "nama": "Saksi Satu"}, {"nik": FATHER, "nama": "Saksi Dua"}],
        "ada_surat_keterangan_lahir": "ya", "dok_surat_keterangan_lahir": birth_notice,
        "dok_ktp_orang_tua": [ktp_a, ktp_b], "dok_kk": kk, "dok_buku_nikah": marriage,
        "pernyataan": "on",
    }  # fmt: skip


# --- Inside Django (child processes) -------------------------------------------------------------


def make_citizens(count: int, prefix: str = "bench", first: int = 0) -> dict[str, Any]:
    """`count` citizens with documents and bearer tokens; the offering to apply for."""
    import datetime
    import secrets

    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from oauth2_provider.models import AccessToken
    from oauth2_provider.models import Application as OAuthClient

    from mpp.accounts.registration import attach_citizen
    from mpp.cases.models import Document
    from mpp.catalog.models import Offering

    offering = Offering.objects.get(region_id=common.REGION, template__slug=common.SLUG)
    client = OAuthClient.objects.create(
        name=f"{prefix} client",
        client_type=OAuthClient.CLIENT_PUBLIC,
        authorization_grant_type=OAuthClient.GRANT_AUTHORIZATION_CODE,
        redirect_uris="http://127.0.0.1/callback",
    )
    now = timezone.now()
    citizens = []
    for number in range(first, first + count):
        username = f"{prefix}-{number}"
        user = get_user_model().objects.filter(username=username).first()
        if user is None:  # --reuse: the citizens of an earlier run are taken again
            user = get_user_model().objects.create_user(username=username, password=None)
        citizen = attach_citizen(
            user=user,
            nik=nik_of(number),
            full_name=f"Warga Bench {number}",
            birth_date=datetime.date(1990, 8, 17),
            sex="F",
        )
        documents = list(Document.objects.filter(owner=citizen).order_by("pk")[:5]) or (
            Document.objects.bulk_create(
                Document(
                    owner=citizen,
                    file=f"bench/{number}-{n}.pdf",
                    original_name=f"dokumen-{n}.pdf",
                    content_type="application/pdf",
                    size=1024,
                    sha256="0" * 64,
                    scan=Document.Scan.CLEAN,
                    uploaded_by=user,
                    created_at=now,
                )
                for n in range(5)
            )
        )
        token = AccessToken.objects.create(
            user=user,
            application=client,
            token=secrets.token_urlsafe(32),
            expires=now + datetime.timedelta(days=1),
            scope="applications",
        )
        citizens.append(
            {
                "token": token.token,
                "nik": nik_of(number),
                "body": {
                    "offering_id": offering.pk,
                    "data": form_data(nik_of(number), [d.pk for d in documents]),
                },
            }
        )
    return {"offering_id": offering.pk, "citizens": citizens}


def setup_process(spec: dict[str, Any]) -> None:
    common.setup_django()
    print(json.dumps(make_citizens(spec["clients"])))


def verify_process(spec: dict[str, Any]) -> None:
    common.setup_django()
    from mpp.cases.models import Application, IdempotencyRecord
    from mpp.workflow.models import Step, Transition

    print(
        json.dumps(
            {
                "applications": Application.objects.count(),
                "distinct_trackings": Application.objects.values("tracking").distinct().count(),
                "records": IdempotencyRecord.objects.count(),
                "records_without_application": IdempotencyRecord.objects.filter(
                    application__isnull=True
                ).count(),
                "applications_without_steps": Application.objects.exclude(
                    pk__in=Step.objects.values("application_id")
                ).count(),
                "submit_transitions": Transition.objects.filter(action="submit").count(),
            }
        )
    )


def count_queries(body: dict[str, Any], token: str, submissions: int) -> dict[str, Any]:
    """Queries per submission through the test client (no server), averaged, plus the list of
    one submission's queries."""
    import time

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def submit() -> int:
        key = str(uuid.uuid4())
        response = client.post(
            "/api/v1/applications",
            data=json.dumps(body),
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=key,
            **headers,
        )
        if response.status_code != 201:
            raise SystemExit(f"submission answered {response.status_code}: {response.content!r}")
        return response.status_code

    for _ in range(3):  # warm: content types, parsed definitions, templates
        submit()
    with CaptureQueriesContext(connection) as one:
        submit()
    counts = []
    t0 = time.perf_counter()
    for _ in range(submissions):
        with CaptureQueriesContext(connection) as each:
            submit()
        counts.append(len(each.captured_queries))
    elapsed = time.perf_counter() - t0
    return {
        "queries": sum(counts) / len(counts),
        "ms": elapsed / submissions * 1000,
        "sql": [
            f"{float(q['time']) * 1000:6.1f} ms  {q['sql'][:140]}" for q in one.captured_queries
        ],
    }


def queries_process(spec: dict[str, Any]) -> None:
    common.setup_django()
    setup = make_citizens(1, prefix="bench-queries", first=900)
    citizen = setup["citizens"][0]
    result = count_queries(citizen["body"], citizen["token"], spec["submissions"])
    if spec.get("profile"):
        import cProfile
        import io
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        count_queries(citizen["body"], citizen["token"], spec["profile"])
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats(spec.get("sort", "cumulative"))
        stats.print_stats(40)
        stats.print_stats("mpp/", 40)  # the project's own functions
        print(out.getvalue())
    print(json.dumps(result))


# --- Load ----------------------------------------------------------------------------------------


def submit_load(
    port: int, citizens: list[dict[str, Any]], connections: int, seconds: float
) -> common.Result:
    """Each request files for one of the citizens (their token, their documents) with a fresh
    Idempotency-Key."""
    requests = [
        (
            "POST",
            "/api/v1/applications",
            {
                "Authorization": f"Bearer {citizen['token']}",
                "Content-Type": "application/json",
                "Idempotency-Key": "{key}",
            },
            json.dumps(citizen["body"]),
        )
        for citizen in citizens
    ]
    return common.run_load(port, requests, connections=connections, seconds=seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=10, help="seconds of each round")
    parser.add_argument("--rounds", type=int, default=5, help="measured rounds (medians)")
    parser.add_argument("--warmup", type=float, default=5, help="warm-up seconds")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", type=int, default=common.WORKERS, help="gunicorn processes")
    parser.add_argument(
        "--worker-class", default=common.WORKER_CLASS, help="gunicorn worker (sync, gthread)"
    )
    parser.add_argument("--threads", type=int, default=common.THREADS, help="threads per process")
    parser.add_argument("--submissions", type=int, default=20, help="in-process query count")
    parser.add_argument("--profile", type=int, default=0, help="cProfile N submissions")
    parser.add_argument("--no-report", action="store_true", help="do not write docs/benchmarks.md")
    parser.add_argument("--reuse", action="store_true", help="keep the database of the last run")
    parser.add_argument("--sort", default="cumulative", help="cProfile order (tottime, …)")
    parser.add_argument(
        "--no-load", action="store_true", help="only the in-process queries (and --profile)"
    )
    for mode in ("setup", "verify", "queries"):
        parser.add_argument(f"--_{mode}", help=argparse.SUPPRESS)
    args = parser.parse_args()
    for mode, run in (("setup", setup_process), ("verify", verify_process)):
        if getattr(args, f"_{mode}"):
            return run(common.spec_of(getattr(args, f"_{mode}")))
    if args._queries:
        return queries_process(common.spec_of(args._queries))

    url = common.database_url(DATABASE)
    info = common.machine()
    with common.workdir("mpp-bench-submit-") as tmp:
        port = common.bench_http.free_port()
        env = common.server_env(tmp, url, port, args.workers, args.threads, args.worker_class)
        if args.reuse:
            print(f"Reusing database {DATABASE}")
            (tmp / "prometheus").mkdir()
        else:
            print(f"Fresh database {DATABASE}: migrate, load_demo, collectstatic")
            common.recreate_database(url)
            print(f"  ready in {common.bench_http.prepare(env):.1f} s")
        if args.no_load:  # profile the code without a server
            spec = {"submissions": args.submissions, "profile": args.profile, "sort": args.sort}
            queries = common.in_django(__file__, env, "queries", spec)
            print(f"In process: {queries['queries']:.1f} queries, {queries['ms']:.1f} ms each")
            print("\n".join(queries["sql"]))
            return
        before = common.in_django(__file__, env, "verify", {})
        setup = common.in_django(__file__, env, "setup", {"clients": args.clients})
        citizens = setup["citizens"]
        print(f"  {len(citizens)} citizens with documents and bearer tokens")
        with common.server(env, port, tmp) as log:
            print(
                f"gunicorn on 127.0.0.1:{port}: {args.workers} {args.worker_class} workers × "
                f"{args.threads} threads"
            )
            warm = submit_load(port, citizens, args.clients, args.warmup)
            print(f"Warm-up {args.warmup:g} s: {warm.requests} requests")
            rounds = []
            for number in range(1, args.rounds + 1):
                result = submit_load(port, citizens, args.clients, args.duration)
                print(
                    f"Round {number}: {args.duration:g} s with {args.clients} clients: "
                    f"{result.statuses.get(201, 0) / result.seconds:.1f}/s, p95 {result.p95:.0f} ms"
                )
                rounds.append(result)
            errors = common.logged_errors(log)
        checks = common.in_django(__file__, env, "verify", {})
        created = sum(r.statuses.get(201, 0) for r in [warm, *rounds])
        checks = {k: v - before[k] for k, v in checks.items()}
        queries = common.in_django(
            __file__,
            env,
            "queries",
            {"submissions": args.submissions, "profile": args.profile, "sort": args.sort},
        )
    # wrk stops at its deadline without waiting for answers in flight: up to one request per
    # client in each run may have been filed without its 201 being counted.
    in_flight = (1 + args.rounds) * args.clients
    figures = summarise(rounds, created, in_flight, checks, queries, errors)
    print_summary(figures, queries)
    if not args.no_report:
        write_report(info, args, figures, queries)
        print(f"Wrote {common.REPORT.relative_to(common.ROOT)}")
    ok = figures["rps"] >= TARGET_RPS and figures["p95"] < TARGET_P95_MS and figures["consistent"]
    print(
        f"bench-submit: {figures['rps']:.1f} submissions/s (target >= {TARGET_RPS:g}), "
        f"p95 {figures['p95']:.0f} ms (target < {TARGET_P95_MS:g}), "
        f"{figures['errors']} errors, database {'consistent' if figures['consistent'] else 'NOT consistent'}"
        f" -> {common.verdict(ok)}"
    )


def summarise(
    rounds: list[common.Result],
    created: int,
    in_flight: int,
    checks: dict[str, int],
    queries: dict[str, Any],
    logged: list[str],
) -> dict[str, Any]:
    """Per round, and the medians of the rounds (the machine is noisy: one run proves little)."""
    each = [
        {
            "rps": r.statuses.get(201, 0) / r.seconds if r.seconds else 0.0,
            "p50": r.p50,
            "p95": r.p95,
            "p99": r.p99,
            "max": r.max,
        }
        for r in rounds
    ]
    statuses: dict[int, int] = {}
    for r in rounds:
        for status, count in r.statuses.items():
            statuses[status] = statuses.get(status, 0) + count
    ok = statuses.get(201, 0)
    filed = checks["applications"]
    consistent = (
        created <= filed <= created + in_flight
        and checks["distinct_trackings"] == filed
        and checks["records"] == filed
        and checks["records_without_application"] == 0
        and checks["applications_without_steps"] == 0
        and checks["submit_transitions"] == filed
    )
    return {
        "rounds": each,
        "requests": sum(r.requests for r in rounds),
        "ok": ok,
        "rps": common.median([e["rps"] for e in each]),
        "p50": common.median([e["p50"] for e in each]),
        "p95": common.median([e["p95"] for e in each]),
        "p99": common.median([e["p99"] for e in each]),
        "max": max(e["max"] for e in each),
        "errors": sum(r.requests - r.statuses.get(201, 0) + r.socket_errors for r in rounds),
        "statuses": statuses,
        "created": created,
        "in_flight": in_flight,
        "checks": checks,
        "consistent": consistent,
        "logged_errors": len(logged),
        "seconds": sum(r.seconds for r in rounds),
    }


def print_summary(figures: dict[str, Any], queries: dict[str, Any]) -> None:
    print(
        f"\n{figures['ok']} submissions in {figures['seconds']:.1f} s; medians of "
        f"{len(figures['rounds'])} rounds: "
        f"{figures['rps']:.1f}/s; p50 {figures['p50']:.0f} ms, p95 {figures['p95']:.0f} ms, "
        f"p99 {figures['p99']:.0f} ms, max {figures['max']:.0f} ms; statuses {figures['statuses']}"
        f", errors {figures['errors']}, server-logged errors {figures['logged_errors']}"
    )
    print(f"201 answers (warm-up + run): {figures['created']}; database: {figures['checks']}")
    print(
        f"In process: {queries['queries']:.1f} queries and {queries['ms']:.1f} ms per submission."
        " Queries of one submission:"
    )
    for number, text in enumerate(queries["sql"], 1):
        print(f"  {number:2d}. {text}")


def write_report(
    info: dict[str, str], args: argparse.Namespace, f: dict[str, Any], q: dict[str, Any]
) -> None:
    met = f["rps"] >= TARGET_RPS and f["p95"] < TARGET_P95_MS
    lines = [
        "## Submissions under load (`tests/bench/bench_submit.py`)",
        "",
        f"Run on {info['date']}: {info['nproc']} CPU ({info['cpu']}), Python {info['python']}, "
        f"Django {info['django']}, {info['postgres']} (local, default configuration), gunicorn "
        f"{info['gunicorn']} ({args.workers} {args.worker_class} workers × {args.threads} "
        "threads: the production sizing of README), load "
        f"from {info['loadgen']}.",
        "Command: `make bench-submit` (= `.venv/bin/python tests/bench/bench_submit.py`).",
        "",
        f"{args.clients} citizens, each with a bearer token (scope `applications`), file the "
        "demo akta kelahiran form of Banyuwangi (35.10; 33 fields, 5 attached documents) back "
        "to back from 20 connections (wrk; each request files for one of the citizens "
        "at random), a fresh `Idempotency-Key` per request: "
        f"{args.warmup:g} s warm-up, then {args.rounds} rounds of {args.duration:g} s; the "
        "machine is noisy, so the target is judged on the medians of the rounds.",
        "",
        "| round | submissions/s | p50 / p95 / p99 / max ms |",
        "|---|---|---|",
        *(
            f"| {n} | {e['rps']:.1f} | {e['p50']:.0f} / {e['p95']:.0f} / {e['p99']:.0f} / "
            f"{e['max']:.0f} |"
            for n, e in enumerate(f["rounds"], 1)
        ),
        "",
        "| measure (medians of the rounds) | result | target |",
        "|---|---|---|",
        f"| submissions/s (201 answers) | {f['rps']:.1f} | ≥ {TARGET_RPS:g} |",
        f"| latency p50 | {f['p50']:.0f} ms | |",
        f"| latency p95 | {f['p95']:.0f} ms | < {TARGET_P95_MS:g} ms |",
        f"| latency p99 / max of all | {f['p99']:.0f} / {f['max']:.0f} ms | |",
        f"| errors (non-201 answers + connection errors) | {f['errors']} | 0 |",
        f"| applications in the database = 201 answers (warm-up + rounds) | "
        f"{f['checks']['applications']} for {f['created']} (+ at most {f['in_flight']} in flight at "
        "the stop), each with its key, steps and `submit` transition: "
        f"{'yes' if f['consistent'] else '**no**'} | yes |",
        f"| queries per submission (in process, test client) | {q['queries']:.0f} | |",
        f"| in-process ms per submission (one client, no server) | {q['ms']:.1f} | |",
        "",
        f"Result: {'target met' if met else '**target not met**'}.",
    ]
    common.write_section(START, END, lines)


if __name__ == "__main__":
    main()
