"""Helpers for the API tests: a client that sends a personal access token and JSON."""

from django.test import Client

from kadans.accounts.services import token_create

API = "/api/v1"


class ApiClient:
    """Django's test client, with `Authorization: Bearer <token>` on every request and JSON bodies."""

    def __init__(self, secret: str | None = None):
        self.client = Client()
        # English messages, whatever the site's default language (a user's own language would win)
        self.headers = {"Accept-Language": "en"}
        if secret:
            self.headers["Authorization"] = f"Bearer {secret}"

    def _url(self, path: str) -> str:
        return path if path.startswith("/") and path.startswith(API) else f"{API}{path}"

    def get(self, path: str, params: dict | None = None):
        return self.client.get(self._url(path), params or {}, headers=self.headers)

    def post(self, path: str, data=None, **kwargs):
        return self._send("post", path, data, **kwargs)

    def patch(self, path: str, data=None, **kwargs):
        return self._send("patch", path, data, **kwargs)

    def delete(self, path: str):
        return self.client.delete(self._url(path), headers=self.headers)

    def _send(self, method: str, path: str, data, content_type: str = "application/json"):
        send = getattr(self.client, method)
        return send(self._url(path), data if data is not None else {}, content_type=content_type,
                    headers=self.headers)


def api_as(user, **token_options) -> ApiClient:
    """A client authenticated as `user` with a fresh token."""
    _token, secret = token_create(user=user, name="test", **token_options)
    return ApiClient(secret)
