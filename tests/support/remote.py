"""A real HTTP server on loopback that plays a remote system (SMS/WhatsApp gateway, SP4N-LAPOR!,
a population registry) for adapter tests: it keeps every request and answers what the test set
for the path (status and JSON), 200 `{}` otherwise."""

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Remote:
    url: str = ""
    answers: dict[str, tuple[int, Any]] = field(default_factory=dict)  # path -> (status, JSON)
    requests: list[Request] = field(default_factory=list)

    def answer(self, path: str, status: int, body: Any = None) -> None:
        self.answers[path] = (status, body)


def _handler(remote: Remote) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        disable_nagle_algorithm = True  # else headers and body wait ~40 ms (delayed ACK)

        def _serve(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            headers = {k.lower(): v for k, v in self.headers.items()}
            remote.requests.append(Request(self.command, self.path, headers, body))
            status, answer = remote.answers.get(self.path, (200, {}))
            data = b"" if answer is None else json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = _serve

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@pytest.fixture
def remote() -> Iterator[Remote]:
    state = Remote()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()
