"""Benchmark-only settings: production settings plus a hello-world view (tests/bench/bench_urls.py),
so `make bench-http` compares public reads with the cheapest possible Django response in the
same gunicorn server. Never used outside tests/bench/bench_http.py."""

from mpp.config.settings import *  # noqa: F403

ROOT_URLCONF = "tests.bench.bench_urls"

# bench_tracking.py looks up thousands of statuses from one address.
MPP_STATUS_LOOKUPS_PER_10_MINUTES = 10**9
