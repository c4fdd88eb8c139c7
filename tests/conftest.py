"""Fixtures for everyone: people with roles, a real browser, an axe check, artifacts."""

import pytest
from django.db import connection
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from mpp.accounts import services as account_services
from mpp.accounts.models import User
from mpp.core.roles import Role
from mpp.regions.services import sync_official_regions

pytest_plugins = [
    "tests.support.browser",
    "tests.support.cases",
    "tests.support.catalog",
    "tests.support.receiver",
    "tests.support.remote",
    "tests.support.smtp",
]

OWN_REGION = "35.10"  # Kabupaten Banyuwangi
OTHER_REGION = "33.14"  # Kabupaten Sragen


class MppClient(Client):
    """force_login also passes a staff user's second factor, as a real sign-in would."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None:
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()


@pytest.fixture
def client() -> MppClient:
    return MppClient()


@pytest.fixture(autouse=True, scope="session")
def _urls_loaded():
    """Build the URLconf (and the API's pydantic schemas) before any test freezes the clock: built
    under freezegun, a schema with a date field fails on freezegun's FakeDate."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - loading them is the point


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached answers never leak from one test into the next."""
    from django.core.cache import caches

    from mpp.cases import filing
    from mpp.workflow import processes

    for cache in caches.all():
        cache.clear()
    filing.clear()
    processes.forget_processes()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in Bahasa Indonesia: LocaleMiddleware leaves the language of a request
    (say, one asking for English) active in the thread after the test client's answer."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def make_user(db):
    """make_user(role, region) -> a saved user holding that role (citizen: no grant)."""
    counter = iter(range(1, 10_000))

    def make(
        role: Role = Role.CITIZEN, region: str | None = OWN_REGION, second_factor: bool = True
    ) -> User:
        user = account_services.ensure_user(username=f"{role.value}-{next(counter)}", password="x")
        if role != Role.CITIZEN:
            region_code = None if role == Role.NATIONAL_ADMIN else region
            account_services.grant_role(user=user, role=role, region_code=region_code)
            if second_factor:
                TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        return user

    return make


@pytest.fixture
def official_regions(transactional_db):
    """For tests that commit: put back the regions the migration loaded.

    Committing tests are flushed afterwards, which removes the regions too; pytest-django runs
    them after all other tests, so reloading here, idempotently, suffices. (Serialized rollback
    would do it, but once Playwright's sync API has started Django sees another connection
    object, one without the serialized contents.)
    """
    sync_official_regions()


def pytest_collection_modifyitems(config, items):
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: run with DATABASE_URL=postgres://...")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)
