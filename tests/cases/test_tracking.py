"""Tracking numbers: one sequence per region and day, consecutive as long as every number taken is
used (a failed submission leaves a gap: tests/cases/test_filing_cache.py), never a duplicate."""

import datetime
import threading

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from mpp.cases.tracking import next_tracking
from mpp.core.identifiers import tracking_number

DAY = datetime.date(2026, 11, 23)


@pytest.mark.django_db
def test_each_region_and_day_counts_from_one(official_regions):
    with transaction.atomic():
        numbers = [next_tracking("35.10", DAY) for _ in range(3)]
        other_region = next_tracking("35.09", DAY)
        next_day = next_tracking("35.10", DAY + datetime.timedelta(days=1))
    assert numbers == [tracking_number("35.10", DAY, n) for n in (1, 2, 3)]
    assert other_region == tracking_number("35.09", DAY, 1)
    assert next_day == tracking_number("35.10", DAY + datetime.timedelta(days=1), 1)


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_consecutive_numbers(official_regions):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, there is no race to test")
    barrier = threading.Barrier(6)
    numbers: list[str] = []

    def take() -> None:
        try:
            barrier.wait()
            with transaction.atomic():
                numbers.append(next_tracking("35.10", DAY))
        finally:
            connection.close()

    threads = [threading.Thread(target=take) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(numbers) == [tracking_number("35.10", DAY, n) for n in range(1, 7)]


@pytest.mark.django_db(transaction=True)
def test_a_number_taken_alone_does_not_wait_for_the_disk_nor_change_later_commits(
    official_regions,
):
    """Outside a transaction the increment commits without its own flush (the application's
    synchronous commit flushes it); inside a caller's transaction (a bundle) nothing changes;
    the connection's later commits stay synchronous."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: synchronous_commit is a PostgreSQL setting")
    with CaptureQueriesContext(connection) as alone:
        first = next_tracking("35.10", DAY)
    with transaction.atomic(), CaptureQueriesContext(connection) as joined:
        second = next_tracking("35.10", DAY)
    assert (first, second) == (tracking_number("35.10", DAY, 1), tracking_number("35.10", DAY, 2))
    statements = [q["sql"] for q in alone.captured_queries]
    assert statements.index("SET LOCAL synchronous_commit TO OFF") < next(
        i for i, sql in enumerate(statements) if sql.startswith("UPDATE cases_trackingsequence")
    )
    assert not [q for q in joined.captured_queries if "synchronous_commit" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"
