"""Agency simulator: plays an agency's own back-office system (say SIAK of Disdukcapil) against
MPP Digital, so the outbox, the signatures and the inbound agency API can be tried end to end.

It receives the platform's events (POST /events), checks every signature with the Standard
Webhooks library (a bad signature or a stale timestamp is a 401, counted), keeps each event once
by its CloudEvent id in SQLite (a redelivery is answered 200 and counted as a duplicate, never
applied twice) and, after --delay seconds, moves each submitted or resubmitted application on
through the inbound API with OAuth2 client credentials: for every open step it may act on, the
first action named in --actions, with an event id made of the received event id and the step, so
its own retries change nothing twice.

    make simulator        # beside `make run`, with the demo endpoint secret and client
    python -m tools.agency_simulator --port 8700 --platform http://127.0.0.1:8000 \\
        --secret whsec_... --client-id ... --client-secret ... [--delay 2] [--db :memory:]

Each flag falls back to an environment variable (AGENCY_SIM_PORT, AGENCY_SIM_PLATFORM,
AGENCY_SIM_SECRET, AGENCY_SIM_CLIENT_ID, AGENCY_SIM_CLIENT_SECRET, AGENCY_SIM_DELAY,
AGENCY_SIM_DB). Failure injection, from the command line (--mode, --mode-seconds) or while it
runs:

    curl -d '{"mode": "error", "seconds": 30}' http://127.0.0.1:8700/control   # HTTP 500
    # "timeout": keep the event, answer after --hang s (past the platform's timeout);
    # "slow": answer after --slow s; "ok": back to normal. "seconds" 0 = until changed.
    curl http://127.0.0.1:8700/stats   # received, duplicates, bad_signatures, applied, ...
"""

import argparse
import json
import os
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import requests
from standardwebhooks import Webhook, WebhookVerificationError

MODES = ("ok", "error", "timeout", "slow")
ACTS_ON = ("application.submitted", "application.resubmitted")
MAX_TRIES = 6  # applying an event: network errors and 5xx are retried, then given up


@dataclass
class Config:
    platform: str = "http://127.0.0.1:8000"
    secret: str = ""
    client_id: str = ""
    client_secret: str = ""
    host: str = "127.0.0.1"
    port: int = 8700
    db: str = "var/agency-simulator.sqlite3"
    delay: float = 2.0
    actions: list[str] = field(default_factory=lambda: ["terima", "terbitkan", "setujui"])
    mode: str = "ok"
    mode_seconds: float = 0.0
    slow: float = 2.0
    hang: float = 15.0
    appliers: int = 4


class Store:
    """Received events and counters in SQLite; one connection behind a lock."""

    def __init__(self, path: str) -> None:
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.lock = threading.Lock()
        self.db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.db.executescript(
            "CREATE TABLE IF NOT EXISTS events (id TEXT PRIMARY KEY, type TEXT, subject TEXT,"
            " body TEXT, received_at REAL, apply_after REAL, state TEXT, tries INTEGER DEFAULT 0,"
            " error TEXT DEFAULT '');"
            "CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER);"
        )

    def add(self, event: dict[str, Any], body: bytes, apply_after: float) -> bool:
        """Keep the event; False if its id was already kept (a redelivery)."""
        state = "pending" if event.get("type") in ACTS_ON else "stored"
        with self.lock:
            cursor = self.db.execute(
                "INSERT OR IGNORE INTO events (id, type, subject, body, received_at, apply_after,"
                " state) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (event["id"], event.get("type"), event.get("subject"), body.decode(),
                 time.time(), apply_after, state),
            )  # fmt: skip
            return cursor.rowcount == 1

    def count(self, name: str) -> None:
        with self.lock:
            self.db.execute(
                "INSERT INTO counters VALUES (?, 1) ON CONFLICT(name) DO UPDATE SET value = value + 1",
                (name,),
            )

    def claim(self) -> tuple[str, str, int] | None:
        """Take one due pending event (id, tracking, tries so far) for an applier thread."""
        with self.lock:
            row = self.db.execute(
                "SELECT id, subject, tries FROM events WHERE state = 'pending' AND apply_after <= ?"
                " ORDER BY apply_after LIMIT 1",
                (time.time(),),
            ).fetchone()
            if row:
                self.db.execute("UPDATE events SET state = 'applying' WHERE id = ?", (row[0],))
            return row

    def finish(self, event_id: str, state: str, error: str = "", retry_in: float = 0) -> None:
        with self.lock:
            self.db.execute(
                "UPDATE events SET state = ?, error = ?, tries = tries + 1,"
                " apply_after = ? WHERE id = ?",
                (state, error[:300], time.time() + retry_in, event_id),
            )

    def stats(self) -> dict[str, int]:
        with self.lock:
            counters = dict(self.db.execute("SELECT name, value FROM counters").fetchall())
            states = dict(
                self.db.execute("SELECT state, COUNT(*) FROM events GROUP BY state").fetchall()
            )
        result = {name: counters.get(name, 0) for name in
                  ("duplicates", "bad_signatures", "errors_injected", "apply_errors", "actions")}  # fmt: skip
        result.update(
            received=sum(states.values()),
            applied=states.get("applied", 0),
            pending=states.get("pending", 0) + states.get("applying", 0),
        )
        return result

    def events(self) -> list[dict[str, Any]]:
        with self.lock:
            rows = self.db.execute(
                "SELECT id, type, subject, state, tries, error FROM events ORDER BY received_at"
            ).fetchall()
        keys = ("id", "type", "subject", "state", "tries", "error")
        return [dict(zip(keys, row, strict=True)) for row in rows]


