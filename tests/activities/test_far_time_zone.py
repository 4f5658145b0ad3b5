"""An all-day activity is a date in the company's time zone for everyone: a user in a far time zone sees
it overdue, today or planned on the same day as the office does, on the dashboard and in the API's due
filters, as on "my activities" (due_state and due_before are one rule)."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from kadans.activities.models import due_before, due_state
from kadans.reports.dashboard import dashboard
from tests.factories import UserFactory, make_activity

pytestmark = pytest.mark.django_db

# 20:00 on 9 March in Los Angeles (UTC-7) is already 04:00 on 10 March in Brussels
NOW = datetime.datetime(2026, 3, 10, 3, 0, tzinfo=datetime.UTC)


@pytest.fixture
def far_rep():
    return UserFactory(time_zone="America/Los_Angeles")


@pytest.fixture
def activities(far_rep, relation):
    with time_machine.travel(NOW - datetime.timedelta(days=30), tick=False):
        return {
            # company dates: the 9th is the user's today, the 10th their tomorrow (though Brussels is there)
            "all_day_9th": make_activity(user=far_rep, relation=relation, representative=far_rep,
                                          start=datetime.date(2026, 3, 9)),
            "all_day_10th": make_activity(user=far_rep, relation=relation, representative=far_rep,
                                           start=datetime.date(2026, 3, 10)),
            # 18:00 on the 9th in Los Angeles: today for the user
            "timed_9th": make_activity(user=far_rep, relation=relation, representative=far_rep, all_day=False,
                                        start=datetime.datetime(2026, 3, 10, 1, 0, tzinfo=datetime.UTC)),
        }


def test_due_state_and_due_before_agree_for_a_far_user(far_rep, activities):
    tz = far_rep.tzinfo
    with time_machine.travel(NOW, tick=False):
        today = timezone.localdate(timezone=tz)
        assert today == datetime.date(2026, 3, 9)
        states = {name: due_state(status=a.status, start=a.start, all_day=a.all_day, tz=tz)
                  for name, a in activities.items()}
        assert states == {"all_day_9th": "today", "all_day_10th": "planned", "timed_9th": "today"}
        model = type(activities["timed_9th"])
        assert not model.objects.filter(due_before(today, tz)).exists()
        due_by_tomorrow = model.objects.filter(due_before(today + datetime.timedelta(days=1), tz))
        assert {a.pk for a in due_by_tomorrow} == {activities["all_day_9th"].pk, activities["timed_9th"].pk}


def test_the_dashboard_counts_a_far_users_day_as_my_activities_does(far_rep, activities):
    tz = far_rep.tzinfo
    with time_machine.travel(NOW, tick=False), timezone.override(tz):
        today = timezone.localdate()
        start = datetime.datetime.combine(today, datetime.time.min, tzinfo=tz)
        board = dashboard(user=far_rep, today=today, today_start=start,
                          tomorrow_start=start + datetime.timedelta(days=1))
    assert (board.overdue_count, board.today_count) == (0, 2)
    assert {row.pk for row in board.due_now} == {activities["all_day_9th"].pk, activities["timed_9th"].pk}


def test_the_apis_due_filters_read_all_day_activities_on_the_companys_dates(client, far_rep, activities):
    client.force_login(far_rep)
    with time_machine.travel(NOW, tick=False):
        got = client.get("/api/v1/activities", {"due_from": "2026-03-10", "due_until": "2026-03-10"}).json()
    assert {item["id"] for item in got["items"]} == {activities["all_day_10th"].pk}
    with time_machine.travel(NOW, tick=False):
        got = client.get("/api/v1/activities", {"due_until": "2026-03-09"}).json()
    assert {item["id"] for item in got["items"]} == {activities["all_day_9th"].pk, activities["timed_9th"].pk}
