""""My activities" read by halves (kadans.activities.open_activities) gives the same rows, order and counts as
the plain query it replaces: the user's planned activities as representative or participant, overdue first."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.db.models import Count
from django.utils import timezone

from kadans.activities.filters import MyActivitiesFilterSet
from kadans.activities.models import ActivityType
from kadans.activities.models import due_before as starts_before
from kadans.activities.open_activities import OpenActivities, open_activity_counts
from kadans.activities.selectors import user_open_activities
from kadans.activities.services import activity_cancel, activity_complete
from kadans.core.filters import conditions
from tests.factories import RelationFactory, UserFactory, make_activity

pytestmark = pytest.mark.django_db

BXL = zoneinfo.ZoneInfo("Europe/Brussels")
NOW = datetime.datetime(2026, 6, 10, 23, 30, tzinfo=BXL)  # late evening: New York is still on the 10th


@pytest.fixture
def world():
    me, other = UserFactory(), UserFactory()
    call = ActivityType.objects.get(name="Call")
    relation = RelationFactory(representative=me, name="Brouwerij Het Anker")
    other_relation = RelationFactory(representative=other, name="Café Rubens")
    with time_machine.travel(NOW, tick=False):
        today = timezone.localdate()
        for day in range(-3, 4):
            start = today + datetime.timedelta(days=day)
            make_activity(user=me, relation=relation, start=start)
            make_activity(user=me, relation=relation, activity_type=call, all_day=False,
                          start=datetime.datetime.combine(start, datetime.time(8, 30), tzinfo=BXL))
            joined = make_activity(user=other, relation=other_relation, representative=other, participants=[me],
                                   start=start)
            if day == 0:
                activity_complete(activity=joined, user=other)
            if day == 1:
                activity_cancel(activity=joined, user=other)
        make_activity(user=other, relation=other_relation, representative=other, start=today)  # not mine
    return {"me": me, "call": call}


@pytest.mark.parametrize("zone", ["Europe/Brussels", "America/New_York"])
@pytest.mark.parametrize("narrow", [{}, {"period": "overdue"}, {"period": "today"}, {"period": "week"},
                                    {"relation": "anker"}, {"type": True}])
def test_the_halves_read_what_the_plain_query_reads(world, zone, narrow):
    if narrow.get("type"):
        narrow = {"type": str(world["call"].pk)}
    with time_machine.travel(NOW, tick=False), timezone.override(zoneinfo.ZoneInfo(zone)):
        tz = timezone.get_current_timezone()
        today_start = datetime.datetime.combine(timezone.localdate(), datetime.time.min, tzinfo=tz)
        tomorrow_start = today_start + datetime.timedelta(days=1)
        filterset = MyActivitiesFilterSet(narrow, queryset=user_open_activities(world["me"]), today_start=today_start)
        plain = filterset.qs
        before_today = starts_before(today_start.date(), tz)
        before_tomorrow = starts_before(tomorrow_start.date(), tz)
        expected_counts = plain.aggregate(
            overdue=Count("id", filter=before_today), today=Count("id", filter=~before_today & before_tomorrow),
            upcoming=Count("id", filter=~before_tomorrow),
        )
        halves = OpenActivities(world["me"], today_start=today_start, tomorrow_start=tomorrow_start, prefetch=5,
                                where=conditions(filterset))

        assert halves.counts() == expected_counts
        assert open_activity_counts(world["me"], today_start=today_start, tomorrow_start=tomorrow_start,
                                    where=conditions(filterset)) == expected_counts
        assert len(halves) == plain.count()
        for start in (0, 5, 10):  # pages past the prefetched keys too
            assert [a.pk for a in halves[start:start + 5]] == [a.pk for a in plain[start:start + 5]]
