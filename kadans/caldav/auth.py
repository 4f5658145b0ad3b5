"""HTTP Basic authentication with an app password (an ApiToken of scope "calendar"), and a throttle on
wrong attempts.

No session and no CSRF: a calendar app sends the username and app password on every request. An API
token is refused here, and an app password is refused by the REST API (token_authenticate's scope).

Throttle: each wrong attempt counts in the cache under the (username, client address) pair; from
MAX_FAILURES wrong attempts within FAILURE_WINDOW on, that pair is answered 429 without checking the
password, until the window has passed. A right password does not clear the count (so guesses cannot be
interleaved with a known password). The default cache is per process: behind a load balancer with
several processes, configure a shared cache (Redis, Memcached or the database cache) so the count is
shared too.
"""

from __future__ import annotations

import base64
import binascii
import hashlib

from django.core.cache import cache

from kadans.accounts.models import ApiToken
from kadans.accounts.services import token_authenticate

MAX_FAILURES = 10
FAILURE_WINDOW = 15 * 60  # seconds
REALM = "Kadans"


class Throttled(Exception):
    pass


def _credentials(header: str) -> tuple[str, str] | None:
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic" or not value:
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    username, sep, password = decoded.partition(":")
    if not sep:
        return None
    return username, password


def _failure_key(username: str, ip: str) -> str:
    digest = hashlib.sha256(f"{username.lower()}|{ip}".encode()).hexdigest()[:32]
    return f"caldav-auth-failures:{digest}"


def authenticate(request) -> ApiToken | None:
    """The app password of the request's Basic credentials (with its user) when they are a username and
    one of that user's calendar app passwords; None otherwise. Raises Throttled past too many wrong
    attempts."""
    credentials = _credentials(request.headers.get("Authorization", ""))
    if credentials is None:
        return None
    username, password = credentials
    key = _failure_key(username, request.META.get("REMOTE_ADDR") or "")
    if cache.get(key, 0) >= MAX_FAILURES:
        raise Throttled
    token = token_authenticate(password.strip(), scope=ApiToken.Scope.CALENDAR)
    if token is None or token.user.get_username().lower() != username.lower():
        if cache.add(key, 1, FAILURE_WINDOW) is False:
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, FAILURE_WINDOW)
        return None
    return token
