"""A small HTTP client for the benchmark: a browser's session over plain http.client (no dependency).

Gunicorn's sync worker closes the connection after each response, as it does in production behind a
proxy, so every request opens a new loopback connection, like a browser without keep-alive would.
"""

from __future__ import annotations

import http.client
import re
import time
import urllib.parse
from http.cookies import SimpleCookie

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Response:
    def __init__(self, status: int, headers: dict[str, str], body: bytes, seconds: float):
        self.status, self.headers, self.body, self.seconds = status, headers, body, seconds

    @property
    def queries(self) -> int | None:
        value = self.headers.get("x-kadans-queries")
        return int(value) if value is not None else None

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Session:
    """Cookies (session and CSRF) kept between requests; Django's messages cookie is not sent back, so
    that messages from earlier POSTs (shown on the page a browser would load next) do not pile up."""

    def __init__(self, host: str, port: int, timeout: float = 60):
        self.host, self.port, self.timeout = host, port, timeout
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data: dict | list | None = None) -> Response:
        headers = {"Host": f"{self.host}:{self.port}", "Accept": "text/html,application/json"}
        body = None
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if data is not None:
            body = urllib.parse.urlencode(data, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if method == "POST" and "csrftoken" in self.cookies:
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
            headers["Referer"] = f"http://{self.host}:{self.port}/"
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            started = time.perf_counter()
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            payload = response.read()
            seconds = time.perf_counter() - started
            raw_headers = response.getheaders()
        finally:
            conn.close()
        for name, value in raw_headers:
            if name.lower() == "set-cookie":
                cookie = SimpleCookie()
                cookie.load(value)
                for key, morsel in cookie.items():
                    if key == "messages":
                        continue
                    if morsel.value == "" or morsel["max-age"] == "0":
                        self.cookies.pop(key, None)
                    else:
                        self.cookies[key] = morsel.value
        return Response(response.status, {k.lower(): v for k, v in raw_headers}, payload, seconds)

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, data: dict | list) -> Response:
        return self.request("POST", path, data)

    @property
    def csrf(self) -> str:
        return self.cookies.get("csrftoken", "")

    def login(self, username: str, password: str) -> None:
        page = self.get("/login/")
        match = CSRF_INPUT.search(page.text)
        if page.status != 200 or not match:
            raise RuntimeError(f"GET /login/ answered {page.status} without a CSRF token")
        response = self.post("/login/", {
            "username": username, "password": password, "csrfmiddlewaretoken": match.group(1),
        })
        if response.status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"logging in as {username} failed: HTTP {response.status}")
