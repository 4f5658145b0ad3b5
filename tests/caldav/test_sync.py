"""sync-collection (RFC 6578) through the `caldav` library: after a first sync, only what changed since the
token comes back, from Kadans' side and from the client's, deletions included."""

import datetime

from caldav.elements.base import ValuedBaseElement
from django.utils import timezone

from kadans.activities.models import Activity
from kadans.activities.services import activity_cancel, activity_update
from tests.caldav.conftest import calendar_named
from tests.factories import make_activity


def _uids(objects):
    return sorted(str(o.icalendar_component["uid"]) for o in objects)


def test_sync_returns_only_changes_since_the_token(principal, sara, customer):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    first = make_activity(user=sara, relation=customer, start=tomorrow, summary="First")
    second = make_activity(user=sara, relation=customer, start=tomorrow, summary="Second")
    calendar = calendar_named(principal, "own")
    synced = calendar.objects_by_sync_token(load_objects=True)
    assert _uids(synced) == sorted([f"activity-{first.pk}@kadans", f"activity-{second.pk}@kadans"])

    # nothing changed: nothing comes back
    assert list(calendar.objects_by_sync_token(sync_token=synced.sync_token, load_objects=True)) == []

    # changed in Kadans: that one comes back; a new one too; a cancelled one as gone
    activity_update(activity=Activity.objects.get(pk=first.pk), user=sara, summary="First, moved")
    third = make_activity(user=sara, relation=customer, start=tomorrow, summary="Third")
    activity_cancel(activity=Activity.objects.get(pk=second.pk), user=sara)
    changes = calendar.objects_by_sync_token(sync_token=synced.sync_token, load_objects=False)
    changed = sorted(str(o.url).rsplit("/", 1)[-1] for o in changes)
    assert changed == sorted([f"activity-{first.pk}.ics", f"activity-{second.pk}.ics", f"activity-{third.pk}.ics"])

    # the full answer tells which are gone: the caldav library's sync() drops them from its collection
    synced.sync()
    assert _uids(synced) == sorted([f"activity-{first.pk}@kadans", f"activity-{third.pk}@kadans"])


def test_a_change_from_the_client_shows_in_the_next_sync(principal, sara, customer):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    one = make_activity(user=sara, relation=customer, start=tomorrow, summary="One")
    make_activity(user=sara, relation=customer, start=tomorrow, summary="Two")
    calendar = calendar_named(principal, "own")
    synced = calendar.objects_by_sync_token(load_objects=True)
    event = calendar.event_by_uid(f"activity-{one.pk}@kadans")
    event.icalendar_component["summary"] = "One, renamed — Café De Kroon"
    event.save()
    changes = list(calendar.objects_by_sync_token(sync_token=synced.sync_token, load_objects=True))
    assert [str(c.icalendar_component["summary"]) for c in changes] == ["One, renamed — Café De Kroon"]


def test_the_ctag_changes_with_the_calendar(principal, sara, customer):
    calendar = calendar_named(principal, "own")
    ctag = calendar.get_property(_getctag())
    assert calendar.get_property(_getctag()) == ctag
    make_activity(user=sara, relation=customer)
    assert calendar.get_property(_getctag()) != ctag


class _GetCTag(ValuedBaseElement):
    tag = "{http://calendarserver.org/ns/}getctag"


def _getctag():
    return _GetCTag()
