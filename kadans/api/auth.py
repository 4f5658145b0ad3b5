"""Who is calling: a personal access token (`Authorization: Bearer <token>`), or the browser's session.

A token request is as its user, in their language and time zone, and a read-only token reads only. The
session serves the browser (the API docs page, scripts on our own pages), and so needs the CSRF token on
every request that changes something; a token is never sent by the browser on its own, so it does not.
"""

import zoneinfo

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from kadans.accounts.services import token_authenticate

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        api_token = token_authenticate(token.strip())
        if api_token is None:
            return None
        if api_token.read_only and request.method not in SAFE_METHODS:
            raise HttpError(403, _("This token is read-only."))
        user = api_token.user
        request.user = user
        request.api_token = api_token
        # the preferences middleware ran before we knew the user: do its work for the token's user
        if user.time_zone:
            timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
        if user.language:
            translation.activate(user.language)
        return user


class SessionAuth(APIKeyCookie):
    """The logged-in browser session. Without one it answers "not authenticated" (401), never a CSRF
    error; with one, a change without the CSRF token is refused (403)."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self):
        # csrf=True only tells the docs page to send the CSRF token; the check itself is in authenticate()
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest):
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise HttpError(403, _("CSRF check failed: send the X-CSRFToken header with the csrftoken cookie's value."))
        return user
