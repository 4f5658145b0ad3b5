"""Security headers and the production settings: `check --deploy` is silent on the README's production
environment; the Content-Security-Policy allows no inline script without the request's nonce, and the
pages carry no inline event handlers; HSTS and the HTTPS redirect follow their settings."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from kadans.accounts.models import User
from tests.factories import RelationFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
# the production environment of README.md, "Security and accounts"
PRODUCTION = {
    "DEBUG": "0",
    "ALLOWED_HOSTS": "crm.example.be",
    "CSRF_TRUSTED_ORIGINS": "https://crm.example.be",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
}


def _deploy_check(tmp_path, **overrides) -> subprocess.CompletedProcess:
    # nothing of the test process's own: its database, or DJANGO_ALLOW_ASYNC_UNSAFE (set for Playwright)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL" and not k.startswith("DJANGO_")}
    env.update(PRODUCTION, SECRET_KEY=secrets.token_urlsafe(50), KADANS_DATA_DIR=str(tmp_path), **overrides)
    env = {k: v for k, v in env.items() if v is not None}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


def test_the_deploy_check_is_silent_on_the_documented_production_settings(tmp_path):
    result = _deploy_check(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout + result.stderr


def test_the_deploy_check_warns_without_hsts_and_the_https_redirect(tmp_path):
    result = _deploy_check(tmp_path, SECURE_SSL_REDIRECT=None, SECURE_HSTS_SECONDS=None)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "security.W004" in output and "security.W008" in output


def test_the_deploy_check_warns_about_cookies_sent_over_http(tmp_path):
    output = _deploy_check(tmp_path, SECURE_COOKIES="0")
    assert "security.W012" in output.stdout + output.stderr and "security.W016" in output.stdout + output.stderr


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


@pytest.mark.django_db
def test_the_policy_allows_scripts_only_from_the_site_or_with_the_nonce(client, rep):
    client.force_login(rep)
    policy = _policy(client.get("/account/"))
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert policy["script-src"][0] == "'self'"


@pytest.mark.django_db
def test_an_inline_script_carries_the_nonce_of_its_own_response(client, rep):
    client.force_login(rep)
    first, second = client.get("/activities/pipeline/"), client.get("/activities/pipeline/")
    nonces = []
    for response in (first, second):
        [source] = [s for s in _policy(response)["script-src"] if s.startswith("'nonce-")]
        nonce = source[len("'nonce-") : -1]
        assert f'<script nonce="{nonce}">' in response.content.decode()
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


INLINE = re.compile(r"<script(?![^>]*\b(src|nonce)=)(?![^>]*type=\"application/json\")[^>]*>|\son[a-z]+=|js:")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/activities/", "/activities/new/", "/activities/pipeline/", "/activities/overview/", "/calendar/",
        "/relations/", "/relation/", "/dashboard/", "/reports/", "/reports/costs/", "/account/",
        "/account/tokens/", "/account/password/", "/settings/",
    ],
)
def test_pages_have_no_inline_handlers_or_scripts_without_nonce(url):
    admin = UserFactory(role=User.Role.ADMINISTRATOR)
    relation = RelationFactory(representative=admin)
    client = Client()
    client.force_login(admin)
    response = client.get(relation.get_absolute_url() if url == "/relation/" else url, follow=True)
    assert response.status_code == 200
    assert not INLINE.search(response.content.decode()), INLINE.search(response.content.decode())


@pytest.mark.django_db
def test_hsts_and_the_https_redirect_follow_their_settings(settings, rep):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 3600
    response = Client().get("/login/")
    assert response.status_code == 301 and response.url == "https://testserver/login/"
    secure = Client().get("/login/", secure=True)
    assert secure["Strict-Transport-Security"] == "max-age=3600"


@pytest.mark.django_db
def test_without_the_settings_there_is_no_redirect_and_no_hsts(settings):
    response = Client().get("/login/")
    assert response.status_code == 200
    assert "Strict-Transport-Security" not in Client().get("/login/", secure=True)
