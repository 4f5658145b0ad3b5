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
    # the first sync: the app password with its user (1) and its last use (1), the calendar's rows (1),
    # its alarms (1) and its client events (1); the sync state: made (5, with get_or_create's savepoints),
    # locked (1), its entries read (1) and written (1), its number saved (1); the activities to render (1)
    with django_assert_num_queries(16):
        first = _sync(client, app_password)
    assert first.status_code == 207
    token = first.content.decode().split("<d:sync-token>")[1].split("<")[0]
    Activity.objects.filter(summary="A0").update(summary="A0 changed", updated_at=timezone.now())
    # after one change: the app password (1), rows, alarms and client events (3), sync state read and
    # locked (2), entries read (1), the changed one written (bulk_update: 3 with its savepoint) and the
    # number saved (1), the changes since the token (1) and the activity to render (1)
    with django_assert_num_queries(13):
        changed = _sync(client, app_password, token)
    assert changed.content.decode().count("<d:response>") == 1
