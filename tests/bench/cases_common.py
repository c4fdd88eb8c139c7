"""Shared by bench_submit.py and bench_tracking.py: a fresh PostgreSQL database, the production
server on it, code that runs inside Django in a child process, wrk as the load generator and
the report section writer. Not collected by pytest."""

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
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


# The production sizing README recommends (defined once, in bench_http).
WORKER_CLASS, WORKERS, THREADS = bench_http.WORKER_CLASS, bench_http.WORKERS, bench_http.THREADS


def server_env(
    tmp: Path, url: str, port: int, workers: int, threads: int, worker_class: str
) -> dict[str, str]:
    env = bench_http.server_env(tmp, url, port)
    env.update(
        {
            "WEB_CONCURRENCY": str(workers),
            "MPP_THREADS": str(threads),
            "MPP_WORKER_CLASS": worker_class,
        }
    )
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

# A request template: (method, path, headers, body). In header values `{key}` becomes a key
# unique to the run, wrk thread and request (for Idempotency-Key).
Request = tuple[str, str, dict[str, str], str]

WRK_SCRIPT = """
local requests = {%(requests)s}
local run, seed, pause = "%(run)s", %(seed)d, %(pause)d
local threads, next_id = {}, 1
-- Globals, not locals: setup() sets `id` in each thread and done() reads `statuses` back.
id, counter, statuses = 0, 0, {}

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(seed * 1000 + id)
end

function request()
  counter = counter + 1
  local r = requests[math.random(#requests)]
  local headers = {}
  for name, value in pairs(r[3]) do
    headers[name] = (string.gsub(value, "{key}", run .. "-" .. id .. "-" .. counter))
  end
  return wrk.format(r[1], r[2], headers, r[4])
end

function delay()
  return pause  -- ms each connection waits before its next request (0: back to back)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      counts[#counts + 1] = string.format('"%%d": %%d', status, n)
    end
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %%d, "duration_us": %%d, "socket_errors": %%d, "statuses": [%%s], '
    .. '"p50_us": %%d, "p95_us": %%d, "p99_us": %%d, "max_us": %%d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout,
    "{" .. table.concat(counts, "}, {") .. "}", latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max))
end
"""


@dataclass
class Result:
    """What one wrk run measured; latencies in ms."""

    requests: int
    seconds: float
    statuses: dict[int, int]
    socket_errors: int
    p50: float
    p95: float
    p99: float
    max: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def _lua(text: str) -> str:
    if "]==]" in text:
        raise ValueError("request text contains the Lua long-string terminator")
    return f"[==[{text}]==]"


def wrk_script(requests: list[Request], seed: int, pause_ms: int = 0) -> str:
    rows = []
    for method, path, headers, body in requests:
        pairs = ", ".join(f"[ {_lua(k)} ] = {_lua(v)}" for k, v in headers.items())
        rows.append(f"{{{_lua(method)}, {_lua(path)}, {{{pairs}}}, {_lua(body)}}}")
    return WRK_SCRIPT % {
        "requests": ",\n".join(rows),
        "run": uuid.uuid4().hex[:12],  # keys stay fresh when a database is reused
        "seed": seed,
        "pause": pause_ms,
    }


def run_load(
    port: int,
    requests: list[Request],
    *,
    connections: int,
    seconds: float,
    seed: int = 1,
    threads: int = 2,
    pause_ms: int = 0,
) -> Result:
    """wrk (C, one connection per client, kept alive when the server allows) for `seconds`, each request drawn at
    random from `requests`, back to back or `pause_ms` after the previous answer. wrk spends far less CPU than Python clients would on the
    two CPUs it shares with the server and PostgreSQL, and its clock is not held up by a GIL."""
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: sudo apt-get install -y wrk (Debian/Ubuntu)")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(wrk_script(requests, seed, pause_ms))
    try:
        command = [
            "wrk", f"-t{min(threads, connections)}", f"-c{connections}", f"-d{seconds:g}s",
            "--timeout", "30s", "-s", script.name, f"http://127.0.0.1:{port}/",
        ]  # fmt: skip
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(script.name)
    found = re.search(r"^BENCH (\{.*\})$", output, re.MULTILINE)
    if not found:
        raise SystemExit(f"unexpected wrk output:\n{output}")
    raw = json.loads(found.group(1))
    statuses: dict[int, int] = {}
    for entry in raw["statuses"]:
        for status, count in entry.items():
            statuses[int(status)] = statuses.get(int(status), 0) + count
    return Result(
        requests=raw["requests"],
        seconds=raw["duration_us"] / 1e6,
        statuses=statuses,
        socket_errors=raw["socket_errors"],
        p50=raw["p50_us"] / 1000,
        p95=raw["p95_us"] / 1000,
        p99=raw["p99_us"] / 1000,
        max=raw["max_us"] / 1000,
    )


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


# --- Report --------------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    info = bench_http.machine(f"{bench_http.wrk_version()}, 2 threads (same machine)")
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
