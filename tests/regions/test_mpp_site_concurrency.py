"""Two managers saving the same site at once end with one site, never a 500."""

import threading

import pytest
from django.db import connection

from mpp.regions import services
from mpp.regions.models import MppSite

pytestmark = [pytest.mark.postgres]


def test_concurrent_saves_of_one_site_leave_one_row(official_regions):
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def save(address: str) -> None:
        try:
            barrier.wait()
            services.save_mpp_site(
                actor=None,
                region_code="35.10",
                kind="physical",
                name="MPP Banyuwangi",
                address=address,
            )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(f"Jl. {n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert MppSite.objects.filter(region="35.10").count() == 1
