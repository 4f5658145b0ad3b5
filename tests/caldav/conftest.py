"""The CalDAV tests: a user with a calendar app password, and a `caldav` library client for the live
test server (tests with `live_server` run against a real HTTP server in a thread, committed for real)."""

import base64

import caldav
import pytest

from kadans.accounts.models import ApiToken
from kadans.accounts.services import token_create
from tests.factories import RelationFactory, UserFactory


@pytest.fixture(autouse=True)
def _clear_throttle():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def sara(db):
    return UserFactory(username="sara", email="sara@example.com", time_zone="Europe/Brussels", language="en")


@pytest.fixture
def app_password(sara):
    _token, secret = token_create(user=sara, name="Phone", scope=ApiToken.Scope.CALENDAR)
    return secret


@pytest.fixture
def customer(sara):
    return RelationFactory(name="Café De Kroon", representative=sara, street="Veldstraat 1", city="Gent")


def basic(username: str, password: str) -> dict:
    value = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {value}"}


@pytest.fixture
def dav(client, sara, app_password):
    """The Django test client sending the app password: for replayed raw requests."""

    def request(method: str, path: str, body: str = "", **headers):
        extra = basic("sara", app_password)
        extra.update({f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()})
        return client.generic(method, path, body.encode(), content_type="application/xml; charset=utf-8", **extra)

    return request


@pytest.fixture
def _short_lived_connections():
    """The live server answers each request in a thread of its own: with persistent connections
    (CONN_MAX_AGE) each would leave one open, and PostgreSQL could not drop the test database."""
    from django.db import connections

    saved = connections.settings["default"].get("CONN_MAX_AGE", 0)
    connections.settings["default"]["CONN_MAX_AGE"] = 0
    yield
    connections.settings["default"]["CONN_MAX_AGE"] = saved


@pytest.fixture
def principal(_short_lived_connections, live_server, sara, app_password):
    client = caldav.DAVClient(url=f"{live_server.url}/caldav/", username="sara", password=app_password)
    return client.principal()


def calendar_named(principal, slug: str):
    for calendar in principal.calendars():
        if str(calendar.url).rstrip("/").endswith("/" + slug):
            return calendar
    raise AssertionError(f"no calendar {slug}: {[str(c.url) for c in principal.calendars()]}")
