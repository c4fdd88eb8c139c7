import pytest


@pytest.fixture
def site_url(official_regions, live_server) -> str:
    """The live server's address, with the official regions in place."""
    return live_server.url
