"""Catalogue search benchmark: relevance (hit@1, hit@3) and latency, on the demo catalogue
offered in all 514 kabupaten/kota.

    make bench        # or: .venv/bin/python tests/bench/bench_search.py [--iterations N]

Builds a fresh database (SQLite in a temporary directory; BENCH_DATABASE_URL=postgres://... to
use an empty PostgreSQL database instead: DATABASE_URL is deliberately not used, so a developer's
database is never filled), migrates, loads the demo data, onboards every kabupaten/kota with
`catalog.services.onboard_region`, then measures and writes its section of docs/benchmarks.md.
Not collected by pytest (the file name does not start with test_).
"""

import argparse
import datetime
import json
import os
import platform
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
QUERY_SET = Path(__file__).with_name("search_queries.json")
REPORT = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- bench:search:start -->", "<!-- bench:search:end -->"


def setup_django() -> str | None:
    """Point Django at the benchmark database; returns the temporary directory to remove."""
    tmp = None
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url:
        tmp = tempfile.mkdtemp(prefix="mpp-bench-")
        url = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "mpp.config.settings_test"
    os.environ["MPP_DEMO"] = "true"
    os.environ.setdefault("MPP_VAR_DIR", tmp or tempfile.gettempdir())
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    return tmp


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def machine() -> dict[str, str]:
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.MULTILINE)
        cpu = found.group(1).strip() if found else cpu
    from django import get_version
    from django.db import connection

    database = connection.vendor
    if database == "sqlite":
        import sqlite3

        database = f"SQLite {sqlite3.sqlite_version}"
    return {
        "date": datetime.date.today().isoformat(),
        "nproc": str(len(os.sched_getaffinity(0))),
        "cpu": cpu,
        "python": platform.python_version(),
        "django": get_version(),
        "database": database,
    }


def prepare() -> tuple[int, int, float]:
    """Migrate, load the demo data, onboard every kabupaten/kota; (regions, offerings, seconds)."""
    from django.core.management import call_command

    from mpp.catalog import services
    from mpp.catalog.models import Offering
    from mpp.regions.models import Region

    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    codes = list(
        Region.objects.filter(level=Region.Level.KABKOTA)
        .order_by("code")
        .values_list("code", flat=True)
    )
    started = time.perf_counter()
    for number, code in enumerate(codes, 1):
        services.onboard_region(actor=None, region_code=code)
        if number % 100 == 0:
            print(
                f"  onboarded {number}/{len(codes)} regions ({time.perf_counter() - started:.0f} s)"
            )
    seconds = time.perf_counter() - started
    return len(codes), Offering.objects.count(), seconds


def relevance(queries: list[dict]) -> dict[str, dict[str, float]]:
    from mpp.catalog.models import ServiceTemplate
    from mpp.catalog.search import rank_templates

    slugs = dict(ServiceTemplate.objects.values_list("pk", "slug"))
    groups: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
    misses = []
    for query in queries:
        found = [slugs[i] for i in rank_templates(query["q"])[:3]]
        hit1, hit3 = (
            found[:1] and found[0] in query["expect"],
            bool(set(found) & set(query["expect"])),
        )
        for group in ("all", f"set: {query['set']}", f"kind: {query['kind']}"):
            groups[group].append((bool(hit1), hit3))
        if not hit1:
            misses.append(
                f"  {'hit@3' if hit3 else 'MISS '} {query['q']!r}: {found} (want {query['expect']})"
            )
    if misses:
        print("Queries not answered first:", *misses, sep="\n")
    return {
        group: {
            "n": len(hits),
            "hit@1": sum(h1 for h1, _ in hits) / len(hits),
            "hit@3": sum(h3 for _, h3 in hits) / len(hits),
        }
        for group, hits in sorted(groups.items())
    }


def latency(queries: list[dict], iterations: int) -> dict[str, float]:
    """Milliseconds per search: rank_templates, then keep the region's active offerings in rank
    order (what catalog/queries.py does)."""
    from mpp.catalog import search
    from mpp.catalog.models import Offering
    from mpp.catalog.search import rank_templates
    from mpp.regions.models import Region

    codes = list(Region.objects.filter(level=Region.Level.KABKOTA).values_list("code", flat=True))
    texts = [q["q"] for q in queries]
    rng = random.Random(2026)
    search.clear_cache()  # and forget the stemmer: as in a fresh process
    search.stem.cache_clear()
    search._stemmer.cache_clear()
    started = time.perf_counter()
    rank_templates("ktp")
    cold = (time.perf_counter() - started) * 1000
    ranking, total = [], []
    for _ in range(iterations):
        text, code = rng.choice(texts), rng.choice(codes)
        t0 = time.perf_counter()
        ids = rank_templates(text)
        t1 = time.perf_counter()
        offered = set(
            Offering.objects.filter(
                region_id=code, template_id__in=ids, is_active=True
            ).values_list("template_id", flat=True)
        )
        results = [i for i in ids if i in offered]
        t2 = time.perf_counter()
        assert len(results) == len(ids), (text, code)  # every region offers every template
        ranking.append((t1 - t0) * 1000)
        total.append((t2 - t0) * 1000)
    return {
        "cold": cold,
        "rank p50": statistics.median(ranking),
        "rank p95": percentile(ranking, 95),
        "p50": statistics.median(total),
        "p95": percentile(total, 95),
        "p99": percentile(total, 99),
        "max": max(total),
    }


