"""Malware scanning of uploaded documents: a plugin chosen by MPP_MALWARE_SCANNER.

`noop` (the default) marks documents "not scanned"; `clamd` streams the bytes to a ClamAV daemon
(MPP_CLAMD_ADDRESS, `tcp://host:3310` or `unix:///run/clamav/clamd.ctl`) with its INSTREAM
command. Scans run in a background task, never inside a request.
"""

import socket
import struct
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

from django.conf import settings

from mpp.cases.models import Document
from mpp.core.registry import Plugin, PluginConfigError, Registry

CHUNK = 64 * 1024


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class ScanError(Exception):
    """The scanner could not give a verdict (down, misconfigured, file too big for it)."""


@dataclass(frozen=True)
class Verdict:
    scan: str  # a Document.Scan value
    signature: str = ""  # what the scanner found, when infected


class Scanner(Plugin):
    def scan(self, stream: Readable) -> Verdict:
        raise NotImplementedError


scanners: Registry[Scanner] = Registry()


def scanner() -> Scanner:
    name = settings.MPP_MALWARE_SCANNER
    if name not in scanners:
        raise PluginConfigError(f"MPP_MALWARE_SCANNER={name!r} is not a registered scanner")
    return scanners[name]


@scanners.register("noop")
class NoScanner(Scanner):
    """No scanner installed: the document is kept, marked as not scanned."""

    def scan(self, stream: Readable) -> Verdict:
        return Verdict(Document.Scan.SKIPPED)


class ClamdClient:
    """The clamd wire protocol (clamd(8)): null-terminated `z` commands, INSTREAM chunks each
    prefixed with a 4-byte big-endian length, a zero-length chunk to finish."""

    def __init__(self, address: str, *, timeout: float = 30.0) -> None:
        self.address = address
        self.timeout = timeout

    def _connect(self) -> socket.socket:
        parts = urlsplit(self.address)
        try:
            if parts.scheme == "unix":
                sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                sock.settimeout(self.timeout)
                sock.connect(parts.path)
                return sock
            if parts.scheme == "tcp" and parts.hostname and parts.port:
                return socket.create_connection((parts.hostname, parts.port), self.timeout)
        except OSError as exc:
            raise ScanError(f"clamd at {self.address} unreachable: {exc}") from exc
        raise ScanError(f"clamd address {self.address!r} must be tcp://host:port or unix:///path")

    def _exchange(self, command: bytes, payload: Readable | None = None) -> str:
        with self._connect() as sock:
            try:
                sock.sendall(b"z" + command + b"\0")
                if payload is not None:
                    while chunk := payload.read(CHUNK):
                        sock.sendall(struct.pack(">I", len(chunk)) + chunk)
                    sock.sendall(struct.pack(">I", 0))
                reply = b""
                while not reply.endswith(b"\0"):
                    data = sock.recv(4096)
                    if not data:
                        break
                    reply += data
            except OSError as exc:
                # clamd closes the stream early when it exceeds StreamMaxLength.
                raise ScanError(f"clamd at {self.address}: {exc}") from exc
        return reply.rstrip(b"\0\n").decode("utf-8", "replace")

    def ping(self) -> bool:
        return self._exchange(b"PING") == "PONG"

    def instream(self, stream: Readable) -> Verdict:
        reply = self._exchange(b"INSTREAM", stream)
        # "stream: OK" | "stream: Eicar-Signature FOUND" | "... ERROR"
        result = reply.partition(": ")[2] if ": " in reply else reply
        if result == "OK":
            return Verdict(Document.Scan.CLEAN)
        if result.endswith(" FOUND"):
            return Verdict(Document.Scan.INFECTED, result.removesuffix(" FOUND"))
        raise ScanError(f"clamd: {reply or 'no answer'}")


@scanners.register("clamd")
class ClamdScanner(Scanner):
    def client(self) -> ClamdClient:
        return ClamdClient(settings.MPP_CLAMD_ADDRESS)

    def scan(self, stream: Readable) -> Verdict:
        return self.client().instream(stream)

    def check_config(self) -> None:
        if not settings.MPP_CLAMD_ADDRESS:
            raise PluginConfigError("MPP_CLAMD_ADDRESS is not set")
        client = ClamdClient(settings.MPP_CLAMD_ADDRESS, timeout=5.0)
        try:
            answered = client.ping()
        except ScanError as exc:
            raise PluginConfigError(str(exc)) from exc
        if not answered:
            raise PluginConfigError(f"clamd at {client.address} did not answer PONG")
