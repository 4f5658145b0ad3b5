"""Activity.state and due_date: overdue / today / planned / done / cancelled, around midnight and DST."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.utils import timezone

from kadans.activities.services import activity_cancel, activity_complete
from tests.factories import make_activity

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
UTC = datetime.UTC


def _at(*args, tz=UTC):
    return time_machine.travel(datetime.datetime(*args, tzinfo=tz), tick=False)


def _all_day(relation, day):
    return make_activity(relation=relation, start=day)


def _timed(relation, local_dt):
    return make_activity(relation=relation, all_day=False, start=local_dt.replace(tzinfo=BRUSSELS))


D = datetime.date


@_at(2026, 5, 10, 12, 0)
@pytest.mark.parametrize(
    ("day", "expected"),
    [(D(2026, 5, 9), "overdue"), (D(2026, 5, 10), "today"), (D(2026, 5, 11), "planned")],
)
def test_planned_all_day_state_follows_its_date(relation, day, expected):
    assert _all_day(relation, day).state() == expected


@_at(2026, 5, 10, 12, 0)
def test_done_and_cancelled_keep_their_status_whatever_the_date(relation, rep):
    done, cancelled = _all_day(relation, D(2026, 5, 1)), _all_day(relation, D(2026, 5, 1))
    activity_complete(activity=done, user=rep)
    activity_cancel(activity=cancelled, user=rep)
    assert (done.state(), cancelled.state()) == ("done", "cancelled")


def test_state_uses_the_today_given(relation):
    activity = _all_day(relation, D(2026, 5, 10))
    assert activity.state(today=D(2026, 5, 10)) == "today"
    assert activity.state(today=D(2026, 5, 11)) == "overdue"


# all-day: dates read in the company time zone, whoever looks


@_at(2026, 5, 10, 22, 0)  # Brussels 00:00 on the 11th, New York 18:00 on the 10th
def test_all_day_dates_read_the_same_in_another_time_zone(relation):
    tenth, eleventh = _all_day(relation, D(2026, 5, 10)), _all_day(relation, D(2026, 5, 11))
    with timezone.override("America/New_York"):
        assert (tenth.due_date, eleventh.due_date) == (D(2026, 5, 10), D(2026, 5, 11))
        assert (tenth.state(), eleventh.state()) == ("today", "planned")
    assert (tenth.state(), eleventh.state()) == ("overdue", "today")


# timed: read in the user's time zone


@_at(2026, 5, 10, 22, 30)  # Brussels 00:30 on the 11th, Tokyo 07:30 on the 11th, New York 18:30 on the 10th
@pytest.mark.parametrize(
    ("tz", "due", "expected"),
    [
        ("Europe/Brussels", D(2026, 5, 10), "overdue"),
        ("Asia/Tokyo", D(2026, 5, 11), "today"),
        ("America/New_York", D(2026, 5, 10), "today"),
    ],
)
def test_timed_activity_near_midnight_is_dated_in_the_users_time_zone(relation, tz, due, expected):
    activity = _timed(relation, datetime.datetime(2026, 5, 10, 23, 30))
    with timezone.override(tz):
        assert (activity.due_date, activity.state()) == (due, expected)


@_at(2026, 5, 10, 21, 45)  # Brussels 23:45 on the 10th
def test_timed_activity_just_after_midnight_is_tomorrow_in_brussels(relation):
    activity = _timed(relation, datetime.datetime(2026, 5, 11, 0, 15))
    assert (activity.due_date, activity.state()) == (D(2026, 5, 11), "planned")
    with timezone.override("Europe/London"):
        assert (activity.due_date, activity.state()) == (D(2026, 5, 10), "today")


# daylight saving: 2026-03-29 02:00 CET -> 03:00 CEST; 2026-10-25 03:00 CEST -> 02:00 CET


@_at(2026, 3, 29, 0, 30, tz=BRUSSELS)
@pytest.mark.parametrize(
    ("day", "expected"),
    [(D(2026, 3, 28), "overdue"), (D(2026, 3, 29), "today"), (D(2026, 3, 30), "planned")],
)
def test_all_day_state_on_the_spring_forward_day(relation, day, expected):
    assert _all_day(relation, day).state() == expected


@_at(2026, 3, 29, 0, 30, tz=BRUSSELS)
def test_timed_activity_after_the_spring_forward_gap_is_today(relation):
    activity = _timed(relation, datetime.datetime(2026, 3, 29, 3, 30))
    assert activity.start == datetime.datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert (activity.due_date, activity.state()) == (D(2026, 3, 29), "today")


@_at(2026, 3, 29, 22, 30)  # 00:30 CEST on the 30th; with the winter offset it would still be the 29th
def test_spring_forward_day_is_overdue_just_after_its_midnight(relation):
    assert _all_day(relation, D(2026, 3, 29)).state() == "overdue"


@_at(2026, 10, 24, 22, 30)  # 00:30 CEST on the 25th
def test_fall_back_day_is_today_from_its_first_minutes(relation):
    assert _all_day(relation, D(2026, 10, 25)).state() == "today"


@_at(2026, 10, 25, 22, 30)  # 23:30 CET on the 25th; with the summer offset it would be the 26th
@pytest.mark.parametrize(("day", "expected"), [(D(2026, 10, 25), "today"), (D(2026, 10, 26), "planned")])
def test_fall_back_day_lasts_25_hours(relation, day, expected):
    assert _all_day(relation, day).state() == expected


@_at(2026, 10, 25, 22, 30)
def test_timed_activity_in_the_repeated_hour_is_dated_the_fall_back_day(relation):
    activity = _timed(relation, datetime.datetime(2026, 10, 25, 2, 30))
    assert (activity.due_date, activity.state()) == (D(2026, 10, 25), "today")
