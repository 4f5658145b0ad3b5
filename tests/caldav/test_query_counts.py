"""A sync reads a fixed number of queries, whatever the number of activities."""

import datetime

import pytest
from django.utils import timezone

from kadans.activities.models import Activity
from kadans.activities.recurrence import Recurrence
from tests.caldav.conftest import basic
from tests.factories import make_activity

pytestmark = pytest.mark.django_db

SYNC = """<?xml version="1.0"?><d:sync-collection xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">
<d:sync-token>{token}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/><c:calendar-data/></d:prop>
</d:sync-collection>"""


def _fill(sara, customer, size):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    for i in range(size):
        make_activity(user=sara, relation=customer, start=tomorrow + datetime.timedelta(days=i), summary=f"A{i}")
    make_activity(user=sara, relation=customer, start=tomorrow, recurrence=Recurrence(freq="DAILY", count=size))


def _sync(client, password, token=""):
    return client.generic("REPORT", "/caldav/users/sara/own/", SYNC.format(token=token),
                          content_type="application/xml", **basic("sara", password))


@pytest.mark.parametrize("size", [3, 30])
def test_a_sync_reads_a_fixed_number_of_queries(client, sara, app_password, customer, size,
                                                django_assert_num_queries):
    _fill(sara, customer, size)
    # the first sync: the app password with its user and its last use, the calendar's rows, its alarms and
    # its client events; the sync state made (get_or_create, with savepoints), locked, its entries read and
    # written in one insert, its number saved; the activities to render, in one query
    with django_assert_num_queries(16):
        first = _sync(client, app_password)
    assert first.status_code == 207
    token = first.content.decode().split("<d:sync-token>")[1].split("<")[0]
    Activity.objects.filter(summary="A0").update(summary="A0 changed", updated_at=timezone.now())
    # after one change: the same reads, the changed entry written (bulk_update, with its savepoint)
    # instead of the insert, the changes since the token, and the one activity to render
    with django_assert_num_queries(13):
        changed = _sync(client, app_password, token)
    assert changed.content.decode().count("<d:response>") == 1
