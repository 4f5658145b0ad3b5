"""The due-date rule: add_delay, local_datetime and next_start (kadans.activities.chaining)."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.utils import timezone

from kadans.activities.chaining import add_delay, next_start
from kadans.activities.models import Activity, ActivityType
from kadans.activities.services import activity_complete
from kadans.core.time import local_datetime
from tests.factories import ActivityTypeFactory, make_activity

BXL = zoneinfo.ZoneInfo("Europe/Brussels")
UTC = datetime.UTC
D = datetime.date
DAYS, WEEKS, MONTHS = ActivityType.DelayUnit.DAYS, ActivityType.DelayUnit.WEEKS, ActivityType.DelayUnit.MONTHS
COMPLETION, DEADLINE = ActivityType.DelayFrom.COMPLETION, ActivityType.DelayFrom.DEADLINE


# -- add_delay ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "count", "unit", "expected"),
    [
        (D(2026, 3, 10), 0, DAYS, D(2026, 3, 10)),
        (D(2026, 3, 10), 2, DAYS, D(2026, 3, 12)),
        (D(2026, 3, 30), 3, DAYS, D(2026, 4, 2)),
        (D(2026, 2, 27), 2, DAYS, D(2026, 3, 1)),
        (D(2028, 2, 27), 2, DAYS, D(2028, 2, 29)),
        (D(2026, 12, 30), 5, DAYS, D(2027, 1, 4)),
        (D(2026, 3, 12), -2, DAYS, D(2026, 3, 10)),
        (D(2027, 1, 2), -3, DAYS, D(2026, 12, 30)),
        (D(2026, 3, 10), 1, WEEKS, D(2026, 3, 17)),
        (D(2026, 12, 28), 2, WEEKS, D(2027, 1, 11)),
        (D(2026, 3, 17), -1, WEEKS, D(2026, 3, 10)),
        (D(2027, 1, 4), -1, WEEKS, D(2026, 12, 28)),
        (D(2026, 1, 15), 1, MONTHS, D(2026, 2, 15)),
        (D(2026, 1, 31), 1, MONTHS, D(2026, 2, 28)),
        (D(2028, 1, 31), 1, MONTHS, D(2028, 2, 29)),
        (D(2026, 1, 30), 1, MONTHS, D(2026, 2, 28)),
        (D(2026, 3, 31), 1, MONTHS, D(2026, 4, 30)),
        (D(2026, 5, 31), 1, MONTHS, D(2026, 6, 30)),
        (D(2026, 8, 31), 1, MONTHS, D(2026, 9, 30)),
        (D(2026, 12, 31), 2, MONTHS, D(2027, 2, 28)),
        (D(2027, 12, 31), 2, MONTHS, D(2028, 2, 29)),
        (D(2026, 12, 15), 1, MONTHS, D(2027, 1, 15)),
        (D(2026, 11, 30), 14, MONTHS, D(2028, 1, 30)),
        (D(2026, 1, 31), 12, MONTHS, D(2027, 1, 31)),
        (D(2028, 2, 29), 12, MONTHS, D(2029, 2, 28)),
        (D(2026, 3, 31), -1, MONTHS, D(2026, 2, 28)),
        (D(2026, 1, 31), -2, MONTHS, D(2025, 11, 30)),
        (D(2026, 1, 15), -1, MONTHS, D(2025, 12, 15)),
        (D(2026, 3, 15), -15, MONTHS, D(2024, 12, 15)),
        (D(2026, 5, 31), 0, MONTHS, D(2026, 5, 31)),
    ],
)
def test_add_delay(day, count, unit, expected):
    assert add_delay(day, count, unit) == expected


def test_add_delay_accepts_the_unit_as_a_plain_string():
    assert add_delay(D(2026, 1, 31), 1, "months") == D(2026, 2, 28)


def test_add_delay_refuses_an_unknown_unit():
    with pytest.raises(ValueError):
        add_delay(D(2026, 1, 31), 1, "years")


# -- local_datetime -----------------------------------------------------------------------------------------


def test_local_datetime_is_the_wall_clock_time_in_the_zone():
    value = local_datetime(D(2026, 6, 1), datetime.time(14, 15), BXL)
    assert value == datetime.datetime(2026, 6, 1, 12, 15, tzinfo=UTC)
    assert value.utcoffset() == datetime.timedelta(hours=2)


def test_local_datetime_moves_a_skipped_time_forward_by_the_gap():
    value = local_datetime(D(2026, 3, 29), datetime.time(2, 30), BXL)
    assert (value.date(), value.time(), value.utcoffset()) == (
        D(2026, 3, 29),
        datetime.time(3, 30),
        datetime.timedelta(hours=2),
    )
    assert value == datetime.datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def test_local_datetime_takes_the_first_of_a_repeated_time():
    value = local_datetime(D(2026, 10, 25), datetime.time(2, 30), BXL)
    assert (value.time(), value.utcoffset()) == (datetime.time(2, 30), datetime.timedelta(hours=2))
    # an ambiguous local time never compares equal across zones (PEP 495): compare in UTC
    assert value.astimezone(UTC) == datetime.datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


# -- next_start ---------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _company_time_zone_active():
    """As outside a request: the company time zone is the active one (whatever an earlier test left)."""
    with timezone.override(BXL):
        yield


def _type(kind=ActivityType.Kind.TODO, **delay) -> ActivityType:
    return ActivityTypeFactory.build(kind=kind, **delay)


def _all_day(rule: ActivityType, day: datetime.date) -> Activity:
    """An all-day activity as activity_create stores it: midnight of its day in the company time zone."""
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=BXL)
    return Activity(type=rule, start=start, end=start, all_day=True)


def _timed(rule: ActivityType, start: datetime.datetime) -> Activity:
    return Activity(type=rule, start=start, end=start + datetime.timedelta(hours=1), all_day=False)


TODO = _type()
CALL = _type(ActivityType.Kind.CALL)
MEETING = _type(ActivityType.Kind.MEETING)


def test_from_completion_counts_from_the_completion_day_in_the_given_time_zone():
    rule = _type(delay_count=2, delay_unit=DAYS, delay_from=COMPLETION)
    after = _all_day(rule, D(2026, 3, 1))
    # 23:30 UTC is 00:30 the next day in Brussels
    completed_at = datetime.datetime(2026, 3, 10, 23, 30, tzinfo=UTC)
    schedule = next_start(after=after, next_type=TODO, completed_at=completed_at, tz=BXL)
    assert schedule.due_date == D(2026, 3, 13)
    in_utc = next_start(after=after, next_type=TODO, completed_at=completed_at, tz=zoneinfo.ZoneInfo("UTC"))
    assert in_utc.due_date == D(2026, 3, 12)


def test_from_completion_just_before_midnight_local_is_still_that_day():
    rule = _type(delay_count=1, delay_unit=DAYS, delay_from=COMPLETION)
    after = _all_day(rule, D(2026, 7, 1))
    completed_at = datetime.datetime(2026, 7, 10, 21, 59, tzinfo=UTC)  # 23:59 in Brussels (summer time)
    assert next_start(after=after, next_type=TODO, completed_at=completed_at, tz=BXL).due_date == D(2026, 7, 11)


def test_from_completion_ignores_the_completed_activitys_own_date():
    rule = _type(delay_count=1, delay_unit=WEEKS, delay_from=COMPLETION)
    after = _all_day(rule, D(2026, 1, 5))
    completed_at = datetime.datetime(2026, 2, 2, 10, 0, tzinfo=UTC)
    assert next_start(after=after, next_type=TODO, completed_at=completed_at, tz=BXL).due_date == D(2026, 2, 9)


def test_from_deadline_counts_from_the_completed_activitys_due_date():
    rule = _type(delay_count=2, delay_unit=DAYS, delay_from=DEADLINE)
    after = _all_day(rule, D(2026, 3, 5))
    completed_at = datetime.datetime(2026, 3, 10, 23, 30, tzinfo=UTC)
    assert next_start(after=after, next_type=TODO, completed_at=completed_at, tz=BXL).due_date == D(2026, 3, 7)


def test_from_deadline_of_a_timed_activity_uses_its_local_date():
    rule = _type(delay_count=1, delay_unit=DAYS, delay_from=DEADLINE)
    # 23:30 UTC on 9 March is 00:30 on 10 March in Brussels
    after = _timed(rule, datetime.datetime(2026, 3, 9, 23, 30, tzinfo=UTC))
    completed_at = datetime.datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
    assert next_start(after=after, next_type=TODO, completed_at=completed_at, tz=BXL).due_date == D(2026, 3, 11)


def test_from_deadline_of_a_timed_activity_reads_the_deadline_in_the_given_time_zone():
    new_york = zoneinfo.ZoneInfo("America/New_York")
    rule = _type(delay_count=1, delay_unit=DAYS, delay_from=DEADLINE)
    # 23:00 on 9 March in New York, already 10 March in Brussels (the active time zone here)
    after = _timed(rule, datetime.datetime(2026, 3, 9, 23, 0, tzinfo=new_york))
    schedule = next_start(after=after, next_type=CALL, completed_at=after.start, tz=new_york)
    assert schedule.start == datetime.datetime(2026, 3, 10, 23, 0, tzinfo=new_york)


@pytest.mark.parametrize(
    ("due", "count", "unit", "expected"),
    [
        (D(2026, 1, 31), 1, MONTHS, D(2026, 2, 28)),
        (D(2028, 1, 31), 1, MONTHS, D(2028, 2, 29)),
        (D(2026, 3, 31), 1, MONTHS, D(2026, 4, 30)),
        (D(2026, 12, 31), 2, MONTHS, D(2027, 2, 28)),
        (D(2026, 12, 28), 1, WEEKS, D(2027, 1, 4)),
        (D(2026, 12, 31), 1, DAYS, D(2027, 1, 1)),
        (D(2026, 3, 5), 0, DAYS, D(2026, 3, 5)),
    ],
)
def test_from_deadline_with_each_unit(due, count, unit, expected):
    rule = _type(delay_count=count, delay_unit=unit, delay_from=DEADLINE)
    after = _all_day(rule, due)
    completed_at = datetime.datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
    assert next_start(after=after, next_type=TODO, completed_at=completed_at, tz=BXL).due_date == expected


@pytest.mark.parametrize(
    ("kind", "timed"),
    [
        (ActivityType.Kind.TODO, False),
        (ActivityType.Kind.EMAIL, False),
        (ActivityType.Kind.UPLOAD, False),
        (ActivityType.Kind.SIGNATURE, False),
        (ActivityType.Kind.REMINDER, False),
        (ActivityType.Kind.CALL, True),
        (ActivityType.Kind.MEETING, True),
    ],
)
def test_calls_and_meetings_are_timed_the_rest_all_day(kind, timed):
    rule = _type(delay_count=1, delay_unit=DAYS, delay_from=DEADLINE)
    next_type = _type(kind)
    schedule = next_start(
        after=_all_day(rule, D(2026, 6, 1)),
        next_type=next_type,
        completed_at=datetime.datetime(2026, 6, 1, 12, 0, tzinfo=UTC),
        tz=BXL,
    )
    assert schedule.all_day is not timed
    assert schedule.activity_type is next_type
    assert schedule.due_date == D(2026, 6, 2)
    if timed:
        assert schedule.start is not None and schedule.start_value == schedule.start
    else:
        assert schedule.start is None and schedule.start_value == D(2026, 6, 2)


def test_a_timed_next_after_an_all_day_activity_is_at_nine():
    rule = _type(delay_count=3, delay_unit=DAYS, delay_from=DEADLINE)
    schedule = next_start(
        after=_all_day(rule, D(2026, 6, 1)),
        next_type=CALL,
        completed_at=datetime.datetime(2026, 6, 1, 12, 0, tzinfo=UTC),
        tz=BXL,
    )
    assert schedule.start == datetime.datetime(2026, 6, 4, 9, 0, tzinfo=BXL)
    assert schedule.start.astimezone(BXL).time() == datetime.time(9, 0)


def test_a_timed_next_keeps_the_local_time_of_day_of_a_timed_previous():
    rule = _type(delay_count=2, delay_unit=DAYS, delay_from=DEADLINE)
    after = _timed(rule, datetime.datetime(2026, 6, 1, 14, 15, tzinfo=BXL))
    schedule = next_start(
        after=after, next_type=MEETING, completed_at=datetime.datetime(2026, 6, 1, 15, 0, tzinfo=BXL), tz=BXL
    )
    assert schedule.start == datetime.datetime(2026, 6, 3, 14, 15, tzinfo=BXL)


def test_the_time_of_day_is_read_in_the_given_time_zone():
    rule = _type(delay_count=1, delay_unit=DAYS, delay_from=COMPLETION)
    after = _timed(rule, datetime.datetime(2026, 6, 1, 12, 0, tzinfo=UTC))  # 14:00 in Brussels
    new_york = zoneinfo.ZoneInfo("America/New_York")
    completed_at = datetime.datetime(2026, 6, 1, 13, 0, tzinfo=UTC)  # 09:00 in New York
    schedule = next_start(after=after, next_type=CALL, completed_at=completed_at, tz=new_york)
    assert schedule.start == datetime.datetime(2026, 6, 2, 8, 0, tzinfo=new_york)


def test_a_timed_previous_followed_by_an_all_day_type_gives_a_date_only():
    rule = _type(delay_count=1, delay_unit=DAYS, delay_from=DEADLINE)
    after = _timed(rule, datetime.datetime(2026, 6, 1, 14, 15, tzinfo=BXL))
    schedule = next_start(after=after, next_type=TODO, completed_at=after.start, tz=BXL)
    assert (schedule.all_day, schedule.start, schedule.start_value) == (True, None, D(2026, 6, 2))


def test_a_next_call_at_a_skipped_time_moves_to_after_the_gap():
    rule = _type(delay_count=1, delay_unit=DAYS, delay_from=DEADLINE)
    after = _timed(rule, datetime.datetime(2026, 3, 28, 2, 30, tzinfo=BXL))
    schedule = next_start(after=after, next_type=CALL, completed_at=after.start, tz=BXL)
    assert schedule.due_date == D(2026, 3, 29)
    local = schedule.start.astimezone(BXL)
    assert (local.date(), local.time(), local.utcoffset()) == (
        D(2026, 3, 29),
        datetime.time(3, 30),
        datetime.timedelta(hours=2),
    )


def test_a_next_call_at_a_repeated_time_is_the_first_occurrence():
    rule = _type(delay_count=1, delay_unit=DAYS, delay_from=DEADLINE)
    after = _timed(rule, datetime.datetime(2026, 10, 24, 2, 30, tzinfo=BXL))
    schedule = next_start(after=after, next_type=CALL, completed_at=after.start, tz=BXL)
    assert schedule.start.astimezone(UTC) == datetime.datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert schedule.start.astimezone(BXL).utcoffset() == datetime.timedelta(hours=2)


@pytest.mark.parametrize(
    ("start", "expected_utc"),
    [
        # spring: 10:00 CET → a week later 10:00 CEST
        (datetime.datetime(2026, 3, 26, 10, 0, tzinfo=BXL), datetime.datetime(2026, 4, 2, 8, 0, tzinfo=UTC)),
        # autumn: 10:00 CEST → a week later 10:00 CET
        (datetime.datetime(2026, 10, 22, 10, 0, tzinfo=BXL), datetime.datetime(2026, 10, 29, 9, 0, tzinfo=UTC)),
    ],
)
def test_a_timed_activity_scheduled_across_a_dst_change_keeps_its_local_time(start, expected_utc):
    rule = _type(delay_count=1, delay_unit=WEEKS, delay_from=DEADLINE)
    after = _timed(rule, start)
    schedule = next_start(after=after, next_type=MEETING, completed_at=start, tz=BXL)
    assert schedule.start == expected_utc
    assert schedule.start.astimezone(BXL).time() == datetime.time(10, 0)


# -- the rule applied by activity_complete ------------------------------------------------------------------


def test_completing_at_half_past_eleven_utc_counts_from_the_next_brussels_day(relation, rep):
    follow_up = ActivityTypeFactory()
    trigger = ActivityTypeFactory(
        chaining=ActivityType.Chaining.TRIGGER,
        triggered_type=follow_up,
        delay_count=1,
        delay_unit=DAYS,
        delay_from=COMPLETION,
    )
    activity = make_activity(relation=relation, activity_type=trigger, start=D(2026, 3, 10))
    with time_machine.travel(datetime.datetime(2026, 3, 10, 23, 30, tzinfo=UTC), tick=False):
        result = activity_complete(activity=activity, user=rep)
    assert result.next_activity.due_date == D(2026, 3, 12)
    assert result.next_activity.all_day


def test_completing_in_another_time_zone_uses_the_completing_users_day(relation, rep):
    rep.time_zone = "America/New_York"
    rep.save()
    call = ActivityTypeFactory(kind=ActivityType.Kind.CALL)
    trigger = ActivityTypeFactory(
        chaining=ActivityType.Chaining.TRIGGER,
        triggered_type=call,
        delay_count=1,
        delay_unit=DAYS,
        delay_from=COMPLETION,
    )
    activity = make_activity(relation=relation, activity_type=trigger, start=D(2026, 3, 10))
    # 02:00 UTC on 11 March is still 10 March (22:00) in New York
    with time_machine.travel(datetime.datetime(2026, 3, 11, 2, 0, tzinfo=UTC), tick=False):
        result = activity_complete(activity=activity, user=rep)
    new_york = zoneinfo.ZoneInfo("America/New_York")
    assert result.next_activity.start == datetime.datetime(2026, 3, 11, 9, 0, tzinfo=new_york)
    assert not result.next_activity.all_day
