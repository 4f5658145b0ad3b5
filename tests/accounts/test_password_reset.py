"""Password reset by e-mail (Django's own views, Kadans' templates), sent over a real SMTP server on
loopback: the link from the received mail sets a new password that logs in; the answer is the same for
known and unknown addresses; links expire and work once."""

import re
import time

import pytest
import time_machine
from django.test import Client

from tests.factories import UserFactory
from tests.mail_support import body_text, smtp  # noqa: F401

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Veilig-Nieuw-Wachtwoord-42"


@pytest.fixture
def pieter(db):
    return UserFactory(username="pieter", email="pieter@kadans.test")


def _ask(client: Client, email: str, **extra):
    return client.post("/account/password-reset/", {"email": email}, follow=True, **extra)


def _link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/account/reset/[^\s]+/)", body_text(message))
    assert match, body_text(message)
    return match.group(1)


def _set_password(client: Client, link: str, password: str = NEW_PASSWORD):
    form = client.get(link, follow=True)  # the token moves into the session, then the form shows
    assert 'id="password-set-form"' in form.content.decode()
    return client.post(form.redirect_chain[-1][0], {"new_password1": password, "new_password2": password},
                       follow=True)


def test_the_link_from_the_mail_sets_a_password_that_logs_in(client, pieter, smtp):  # noqa: F811
    response = _ask(client, "pieter@kadans.test")
    assert response.status_code == 200 and 'id="reset-sent"' in response.content.decode()
    [message] = smtp.messages
    assert message.envelope_rcpt == ["pieter@kadans.test"]
    assert message["Subject"] == "Kadans: choose a new password"
    assert "pieter" in body_text(message)

    done = _set_password(client, _link(message))
    assert 'id="reset-complete"' in done.content.decode()

    login = Client()
    assert login.post("/login/", {"username": "pieter", "password": "secret-pass-123"}).status_code == 200
    response = login.post("/login/", {"username": "pieter", "password": NEW_PASSWORD})
    assert response.status_code == 302 and response.url == "/"
    assert login.get("/account/").status_code == 200


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, pieter, smtp):  # noqa: F811
    known = _ask(Client(), "pieter@kadans.test")
    unknown = _ask(Client(), "nobody@kadans.test")
    assert [url for url, _status in unknown.redirect_chain] == [url for url, _status in known.redirect_chain]
    assert unknown.status_code == known.status_code == 200
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"')
    assert strip.sub("", unknown.content.decode()) == strip.sub("", known.content.decode())
    assert [m.envelope_rcpt for m in smtp.messages] == [["pieter@kadans.test"]]


def test_a_link_works_once(client, pieter, smtp):  # noqa: F811
    _ask(client, "pieter@kadans.test")
    link = _link(smtp.messages[0])
    _set_password(client, link)
    again = Client().get(link, follow=True)
    assert 'id="invalid-link"' in again.content.decode()


def test_a_link_expires_after_the_reset_timeout(client, pieter, smtp, settings):  # noqa: F811
    settings.PASSWORD_RESET_TIMEOUT = 3600
    _ask(client, "pieter@kadans.test")
    link = _link(smtp.messages[0])
    with time_machine.travel(time.time() + 2 * 3600):
        response = Client().get(link, follow=True)
    assert 'id="invalid-link"' in response.content.decode()
    assert 'id="password-set-form"' not in response.content.decode()


def test_the_reset_pages_and_mail_are_in_dutch_for_a_dutch_browser(client, pieter, smtp):  # noqa: F811
    page = client.get("/account/password-reset/", HTTP_ACCEPT_LANGUAGE="nl")
    assert "Wachtwoord vergeten?" in page.content.decode()
    response = _ask(client, "pieter@kadans.test", HTTP_ACCEPT_LANGUAGE="nl")
    assert "Kijk in je mailbox" in response.content.decode()
    assert smtp.messages[0]["Subject"] == "Kadans: kies een nieuw wachtwoord"


def test_the_login_page_links_to_the_reset(client):
    assert 'href="/account/password-reset/"' in client.get("/login/").content.decode()