def write_report(info: dict, prep: tuple[int, int, float], rel: dict, lat: dict, n: int) -> None:
    regions, offerings, onboard_seconds = prep
    overall = rel["all"]
    lines = [
        START,
        "## Catalogue search (`catalog.search.rank_templates`)",
        "",
        f"Run on {info['date']}: {info['nproc']} CPU ({info['cpu']}), Python {info['python']}, "
        f"Django {info['django']}, {info['database']}.",
        "Command: `make bench` (= `.venv/bin/python tests/bench/bench_search.py`).",
        "",
        "| measure | result | target |",
        "|---|---|---|",
        f"| hit@1 ({overall['n']} queries, `tests/bench/search_queries.json`) | {overall['hit@1']:.3f} | |",
        f"| hit@3 | {overall['hit@3']:.3f} | ≥ 0.9 |",
        f"| latency p50, search + region intersection ({n} searches × random region) | {lat['p50']:.2f} ms | |",
        f"| latency p95 | {lat['p95']:.2f} ms | < 50 ms |",
        f"| latency p99 / max | {lat['p99']:.2f} / {lat['max']:.2f} ms | |",
        f"| `rank_templates` alone p50 / p95 | {lat['rank p50']:.2f} / {lat['rank p95']:.2f} ms | |",
        f"| first search in a process (builds the index) | {lat['cold']:.0f} ms | |",
        f"| onboarding {regions} kabupaten/kota with `onboard_region` ({offerings} offerings) | {onboard_seconds:.0f} s | |",
        "",
        "Relevance by group:",
        "",
        "| group | queries | hit@1 | hit@3 |",
        "|---|---|---|---|",
        *(
            f"| {group} | {r['n']} | {r['hit@1']:.3f} | {r['hit@3']:.3f} |"
            for group, r in rel.items()
            if group != "all"
        ),
        "",
        "'tuning' queries were written together with the synonym table; 'holdout' queries were "
        "written afterwards and not tuned on. A query counts as a hit when one of its expected "
        "templates is in the first k results. Latency is measured in-process (no HTTP), on the "
        "database named above, with the index already built (it is rebuilt only when templates "
        "change).",
        END,
    ]
    section = "\n".join(lines)
    text = REPORT.read_text(encoding="utf-8") if REPORT.exists() else "# Benchmarks\n\n"
    if START in text and END in text:
        text = text[: text.index(START)] + section + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=5000, help="timed searches")
    parser.add_argument("--no-report", action="store_true", help="do not write docs/benchmarks.md")
    args = parser.parse_args()
    tmp = setup_django()
    try:
        queries = json.loads(QUERY_SET.read_text(encoding="utf-8"))["queries"]
        info = machine()
        print(
            f"Preparing: migrate, demo data, onboarding every kabupaten/kota ({info['database']})"
        )
        prep = prepare()
        print(f"Onboarded {prep[0]} regions ({prep[1]} offerings) in {prep[2]:.1f} s")
        rel = relevance(queries)
        for group, r in rel.items():
            print(f"{group:>22}: n={r['n']:3d}  hit@1={r['hit@1']:.3f}  hit@3={r['hit@3']:.3f}")
        lat = latency(queries, args.iterations)
        print(
            f"Latency over {args.iterations} searches: p50 {lat['p50']:.2f} ms, p95 {lat['p95']:.2f} ms, "
            f"p99 {lat['p99']:.2f} ms, max {lat['max']:.2f} ms (rank alone p50 {lat['rank p50']:.2f}, "
            f"p95 {lat['rank p95']:.2f}; cold {lat['cold']:.0f} ms)"
        )
        if not args.no_report:
            write_report(info, prep, rel, lat, args.iterations)
            print(f"Wrote {REPORT.relative_to(ROOT)}")
        ok = rel["all"]["hit@3"] >= 0.9 and lat["p95"] < 50
        print("Targets (hit@3 >= 0.9, p95 < 50 ms):", "met" if ok else "NOT MET")
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
