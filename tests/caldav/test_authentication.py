"""HTTP Basic with an app password: scoped to calendar sync, revocable, throttled when wrong."""

import pytest

from kadans.accounts.models import ApiToken
from kadans.accounts.services import token_create, token_revoke
from kadans.caldav import auth
from tests.caldav.conftest import basic
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROPFIND = '<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:current-user-principal/></d:prop></d:propfind>'


def _propfind(client, path="/caldav/", **extra):
    return client.generic("PROPFIND", path, PROPFIND, content_type="application/xml", HTTP_DEPTH="0", **extra)


def test_no_or_wrong_credentials_get_401_with_a_basic_challenge(client, sara, app_password):
    for extra in [{}, basic("sara", "wrong"), basic("someone", app_password)]:
        response = _propfind(client, **extra)
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith('Basic realm="Kadans"')
    assert _propfind(client, **basic("sara", app_password)).status_code == 207


def test_an_api_token_is_refused_and_an_app_password_does_not_open_the_api(client, sara, app_password):
    _token, api_secret = token_create(user=sara, name="Script")
    assert _propfind(client, **basic("sara", api_secret)).status_code == 401
    assert client.get("/api/v1/users/me", HTTP_AUTHORIZATION=f"Bearer {app_password}").status_code == 401
    assert client.get("/api/v1/users/me", HTTP_AUTHORIZATION=f"Bearer {api_secret}").status_code == 200


def test_a_revoked_app_password_stops_working(client, sara, app_password):
    token = ApiToken.objects.get(user=sara, scope=ApiToken.Scope.CALENDAR)
    token_revoke(token=token)
    assert _propfind(client, **basic("sara", app_password)).status_code == 401


def test_wrong_attempts_are_throttled_per_username_and_address(client, sara, app_password):
    for _ in range(auth.MAX_FAILURES):
        assert _propfind(client, **basic("sara", "guess")).status_code == 401
    # from now on even the right password waits, from this address
    assert _propfind(client, **basic("sara", app_password)).status_code == 429
    assert _propfind(client, REMOTE_ADDR="10.0.0.9", **basic("sara", app_password)).status_code == 207


def test_nobody_opens_another_users_home(client, sara, app_password):
    UserFactory(username="piet")
    assert _propfind(client, "/caldav/users/piet/", **basic("sara", app_password)).status_code == 404
    assert client.generic("DELETE", "/caldav/users/piet/own/x.ics", **basic("sara", app_password)).status_code == 403


def test_a_read_only_app_password_cannot_write(client, sara):
    _token, secret = token_create(user=sara, name="Tablet", scope=ApiToken.Scope.CALENDAR, read_only=True)
    response = client.generic("PUT", "/caldav/users/sara/own/new.ics", "BEGIN:VCALENDAR", **basic("sara", secret))
    assert response.status_code == 403


def test_the_tokens_page_makes_a_calendar_app_password(client, sara):
    client.force_login(sara)
    page = client.get("/account/tokens/")
    assert "/caldav/" in page.content.decode()
    response = client.post("/account/tokens/", {"name": "iPhone", "scope": "calendar"})
    assert response.status_code == 200
    assert ApiToken.objects.get(user=sara, name="iPhone").scope == ApiToken.Scope.CALENDAR
