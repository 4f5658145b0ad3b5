import pytest

from tests.factories import RelationFactory, UserFactory


@pytest.fixture(autouse=True)
def _fast_and_english(settings):
    """Tests read English messages unless they choose Dutch (a user's language, or a browser locale)."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    translation.activate("en")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def rep(db):
    return UserFactory(username="rep")


@pytest.fixture
def relation(rep):
    return RelationFactory(representative=rep)


@pytest.fixture(autouse=True)
def _default_data(request):
    """Transactional tests (threads, live server) flush every table afterwards, the default statuses and
    types of the data migration included; put them back for each such test."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if transactional:
        from django.apps import apps

        from kadans.activities.defaults import load_defaults

        request.getfixturevalue("transactional_db")
        load_defaults(apps)
