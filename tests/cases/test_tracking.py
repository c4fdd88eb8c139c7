"""Tracking numbers: one sequence per region and day, no gaps, no duplicates."""

import datetime
import threading

import pytest
from django.db import connection, transaction

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
