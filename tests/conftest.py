import pytest

from tests.factories import RelationFactory, UserFactory


@pytest.fixture(autouse=True)
def _fast_and_english(settings):
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
