"""A repeating series is one resource (RRULE, EXDATE, RECURRENCE-ID): a change of one occurrence in a
calendar app changes that occurrence only; an EXDATE cancels it; the rule itself is not changed there."""

import datetime
import zoneinfo

import pytest
from caldav.lib import error
from icalendar import Event

from kadans.activities.models import Activity
from kadans.activities.recurrence import Recurrence
from tests.caldav.conftest import calendar_named
from tests.factories import make_activity

BXL = zoneinfo.ZoneInfo("Europe/Brussels")


@pytest.fixture
def weekly(sara, customer):
    start = datetime.datetime(2030, 3, 4, 9, 0, tzinfo=BXL)
    first = make_activity(user=sara, relation=customer, start=start, all_day=False, summary="Check-in",
                          recurrence=Recurrence(freq="WEEKLY", count=4))
    return list(Activity.objects.filter(series=first.series).order_by("recurrence_id"))


def _series_event(principal, rows):
    return calendar_named(principal, "own").event_by_uid(f"series-{rows[0].series_id}@kadans")


def test_a_series_is_one_event_with_its_rule(principal, weekly):
    event = _series_event(principal, weekly)
    master = event.icalendar_component
    assert master["rrule"]["COUNT"] == [4]
    assert master["dtstart"].dt == datetime.datetime(2030, 3, 4, 9, 0, tzinfo=BXL)


def test_moving_one_occurrence_changes_that_one_only(principal, weekly):
    event = _series_event(principal, weekly)
    cal = event.icalendar_instance
    second = weekly[1]
    override = Event()
    override.add("uid", str(event.icalendar_component["uid"]))
    override.add("dtstamp", datetime.datetime.now(datetime.UTC))
    override.add("recurrence-id", second.recurrence_id.astimezone(BXL))
    override.add("dtstart", second.start.astimezone(BXL) + datetime.timedelta(hours=2))
    override.add("dtend", second.end.astimezone(BXL) + datetime.timedelta(hours=2))
    override.add("summary", "Check-in — Café De Kroon")
    cal.add_component(override)
    event.data = cal.to_ical()
    event.save()
    rows = list(Activity.objects.filter(pk__in=[a.pk for a in weekly]).order_by("recurrence_id"))
    assert [r.start - a.start for r, a in zip(rows, weekly, strict=True)] == [
        datetime.timedelta(0), datetime.timedelta(hours=2), datetime.timedelta(0), datetime.timedelta(0)
    ]
    assert rows[1].series_id == weekly[0].series_id


def test_an_exdate_cancels_that_occurrence(principal, weekly):
    event = _series_event(principal, weekly)
    event.icalendar_component.add("exdate", weekly[2].recurrence_id.astimezone(BXL))
    event.save()
    statuses = list(Activity.objects.filter(pk__in=[a.pk for a in weekly]).order_by("recurrence_id")
                    .values_list("status", flat=True))
    assert statuses == ["planned", "planned", "cancelled", "planned"]


def test_changing_the_rule_is_refused(principal, weekly):
    event = _series_event(principal, weekly)
    event.icalendar_component["rrule"]["COUNT"] = [10]
    with pytest.raises(error.AuthorizationError, match="Forbidden"):
        event.save()
    assert Activity.objects.filter(series=weekly[0].series_id).count() == 4


def test_deleting_the_series_cancels_its_planned_occurrences(principal, weekly):
    _series_event(principal, weekly).delete()
    assert set(Activity.objects.filter(pk__in=[a.pk for a in weekly]).values_list("status", flat=True)) == {
        "cancelled"
    }
