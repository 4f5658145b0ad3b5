"""user_open_activities and activity_counters."""

import datetime
import zoneinfo

import pytest
import time_machine

from kadans.activities.open_activities import open_activity_counts as activity_counters
from kadans.activities.selectors import user_open_activities
from kadans.activities.services import activity_cancel, activity_complete
from tests.factories import RelationFactory, UserFactory, make_activity

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
D = datetime.date


@pytest.fixture
def other(db):
    return UserFactory(username="other")


def test_open_activities_include_those_as_representative_and_as_participant(rep, relation, other):
    own = make_activity(relation=relation)
    joined = make_activity(relation=RelationFactory(representative=other), participants=[rep])
    assert {a.pk for a in user_open_activities(rep)} == {own.pk, joined.pk}


def test_open_activities_exclude_done_cancelled_and_other_peoples(rep, relation, other):
    done, cancelled = make_activity(relation=relation), make_activity(relation=relation)
    activity_complete(activity=done, user=rep)
    activity_cancel(activity=cancelled, user=rep)
    make_activity(relation=RelationFactory(representative=other))
    make_activity(relation=RelationFactory(representative=other), participants=[UserFactory()])
    assert list(user_open_activities(rep)) == []


def test_open_activities_list_each_activity_once(rep, relation, other):
    shared = make_activity(relation=relation, participants=[other, UserFactory()])
    make_activity(relation=RelationFactory(representative=other), participants=[rep, UserFactory()])
    pks = [a.pk for a in user_open_activities(rep)]
    assert len(pks) == len(set(pks)) == 2
    assert shared.pk in pks


def test_open_activities_are_ordered_by_start(rep, relation, other):
    late = make_activity(relation=relation, start=D(2026, 6, 3))
    early = make_activity(relation=RelationFactory(representative=other), participants=[rep], start=D(2026, 6, 1))
    timed = make_activity(relation=relation, all_day=False, start=datetime.datetime(2026, 6, 2, 9, 0, tzinfo=BRUSSELS))
    assert [a.pk for a in user_open_activities(rep)] == [early.pk, timed.pk, late.pk]


def test_open_activities_load_their_list_relations_in_one_query(rep, relation, django_assert_num_queries):
    make_activity(relation=relation)
    make_activity(relation=relation)
    with django_assert_num_queries(1):
        for activity in user_open_activities(rep):
            shown = (activity.relation.name, activity.type.name, activity.representative.username, activity.contact)
            assert shown


@time_machine.travel(datetime.datetime(2026, 5, 10, 12, 0, tzinfo=BRUSSELS), tick=False)
def test_counters_count_overdue_today_and_upcoming(rep, relation, other):
    for day in (D(2026, 5, 8), D(2026, 5, 9)):
        make_activity(relation=relation, start=day)
    make_activity(relation=relation, start=D(2026, 5, 10))
    make_activity(relation=relation, all_day=False, start=datetime.datetime(2026, 5, 10, 23, 30, tzinfo=BRUSSELS))
    make_activity(relation=RelationFactory(representative=other), participants=[rep], start=D(2026, 5, 10))
    for day in (D(2026, 5, 11), D(2026, 5, 20), D(2026, 7, 1)):
        make_activity(relation=relation, start=day)
    # not counted: done, cancelled, someone else's
    done, cancelled = make_activity(relation=relation, start=D(2026, 5, 9)), make_activity(relation=relation)
    activity_complete(activity=done, user=rep)
    activity_cancel(activity=cancelled, user=rep)
    make_activity(relation=RelationFactory(representative=other), start=D(2026, 5, 10))

    today_start = datetime.datetime(2026, 5, 10, tzinfo=BRUSSELS)
    counters = activity_counters(rep, today_start=today_start, tomorrow_start=today_start + datetime.timedelta(days=1))
    assert counters == {"overdue": 2, "today": 3, "upcoming": 3}


def test_counters_are_zero_without_activities(rep):
    today_start = datetime.datetime(2026, 5, 10, tzinfo=BRUSSELS)
    counters = activity_counters(rep, today_start=today_start, tomorrow_start=today_start + datetime.timedelta(days=1))
    assert counters == {"overdue": 0, "today": 0, "upcoming": 0}
