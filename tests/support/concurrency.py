"""Run the same work in several threads released at one moment (PostgreSQL race tests)."""

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection


def at_once(count: int, work: Callable[[int], Any]) -> list[Any]:
    """`work(n)` for n in range(count), each in its own thread and database connection, all
    started together; the results (or the exception raised) in the order they finished."""
    barrier = threading.Barrier(count)
    results: list[Any] = []

    def run(n: int) -> None:
        try:
            barrier.wait()
            results.append(work(n))
        except Exception as exc:
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
