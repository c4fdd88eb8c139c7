"""Gunicorn settings for `make run` and production; override with GUNICORN_CMD_ARGS."""

import os
import shutil
from pathlib import Path

bind = os.environ.get("MPP_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = os.environ.get("MPP_WORKER_CLASS", "gthread")
threads = int(os.environ.get("MPP_THREADS", "4"))
timeout = 30
accesslog = "-"
# gunicorn's default line holds the query string and the Referer; the public status look-up
# carries a tracking number and NIK digits in both. Logged: the path alone.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s "%(a)s" %(M)sms'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def on_starting(server: object) -> None:
    # Prometheus counters from several workers are merged through this folder; start it empty.
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        Path(folder).mkdir(parents=True)


def child_exit(server: object, worker: object) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[attr-defined]
