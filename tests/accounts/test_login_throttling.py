"""Login throttling (django-axes): wrong passwords per username + address lock that pair out for the
cool-off, with a translated page saying how long; a success clears the count; administrators unlock in
the admin or with `manage.py axes_reset`; behind a trusted proxy the client's address counts. The API's
tokens are untouched by all of it."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client

from kadans.accounts.models import User
from tests.api_support import ApiClient, api_as
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "secret-pass-123"


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.AXES_FAILURE_LIMIT = 3


def _login(client: Client, username: str, password: str, **extra):
    return client.post("/login/", {"username": username, "password": password}, **extra)


def _fail(client: Client, username: str, times: int, **extra):
    for _ in range(times):
        response = _login(client, username, "wrong-password", **extra)
        assert response.status_code == 200  # the login form again, with its error


def _lock_out(client: Client, username: str, **extra):
    """The limit's failure itself is answered with the lockout page."""
    _fail(client, username, 2, **extra)
    assert _login(client, username, "wrong-password", **extra).status_code == 429


def test_the_limit_locks_out_even_the_right_password_with_a_wait(client, rep):
    _fail(client, "rep", 2)
    response = _login(client, "rep", "wrong-password")
    assert response.status_code == 429
    response = _login(client, "rep", PASSWORD)
    assert response.status_code == 429
    text = response.content.decode()
    assert "Too many failed logins" in text
    assert "blocked for 15 minutes" in text
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_is_in_dutch_for_a_dutch_browser(client, rep):
    _lock_out(client, "rep", HTTP_ACCEPT_LANGUAGE="nl")
    response = _login(client, "rep", PASSWORD, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 429
    text = response.content.decode()
    assert "Te veel mislukte aanmeldingen" in text
    assert "15 minuten" in text


def test_the_wait_is_the_configured_cool_off(client, rep, settings):
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=40)
    _lock_out(client, "rep")
    assert "blocked for 40 minutes" in _login(client, "rep", PASSWORD).content.decode()


def test_a_successful_login_clears_the_failures(client, rep):
    _fail(client, "rep", 2)
    assert _login(client, "rep", PASSWORD).status_code == 302
    client.post("/logout/")
    _fail(client, "rep", 2)
    assert _login(client, "rep", PASSWORD).status_code == 302


def test_a_lockout_is_per_username_and_address(client, rep):
    other = UserFactory(username="other")
    _lock_out(client, "rep")
    assert _login(client, "rep", PASSWORD).status_code == 429
    assert _login(Client(), other.username, PASSWORD).status_code == 302
    assert _login(Client(REMOTE_ADDR="10.1.2.3"), "rep", PASSWORD).status_code == 302


def test_axes_reset_unlocks(client, rep):
    _lock_out(client, "rep")
    assert _login(client, "rep", PASSWORD).status_code == 429
    call_command("axes_reset", verbosity=0)
    assert _login(client, "rep", PASSWORD).status_code == 302


def test_an_administrator_unlocks_in_the_admin(client, rep):
    _lock_out(client, "rep")
    assert _login(client, "rep", PASSWORD).status_code == 429
    admin = UserFactory(username="boss", role=User.Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    admin_client = Client()
    admin_client.force_login(admin)
    listing = admin_client.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200 and "rep" in listing.content.decode()
    attempt = AccessAttempt.objects.get(username="rep")
    response = admin_client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert _login(client, "rep", PASSWORD).status_code == 302


def test_without_a_trusted_proxy_header_a_forged_one_does_not_escape_the_lockout(client, rep):
    _lock_out(client, "rep")
    assert _login(client, "rep", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429


def test_behind_a_trusted_proxy_the_client_address_counts(client, rep, settings):
    settings.KADANS_TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    # every request comes from the proxy (127.0.0.1); the proxy appends the client's address
    _lock_out(client, "rep", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert _login(client, "rep", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429
    # what the client put in front of the header itself is not believed
    assert _login(client, "rep", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.1, 198.51.100.7").status_code == 429
    assert AccessAttempt.objects.get().ip_address == "198.51.100.7"
    # another client behind the same proxy is not locked out
    assert _login(Client(), "rep", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.8").status_code == 302


def test_two_proxies_take_the_second_address_from_the_right(client, rep, settings):
    settings.KADANS_TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    settings.KADANS_TRUSTED_PROXY_COUNT = 2
    _fail(client, "rep", 1, HTTP_X_FORWARDED_FOR="203.0.113.1, 198.51.100.7, 10.0.0.2")
    assert AccessAttempt.objects.get().ip_address == "198.51.100.7"


def test_a_malformed_forwarded_address_falls_back_to_the_connection(client, rep, settings):
    settings.KADANS_TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    _fail(client, "rep", 1, HTTP_X_FORWARDED_FOR="not-an-address")
    assert AccessAttempt.objects.get().ip_address == "127.0.0.1"


def test_a_locked_out_user_keeps_using_the_api_with_a_token(client, rep):
    api = api_as(rep)
    _lock_out(client, "rep")
    assert _login(client, "rep", PASSWORD).status_code == 429
    response = api.get("/users/me")
    assert response.status_code == 200 and response.json()["username"] == "rep"


def test_wrong_api_tokens_stay_401_and_lock_nobody_out(client, rep):
    for _ in range(5):
        assert ApiClient("kdn_wrong").get("/users/me").status_code == 401
    assert not AccessAttempt.objects.exists()
    assert _login(client, "rep", PASSWORD).status_code == 302
