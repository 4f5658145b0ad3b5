from pathlib import Path

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

TESTS_DIR = Path(__file__).resolve().parent
# Whole files that are slow: a real browser, a property-based fuzz run, real threads racing.
SLOW_FILES = {"api/test_schemathesis.py", "activities/test_completion_race.py"}


def pytest_collection_modifyitems(config, items):
    """Mark the slow tests so a developer can run the fast part alone (`-m "not slow"`)."""
    for item in items:
        relative = Path(str(item.path)).resolve().relative_to(TESTS_DIR).as_posix()
        if relative.startswith("browser/") or relative in SLOW_FILES:
            item.add_marker(pytest.mark.slow)


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
