import pytest

from mpp.regions.services import sync_official_regions


@pytest.fixture
def site_url(live_server) -> str:
    """The live server's address, with the official regions in place.

    Live-server tests commit and are flushed afterwards, which also removes the regions the
    migration loaded; pytest-django runs such tests last, so putting them back here suffices.
    (Serialized rollback does not work here: once Playwright's sync API has started, Django
    sees a different connection object, one without the serialized contents.)
    """
    sync_official_regions()
    return live_server.url
