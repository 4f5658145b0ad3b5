"""Personal access tokens and how the API knows who calls: a bearer token (hashed, revocable, optionally
expiring and read-only) or the browser session with its CSRF token; anything else is a 401 in JSON."""

import datetime
import hashlib

import pytest
import time_machine
from django.contrib.staticfiles import finders
from django.test import Client
from django.utils import timezone

from kadans.accounts.models import ApiToken
from kadans.accounts.services import token_authenticate, token_create, token_revoke
from tests.api_support import API, ApiClient, api_as
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_token_is_stored_only_as_its_sha256_with_a_visible_prefix(rep):
    token, secret = token_create(user=rep, name="ERP")
    assert secret.startswith("kdn_") and len(secret) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {stored.name, stored.prefix, stored.key_hash}
    assert secret.startswith(stored.prefix) and len(stored.prefix) == 12


def test_two_tokens_never_share_a_secret(rep):
    assert token_create(user=rep, name="a")[1] != token_create(user=rep, name="b")[1]


def test_a_bearer_token_authenticates_as_its_user(rep):
    response = api_as(rep).get("/users/me")
    assert response.status_code == 200
    assert response.json()["username"] == "rep"


def test_a_token_records_when_it_was_last_used(rep):
    token, secret = token_create(user=rep, name="ERP")
    assert token.last_used_at is None
    used = datetime.datetime(2026, 6, 10, 9, 30, tzinfo=datetime.UTC)
    with time_machine.travel(used, tick=False):
        ApiClient(secret).get("/users/me")
    token.refresh_from_db()
    assert token.last_used_at == used


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer kdn_wrong", "Bearer nonsense", "Basic cmVwOnNlY3JldA=="])
def test_without_a_valid_token_the_api_answers_401_in_json_not_a_redirect(rep, header):
    client = Client()
    response = client.get(f"{API}/relations", headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "token" in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_no_longer_works(rep):
    token, secret = token_create(user=rep, name="ERP")
    assert token_revoke(token=token) is True
    assert token_revoke(token=token) is False
    assert ApiClient(secret).get("/users/me").status_code == 401


def test_an_expired_token_no_longer_works(rep):
    _token, secret = token_create(user=rep, name="ERP", expires_at=timezone.now() + datetime.timedelta(days=1))
    assert ApiClient(secret).get("/users/me").status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1, seconds=1)):
        assert ApiClient(secret).get("/users/me").status_code == 401


def test_the_token_of_a_deactivated_user_no_longer_works(rep):
    _token, secret = token_create(user=rep, name="ERP")
    rep.is_active = False
    rep.save()
    assert token_authenticate(secret) is None
    assert ApiClient(secret).get("/users/me").status_code == 401


def test_a_read_only_token_reads_but_changes_nothing(rep, relation):
    client = api_as(rep, read_only=True)
    assert client.get(f"/relations/{relation.pk}").status_code == 200
    response = client.patch(f"/relations/{relation.pk}", {"name": "Changed"})
    assert response.status_code == 403
    assert response.json()["detail"] == "This token is read-only."
    relation.refresh_from_db()
    assert relation.name != "Changed"


def test_a_token_request_uses_its_users_time_zone(rep):
    rep.time_zone = "Pacific/Kiritimati"
    rep.save()
    # 11:30 UTC is already the next day in Kiritimati (UTC+14): "today" is computed there
    with time_machine.travel(datetime.datetime(2025, 3, 3, 11, 30, tzinfo=datetime.UTC)):
        from tests.factories import make_activity

        activity = make_activity(user=rep, start=datetime.date(2025, 3, 4))
        response = api_as(rep).get(f"/activities/{activity.pk}")
    assert response.json()["state"] == "today"


def test_the_browser_session_works_for_reading(client, rep):
    client.force_login(rep)
    assert client.get(f"{API}/users/me").json()["username"] == "rep"


def test_the_browser_session_needs_the_csrf_token_to_change_something(rep, relation):
    client = Client(enforce_csrf_checks=True)
    client.force_login(rep)
    url = f"{API}/relations/{relation.pk}"
    refused = client.patch(url, {"name": "Changed"}, content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    client.get("/account/")  # sets the csrftoken cookie
    csrf = client.cookies["csrftoken"].value
    accepted = client.patch(url, {"name": "Changed"}, content_type="application/json", headers={"X-CSRFToken": csrf})
    assert accepted.status_code == 200
    assert accepted.json()["name"] == "Changed"


def test_a_token_needs_no_csrf_token(rep, relation):
    _token, secret = token_create(user=rep, name="ERP")
    client = Client(enforce_csrf_checks=True)
    response = client.patch(f"{API}/relations/{relation.pk}", {"name": "Changed"}, content_type="application/json",
                            headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200
    relation.refresh_from_db()
    assert relation.name == "Changed"


def test_the_openapi_document_and_its_docs_page_are_public_and_need_no_cdn(client):
    schema = client.get(f"{API}/openapi.json")
    assert schema.status_code == 200
    assert schema.json()["openapi"].startswith("3.")
    docs = client.get(f"{API}/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "https://" not in html
    for name in ("ninja/swagger-ui-bundle.js", "ninja/swagger-ui-init.js", "ninja/swagger-ui.css"):
        assert finders.find(name), f"{name} is not among the static files"
    assert '"validatorUrl": null' in html


# The tokens page ------------------------------------------------------------------------------------


def test_the_profile_page_links_to_the_tokens_page(client, rep):
    client.force_login(rep)
    assert 'href="/account/tokens/"' in client.get("/account/").content.decode()


def test_creating_a_token_shows_its_secret_once(client, rep):
    client.force_login(rep)
    response = client.post("/account/tokens/", {"name": "ERP sync", "read_only": "on"})
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=rep)
    assert token.name == "ERP sync" and token.read_only and token.expires_at is None
    assert token_authenticate(secret) == token
    again = client.get("/account/tokens/").content.decode()
    assert secret not in again
    assert token.prefix in again


def test_a_token_can_expire_on_a_chosen_day(client, rep):
    client.force_login(rep)
    day = timezone.localdate() + datetime.timedelta(days=30)
    client.post("/account/tokens/", {"name": "Temp", "expires_on": day.isoformat()})
    token = ApiToken.objects.get(user=rep)
    assert timezone.localtime(token.expires_at).date() == day


def test_an_expiry_day_in_the_past_is_refused(client, rep):
    client.force_login(rep)
    response = client.post("/account/tokens/", {"name": "Old", "expires_on": "2020-01-01"})
    assert response.status_code == 200
    assert "expires_on" in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_a_user_sees_and_revokes_only_their_own_tokens(client, rep):
    mine, _ = token_create(user=rep, name="Boekhouding Rep")
    theirs, _ = token_create(user=UserFactory(), name="Koppeling Ander")
    client.force_login(rep)
    page = client.get("/account/tokens/").content.decode()
    assert "Boekhouding Rep" in page and "Koppeling Ander" not in page
    assert client.post(f"/account/tokens/{theirs.pk}/revoke/").status_code == 404
    assert client.post(f"/account/tokens/{mine.pk}/revoke/").status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked_at is not None and theirs.revoked_at is None


def test_revoking_needs_a_post(client, rep):
    token, _ = token_create(user=rep, name="mine")
    client.force_login(rep)
    assert client.get(f"/account/tokens/{token.pk}/revoke/").status_code == 405
