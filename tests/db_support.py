"""Rows made once for many tests.

`shared_rows(django_db_blocker, build)` is for a module- or class-scoped fixture: it calls `build()` inside
a transaction that is rolled back when the fixture ends. Each test that uses the rows still asks for `db`:
its own transaction is then a savepoint inside that one, so what a test writes is undone after it and the
next test sees the rows exactly as `build()` left them. Not for transactional tests (they commit).
"""

import contextlib
from collections.abc import Callable, Iterator
from typing import TypeVar

from django.db import transaction
from django.test import override_settings
from django.utils import translation

T = TypeVar("T")

# what tests/conftest.py's _fast_and_english gives each test, for rows made before any test starts
TEST_SETTINGS = {"LANGUAGE_CODE": "en", "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"]}


@contextlib.contextmanager
def shared_rows(django_db_blocker, build: Callable[[], T]) -> Iterator[T]:
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with override_settings(**TEST_SETTINGS), translation.override("en"):
                rows = build()
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    try:
        yield rows
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
