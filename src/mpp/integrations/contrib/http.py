"""What the HTTP adapters share: settings that must be set, and one JSON call with a bearer token.

Adapters run in background tasks only; a non-2xx answer or a network error raises AdapterError so
the task fails visibly (and is retried where the caller retries)."""

from typing import Any

import requests
from django.conf import settings

from mpp.core.registry import PluginConfigError

CONNECT_TIMEOUT = 3.0


class AdapterError(Exception):
    """The remote system did not accept the call (network error or a non-2xx answer)."""


def require_settings(adapter: str, *names: str) -> None:
    missing = [name for name in names if not getattr(settings, name)]
    if missing:
        raise PluginConfigError(f"{adapter}: {', '.join(missing)} not set")
    for name in names:
        if name.endswith("_URL") and not getattr(settings, name).startswith(
            ("https://", "http://")
        ):
            raise PluginConfigError(f"{adapter}: {name} must be an http(s) URL")


def call(method: str, url: str, *, token: str, payload: Any = None, idempotency_key: str = "",
         none_on_404: bool = False) -> Any:  # fmt: skip
    """Send one request and return the decoded JSON answer (None when the answer has no body,
    or is a 404 and `none_on_404`)."""
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    if idempotency_key:
        headers["Idempotency-Key"] = idempotency_key
    try:
        response = requests.request(
            method, url, json=payload, headers=headers, allow_redirects=False,
            timeout=(CONNECT_TIMEOUT, settings.MPP_ADAPTER_TIMEOUT),
        )  # fmt: skip
    except requests.RequestException as exc:
        raise AdapterError(f"{method} {url}: {exc}") from exc
    if response.status_code == 404 and none_on_404:
        return None
    if not 200 <= response.status_code < 300:
        # Not the answer's body: a gateway may echo the message, which can hold a one-time link,
        # and the error ends up in the task's result row.
        raise AdapterError(f"{method} {url}: HTTP {response.status_code}")
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError as exc:
        raise AdapterError(f"{method} {url}: the answer is not JSON") from exc
