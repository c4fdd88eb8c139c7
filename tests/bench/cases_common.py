"""Shared by bench_submit.py and bench_tracking.py: a fresh PostgreSQL database, the production
server on it, code that runs inside Django in a child process, a keep-alive load generator and
the report section writer. Not collected by pytest."""

import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # tests.bench.*, as when run from the repository root

from tests.bench import bench_http  # noqa: E402

REPORT = ROOT / "docs" / "benchmarks.md"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/{name}"
REGION, SLUG = "35.10", "akta-kelahiran"


def database_url(name: str) -> str:
    """BENCH_DATABASE_URL picks the server (its database name is replaced by `name`); the
    developer's DATABASE_URL is never used, so their database is never dropped."""
    base = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL.format(name=name)
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"/{name}"))


def recreate_database(url: str, prefix: str = "mpp_bench") -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.startswith(prefix):
        raise SystemExit(f"refusing to drop {name!r}: only databases named {prefix}* are dropped")
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def sql(url: str, query: str, params: tuple = ()) -> list[tuple]:
    import psycopg

    with psycopg.connect(urlunsplit(urlsplit(url)._replace(scheme="postgresql"))) as conn:
        return conn.execute(query, params).fetchall()


def server_env(tmp: Path, url: str, port: int, workers: int, threads: int) -> dict[str, str]:
    env = bench_http.server_env(tmp, url, port)
    env.update({"WEB_CONCURRENCY": str(workers), "MPP_THREADS": str(threads)})
    return env


@contextmanager
def server(env: dict[str, str], port: int, tmp: Path) -> Iterator[Path]:
    """The production gunicorn of bench_http.py; yields its log file."""
    log = tmp / "gunicorn.log"
    process = bench_http.start_server(env, port, log)
    try:
        yield log
    finally:
        bench_http.stop_server(process)


def logged_errors(log: Path) -> list[str]:
    return [line for line in log.read_text().splitlines() if '"level": "ERROR"' in line]


@contextmanager
def workdir(prefix: str) -> Iterator[Path]:
    import shutil

    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def in_django(script: str, env: dict[str, str], mode: str, spec: dict[str, Any]) -> Any:
    """Run `script --_<mode> -` with the server's environment and `spec` as JSON on stdin; its
    last stdout line is the JSON answer (anything printed before it is shown)."""
    done = subprocess.run(
        [sys.executable, script, f"--_{mode}", "-"],
        env=env,
        cwd=ROOT,
        input=json.dumps(spec),
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"{mode} failed:\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}")
    *shown, last = done.stdout.rstrip("\n").split("\n")
    if shown:
        print("\n".join(shown))
    return json.loads(last)


def spec_of(value: str) -> dict[str, Any]:
    return json.loads(sys.stdin.read() if value == "-" else value)


def setup_django() -> None:
    import django

    django.setup()


# --- Load ----------------------------------------------------------------------------------------


@dataclass
class Result:
    latencies_ms: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    exceptions: int = 0
    seconds: float = 0.0
    by_kind: dict[str, list[float]] = field(default_factory=dict)

    @property
    def requests(self) -> int:
        return len(self.latencies_ms)

    def percentile(self, p: float, values: list[float] | None = None) -> float:
        return percentile(self.latencies_ms if values is None else values, p)


# A request: (method, path, headers, body bytes or None, kind label).
Request = tuple[str, str, dict[str, str], bytes | None, str]


def run_load(
    port: int,
    clients: int,
    seconds: float,
    next_request: Callable[[int, int], Request],
    on_response: Callable[[int, Request, int, bytes], None] | None = None,
) -> Result:
    """`clients` threads, one keep-alive HTTP/1.1 connection each, back to back for `seconds`.
    next_request(client, n) gives the client's n-th request."""
    result = Result()
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def worker(client: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        local: list[tuple[float, int, str]] = []
        failed = 0
        n = 0
        while time.perf_counter() < stop:
            request = next_request(client, n)
            method, path, headers, body, kind = request
            n += 1
            t0 = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                payload = response.read()
            except (OSError, http.client.HTTPException):
                failed += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                continue
            local.append(((time.perf_counter() - t0) * 1000, response.status, kind))
            if on_response is not None:
                on_response(client, request, response.status, payload)
        conn.close()
        with lock:
            result.exceptions += failed
            for ms, status, kind in local:
                result.latencies_ms.append(ms)
                result.statuses[status] = result.statuses.get(status, 0) + 1
                result.by_kind.setdefault(kind, []).append(ms)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(c,)) for c in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - started
    return result


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


# --- Report --------------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    info = bench_http.machine("Python http.client threads in one process (same machine)")
    version = sql(database_url("postgres"), "SHOW server_version")[0][0]
    info["postgres"] = f"PostgreSQL {version.split()[0]}"
    return info


def write_section(start: str, end: str, lines: list[str]) -> None:
    section = "\n".join([start, *lines, end])
    text = REPORT.read_text(encoding="utf-8") if REPORT.exists() else "# Benchmarks\n\n"
    if start in text and end in text:
        text = text[: text.index(start)] + section + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    REPORT.write_text(text, encoding="utf-8")


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"
