"""A small per-address rate limit for public endpoints that cost something (look-ups, uploads).

Counted in the default cache: with the local-memory cache that is per worker process; point
CACHES at Redis to count across workers."""

from django.core.cache import cache
from django.http import HttpRequest

from mpp.core.errors import DomainError


class TooManyRequests(DomainError):
    status = 429
    code = "too_many_requests"


def limit(request: HttpRequest, *, kind: str, per_10_minutes: int, message: str) -> None:
    """Raise TooManyRequests (429) once this address made more than `per_10_minutes` calls."""
    key = f"throttle:{kind}:{request.META.get('REMOTE_ADDR', '')}"
    cache.add(key, 0, timeout=600)
    if cache.incr(key) > per_10_minutes:
        raise TooManyRequests(message)