class Faults:
    """The failure the simulator plays now, for a while or until changed."""

    def __init__(self) -> None:
        self.mode, self.until = "ok", 0.0

    def set(self, mode: str, seconds: float = 0) -> None:
        if mode not in MODES or seconds < 0:
            raise ValueError(f"mode must be one of {MODES}, seconds >= 0")
        self.mode, self.until = mode, (time.monotonic() + seconds if seconds else 0.0)

    def now(self) -> str:
        if self.until and time.monotonic() > self.until:
            self.mode, self.until = "ok", 0.0
        return self.mode


class Platform:
    """The inbound agency API, with a client-credentials token cached until it expires."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.lock = threading.Lock()
        self.token, self.expires = "", 0.0

    def bearer(self, session: requests.Session) -> str:
        with self.lock:
            if time.monotonic() >= self.expires:
                response = session.post(
                    f"{self.config.platform}/o/token/",
                    data={"grant_type": "client_credentials", "scope": "agency"},
                    auth=(self.config.client_id, self.config.client_secret),
                    timeout=10,
                )
                response.raise_for_status()
                answer = response.json()
                self.token = answer["access_token"]
                self.expires = time.monotonic() + answer.get("expires_in", 3600) - 30
            return self.token

    def call(self, session: requests.Session, method: str, path: str, body: Any = None) -> Any:
        for _ in range(2):
            headers = {"Authorization": f"Bearer {self.bearer(session)}"}
            response = session.request(
                method, f"{self.config.platform}/api/v1/agency{path}", json=body,
                headers=headers, timeout=30,
            )  # fmt: skip
            if response.status_code != 401:
                break
            self.expires = 0.0  # revoked or expired early: one fresh token, once
        response.raise_for_status()
        return response.json()


class Simulator:
    def __init__(self, config: Config) -> None:
        self.config = config
        self.store = Store(config.db)
        self.faults = Faults()
        self.faults.set(config.mode, config.mode_seconds)
        self.platform = Platform(config)
        self.stopping = threading.Event()
        self.server = ThreadingHTTPServer((config.host, config.port), _handler(self))
        self.server.daemon_threads = True

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> "Simulator":
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self.start_appliers(self.config.appliers)

    def start_appliers(self, count: int) -> "Simulator":
        """Threads that move received applications on (a test may start them late)."""
        for _ in range(count):
            threading.Thread(target=self._apply_loop, daemon=True).start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()

    def receive(self, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
        try:
            Webhook(self.config.secret).verify(body, headers)
        except (WebhookVerificationError, ValueError):
            self.store.count("bad_signatures")
            return 401, "bad signature"
        mode = self.faults.now()
        if mode == "error":
            self.store.count("errors_injected")
            return 500, "simulated failure"
        event = json.loads(body)
        if not self.store.add(event, body, time.time() + self.config.delay):
            self.store.count("duplicates")
        if mode in ("timeout", "slow"):
            time.sleep(self.config.hang if mode == "timeout" else self.config.slow)
        return 200, "ok"

    def _apply_loop(self) -> None:
        with requests.Session() as session:
            while not self.stopping.is_set():
                claimed = self.store.claim()
                if claimed is None:
                    self.stopping.wait(0.1)
                    continue
                event_id, tracking, tries = claimed
                try:
                    self.apply(session, event_id, tracking)
                except requests.RequestException as exc:
                    status = exc.response.status_code if exc.response is not None else 0
                    if 0 < status < 500 or tries + 1 >= MAX_TRIES:  # refused, or given up
                        self.store.count("apply_errors")
                        self.store.finish(event_id, "failed", f"{type(exc).__name__}: {exc}")
                    else:  # the platform is down or busy: try again later
                        self.store.finish(event_id, "pending", str(exc), retry_in=1.0)
                else:
                    self.store.finish(event_id, "applied")

    def apply(self, session: requests.Session, event_id: str, tracking: str) -> None:
        """Take the configured action on each open step, one step after the other."""
        state = self.platform.call(session, "GET", f"/applications/{tracking}")
        done: set[str] = set()
        while True:
            move = next(
                (
                    (step, action)
                    for step, actions in state["actions"].items()
                    for action in actions
                    if step not in done and action in self.config.actions
                ),
                None,
            )
            if move is None:
                return
            step, action = move
            body = {"event_id": f"{event_id}:{step}", "step": step}
            state = self.platform.call(
                session, "POST", f"/applications/{tracking}/actions/{action}", body
            )
            self.store.count("actions")
            done.add(step)


def _handler(sim: Simulator) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        disable_nagle_algorithm = True  # else headers and body wait ~40 ms (delayed ACK)

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            if self.path == "/control":
                try:
                    spec = json.loads(body or b"{}")
                    sim.faults.set(spec.get("mode", "ok"), float(spec.get("seconds", 0)))
                except (ValueError, TypeError, AttributeError) as exc:
                    return self.reply(400, {"error": str(exc)})
                return self.reply(200, {"mode": sim.faults.now()})
            if self.path != "/events":
                return self.reply(404, {"error": "not found"})
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, text = sim.receive(body, headers)
            self.reply(status, {"answer": text})

        def do_GET(self) -> None:
            if self.path == "/stats":
                return self.reply(200, {**sim.store.stats(), "mode": sim.faults.now()})
            if self.path == "/events":
                return self.reply(200, sim.store.events())
            self.reply(404, {"error": "not found"})

        def reply(self, status: int, payload: Any) -> None:
            data = json.dumps(payload).encode()
            try:
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:
                pass  # the platform gave up waiting (timeout mode): nobody to answer

        def log_message(self, *args: object) -> None:
            pass

    return Handler


def config_from(argv: list[str] | None = None) -> Config:
    env = os.environ.get
    defaults = Config()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--platform", default=env("AGENCY_SIM_PLATFORM", defaults.platform))
    parser.add_argument("--secret", default=env("AGENCY_SIM_SECRET", ""), help="whsec_…")
    parser.add_argument("--client-id", default=env("AGENCY_SIM_CLIENT_ID", ""))
    parser.add_argument("--client-secret", default=env("AGENCY_SIM_CLIENT_SECRET", ""))
    parser.add_argument("--host", default=defaults.host)
    parser.add_argument("--port", type=int, default=int(env("AGENCY_SIM_PORT", defaults.port)))
    parser.add_argument("--db", default=env("AGENCY_SIM_DB", defaults.db))
    parser.add_argument(
        "--delay", type=float, default=float(env("AGENCY_SIM_DELAY", defaults.delay)),
        help="seconds between receiving an application and acting on it",
    )  # fmt: skip
    parser.add_argument("--actions", default=",".join(defaults.actions), help="comma-separated")
    parser.add_argument("--mode", choices=MODES, default="ok")
    parser.add_argument("--mode-seconds", type=float, default=0, help="0: until changed")
    parser.add_argument("--slow", type=float, default=defaults.slow, help="seconds, slow mode")
    parser.add_argument("--hang", type=float, default=defaults.hang, help="seconds, timeout mode")
    parser.add_argument("--appliers", type=int, default=defaults.appliers)
    args = parser.parse_args(argv)
    if not args.secret.startswith("whsec_"):
        parser.error("--secret (or AGENCY_SIM_SECRET) must be the endpoint's whsec_… secret")
    values = vars(args)
    values["actions"] = [a.strip() for a in args.actions.split(",") if a.strip()]
    return Config(**values)


def main(argv: list[str] | None = None) -> None:
    sim = Simulator(config_from(argv)).start()
    print(f"Agency simulator on {sim.url}/events, acting on {sim.config.platform}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        sim.stop()
