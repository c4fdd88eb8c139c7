"""Start the real production server (gunicorn, production settings) in a subprocess."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _throwaway_rsa_pem() -> str:
    """A fresh ID-token signing key for the production-like processes of this test run."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


GUNICORN = Path(sys.executable).with_name("gunicorn")

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "mpp.config.settings",
    "DEBUG": "false",
    "SECRET_KEY": "prod-like-secret-key-for-tests-only-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "127.0.0.1",
    "MPP_HTTPS": "false",
    "MPP_FIELD_KEYS": "dGVzdC1vbmx5LWZpZWxkLWtleS0wMTIzNDU2Nzg5YWI=",
    "MPP_LOOKUP_KEY": "test-only-lookup-key",
    "MPP_OIDC_PRIVATE_KEY": _throwaway_rsa_pem(),
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def production_env(**overrides: str) -> dict[str, str]:
    # Nothing of the test process's own configuration leaks into the server.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("MPP_", "DJANGO_", "DATABASE_"))
        and k not in ("SECRET_KEY", "ALLOWED_HOSTS", "DEBUG")
    }
    env.update(PRODUCTION_ENV)
    env.update(overrides)
    return env


def manage(env: dict[str, str], *args: str) -> str:
    """Run a manage.py command the way an operator would; fail with its output."""
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@dataclass
class Server:
    url: str
    output: str = ""  # everything the server printed, filled in when it stops


@contextmanager
def gunicorn(env: dict[str, str], timeout: float = 20.0) -> Iterator[Server]:
    """Yield a running gunicorn with `env`; stop it afterwards and keep what it printed."""
    port = free_port()
    process = subprocess.Popen(
        [
            str(GUNICORN),
            "mpp.config.wsgi",
            "-c",
            "python:mpp.config.gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    server = Server(url)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(url + "/healthz", timeout=2)  # noqa: S310 - loopback
                break
            except urllib.error.HTTPError:
                break  # it answers, even if unhealthy
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    output = process.stdout.read() if process.stdout else ""
                    raise RuntimeError(f"gunicorn did not start:\n{output}") from None
                time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        server.output += process.communicate(timeout=10)[0] or ""


def get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()
