"""Error pages (400, 403, 404, 500) with DEBUG off: the Kadans layout, the user's language, a link home;
the 500 page renders with no request, context processors or database. Under /api/v1/ errors stay JSON,
also for a path the API does not know."""

import pytest
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import include, path
from django.utils import translation

from kadans.urls import handler400, handler403, handler404, handler500  # noqa: F401  (this urlconf's)
from tests.api_support import api_as
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _bad_request(request):
    raise SuspiciousOperation("broken on purpose")


def _forbidden(request):
    raise PermissionDenied


@login_not_required
def _crash(request):
    raise RuntimeError("broken on purpose")


# This module is the urlconf of its tests: Kadans' own URLs, the same handlers, and views that fail.
urlpatterns = [
    path("boom/400/", _bad_request),
    path("boom/403/", _forbidden),
    path("boom/500/", _crash),
    path("api/v1/boom/500/", _crash),
    path("", include("kadans.urls")),
]


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__


@pytest.fixture
def dutch_client():
    user = UserFactory(language="nl")
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


PAGES = {
    # status: (path, Dutch title, English title)
    400: ("/boom/400/", "Ongeldige aanvraag", "Bad request"),
    403: ("/boom/403/", "Niet toegestaan", "Not allowed"),
    404: ("/does-not-exist/", "Pagina niet gevonden", "Page not found"),
    500: ("/boom/500/", "Er ging iets mis", "Something went wrong"),
}


@pytest.mark.parametrize("status", PAGES)
def test_each_error_page_is_in_the_users_language_with_a_way_home(dutch_client, status):
    url, dutch, english = PAGES[status]
    response = dutch_client.get(url)
    assert response.status_code == status
    text = response.content.decode()
    assert f"<h1>{dutch}</h1>" in text and english not in text
    assert f'id="error-{status}"' in text
    assert 'class="brand"' in text and 'pico.min.css' in text  # the Kadans layout
    assert 'href="/" role="button"' in text


@pytest.mark.parametrize("status", PAGES)
def test_each_error_page_is_in_english_for_an_english_browser(status):
    url, _dutch, english = PAGES[status]
    response = Client(raise_request_exception=False).get(url, HTTP_ACCEPT_LANGUAGE="en")
    # anonymous visitors are sent to log in first, except where the error comes before that
    if response.status_code == 302:
        assert response.url.startswith("/login/")
        return
    assert response.status_code == status
    assert f"<h1>{english}</h1>" in response.content.decode()


def test_the_500_page_renders_without_request_context_or_database():
    with translation.override("nl"), CaptureQueriesContext(connection) as queries:
        html = render_to_string("500.html")
    assert "Er ging iets mis" in html and 'href="/"' in html
    assert len(queries) == 0


def test_an_expired_form_is_a_kadans_403(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "x", "password": "y"}, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 403
    text = response.content.decode()
    assert 'id="error-403-csrf"' in text and "Het formulier is verlopen" in text


def test_an_unknown_api_path_answers_json(dutch_client):
    response = Client().get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "Not found.", "errors": {}}


def test_an_unknown_api_object_still_answers_the_apis_json(rep):
    response = api_as(rep).get("/relations/999999")
    assert response.status_code == 404 and response.json()["detail"]


def test_a_crash_under_the_api_answers_json():
    response = Client(raise_request_exception=False).get("/api/v1/boom/500/")
    assert response.status_code == 500
    assert response.json() == {"detail": "Internal server error.", "errors": {}}
