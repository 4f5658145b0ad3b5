"""Every user changes their own password from My settings (Django's PasswordChangeView, Kadans'
templates): the old one is asked, the session stays logged in, and the new one logs in."""

import pytest
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Veilig-Nieuw-Wachtwoord-42"


@pytest.fixture
def logged_in(rep):
    client = Client()
    client.force_login(rep)
    return client


def _change(client: Client, old: str, new: str = NEW_PASSWORD):
    return client.post("/account/password/", {"old_password": old, "new_password1": new, "new_password2": new})


def test_my_settings_links_to_the_password_change(logged_in):
    assert 'href="/account/password/"' in logged_in.get("/account/").content.decode()


def test_a_wrong_old_password_is_refused(logged_in, rep):
    response = _change(logged_in, "not-my-password")
    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in response.content.decode()
    rep.refresh_from_db()
    assert rep.check_password("secret-pass-123")


def test_the_new_password_logs_in_and_the_session_stays(logged_in, rep):
    response = _change(logged_in, "secret-pass-123")
    assert response.status_code == 302 and response.url == "/account/password/done/"
    assert 'id="password-changed"' in logged_in.get(response.url).content.decode()
    assert logged_in.get("/account/").status_code == 200  # still logged in
    assert Client().post("/login/", {"username": "rep", "password": NEW_PASSWORD}).status_code == 302


def test_every_role_may_change_its_password(db):
    for role in ("representative", "manager", "administrator"):
        user = UserFactory(role=role)
        client = Client()
        client.force_login(user)
        assert client.get("/account/password/").status_code == 200


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/account/password/")
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_the_change_form_is_in_dutch_for_a_dutch_user(db):
    user = UserFactory(language="nl")
    client = Client()
    client.force_login(user)
    assert "Wachtwoord wijzigen" in client.get("/account/password/").content.decode()
