"""What completing an activity triggers or suggests, and which chains of types are cycles."""

import datetime

import pytest
import time_machine

from kadans.activities.chaining import chain_edges
from kadans.activities.models import Activity, ActivityType
from kadans.activities.services import activity_complete
from tests.factories import ActivityTypeFactory, ContactFactory, RelationFactory, UserFactory, make_activity

TRIGGER, SUGGEST, NONE = ActivityType.Chaining.TRIGGER, ActivityType.Chaining.SUGGEST, ActivityType.Chaining.NONE
NOW = datetime.datetime(2026, 6, 10, 8, 0, tzinfo=datetime.UTC)  # 10:00 in Brussels


@pytest.fixture
def quote(db):
    return ActivityTypeFactory(name="Offerte maken", default_summary="Offerte opmaken en versturen")


@pytest.fixture
def meeting_type(quote):
    return ActivityTypeFactory(
        name="Bezoek",
        kind=ActivityType.Kind.MEETING,
        chaining=TRIGGER,
        triggered_type=quote,
        delay_count=3,
        delay_unit="days",
        delay_from="completion",
    )


def _complete(activity, user):
    with time_machine.travel(NOW, tick=False):
        return activity_complete(activity=activity, user=user)


def _children(activity):
    return Activity.objects.filter(previous=activity)


# -- trigger ------------------------------------------------------------------------------------------------


def test_completing_a_trigger_type_creates_one_next_activity(relation, rep, meeting_type, quote):
    contact = ContactFactory(relation=relation)
    meeting = make_activity(
        relation=relation,
        activity_type=meeting_type,
        contact=contact,
        summary="Proeverij",
        start=datetime.date(2026, 6, 1),
    )
    before = Activity.objects.count()
    result = _complete(meeting, rep)
    assert Activity.objects.count() == before + 1
    nxt = _children(meeting).get()
    assert result.next_activity == nxt
    assert (nxt.type, nxt.status, nxt.previous) == (quote, Activity.Status.PLANNED, meeting)
    assert (nxt.due_date, nxt.all_day) == (datetime.date(2026, 6, 13), True)
    assert nxt.representative == rep
    assert nxt.contact == contact
    assert nxt.summary == "Offerte opmaken en versturen"
    assert nxt.relation == relation
    assert result.suggestions == []


def test_the_next_activity_goes_to_the_next_types_default_user(relation, rep, meeting_type, quote):
    back_office = UserFactory()
    quote.default_user = back_office
    quote.save()
    result = _complete(make_activity(relation=relation, activity_type=meeting_type), rep)
    assert result.next_activity.representative == back_office


def test_the_next_activity_goes_to_the_relations_representative_not_the_one_completing(relation, rep, meeting_type):
    colleague = UserFactory()
    result = _complete(
        make_activity(relation=relation, activity_type=meeting_type, representative=colleague), colleague
    )
    assert result.next_activity.representative == rep
    assert result.next_activity.created_by == colleague


def test_without_a_relation_representative_the_next_activity_goes_to_the_one_completing(meeting_type):
    closer = UserFactory()
    relation = RelationFactory(representative=None)
    result = _complete(make_activity(user=closer, relation=relation, activity_type=meeting_type), closer)
    assert result.next_activity.representative == closer


def test_a_triggered_calendar_type_is_timed_at_the_previous_time_of_day(relation, rep):
    call = ActivityTypeFactory(kind=ActivityType.Kind.CALL)
    meeting_type = ActivityTypeFactory(
        kind=ActivityType.Kind.MEETING,
        chaining=TRIGGER,
        triggered_type=call,
        delay_count=1,
        delay_unit="weeks",
        delay_from="deadline",
    )
    start = datetime.datetime(2026, 6, 1, 14, 30, tzinfo=datetime.UTC)  # 16:30 in Brussels
    meeting = make_activity(relation=relation, activity_type=meeting_type, all_day=False, start=start)
    nxt = _complete(meeting, rep).next_activity
    assert (nxt.all_day, nxt.start) == (False, start + datetime.timedelta(weeks=1))
    assert nxt.end - nxt.start == datetime.timedelta(hours=1)


def test_an_explicit_summary_is_not_copied_to_the_next_activity(relation, rep, meeting_type, quote):
    quote.default_summary = ""
    quote.save()
    result = _complete(make_activity(relation=relation, activity_type=meeting_type, summary="Proeverij"), rep)
    assert result.next_activity.summary == ""


def test_completing_twice_triggers_one_next_activity(relation, rep, meeting_type):
    meeting = make_activity(relation=relation, activity_type=meeting_type)
    first = _complete(meeting, rep)
    second = _complete(Activity.objects.get(pk=meeting.pk), UserFactory())
    assert (first.completed, second.completed) == (True, False)
    assert second.next_activity is None
    assert _children(meeting).count() == 1


def test_an_archived_triggered_type_triggers_nothing(relation, rep, meeting_type, quote):
    quote.active = False
    quote.save()
    meeting = make_activity(relation=relation, activity_type=meeting_type)
    before = Activity.objects.count()
    result = _complete(meeting, rep)
    assert result.completed
    assert result.next_activity is None
    assert Activity.objects.count() == before


def test_the_triggered_activity_triggers_in_turn(relation, rep, meeting_type, quote):
    follow_up = ActivityTypeFactory(kind=ActivityType.Kind.REMINDER)
    quote.chaining, quote.triggered_type, quote.delay_count = TRIGGER, follow_up, 5
    quote.save()
    quote_activity = _complete(make_activity(relation=relation, activity_type=meeting_type), rep).next_activity
    with time_machine.travel(NOW + datetime.timedelta(days=3), tick=False):
        follow = activity_complete(activity=quote_activity, user=rep).next_activity
    assert (follow.type, follow.previous, follow.due_date) == (follow_up, quote_activity, datetime.date(2026, 6, 18))


def test_a_type_that_triggers_itself_makes_one_new_activity_per_completion(relation, rep):
    weekly = ActivityTypeFactory(delay_count=1, delay_unit="weeks", delay_from="deadline")
    weekly.chaining, weekly.triggered_type = TRIGGER, weekly
    weekly.save()
    first = make_activity(relation=relation, activity_type=weekly, start=datetime.date(2026, 6, 1))
    second = _complete(first, rep).next_activity
    assert (second.type, second.due_date) == (weekly, datetime.date(2026, 6, 8))
    assert Activity.objects.filter(relation=relation, status=Activity.Status.PLANNED).count() == 1


def test_recording_an_activity_as_done_straight_away_triggers_nothing(relation, rep, meeting_type):
    done = make_activity(relation=relation, activity_type=meeting_type, status=Activity.Status.DONE)
    assert not _children(done).exists()


# -- suggest ------------------------------------------------------------------------------------------------


@pytest.fixture
def email_type(db):
    call = ActivityTypeFactory(name="Bellen", kind=ActivityType.Kind.CALL, order=1)
    visit = ActivityTypeFactory(name="Bezoek plannen", kind=ActivityType.Kind.MEETING, order=2)
    todo = ActivityTypeFactory(name="Brochure sturen", order=3)
    email = ActivityTypeFactory(
        name="Mail",
        kind=ActivityType.Kind.EMAIL,
        chaining=SUGGEST,
        delay_count=2,
        delay_unit="days",
        delay_from="deadline",
    )
    email.suggested_types.set([call, visit, todo])
    return email


def test_a_suggest_type_returns_suggestions_with_dates_and_creates_nothing(relation, rep, email_type):
    email = make_activity(relation=relation, activity_type=email_type, start=datetime.date(2026, 6, 8))
    before = Activity.objects.count()
    result = _complete(email, rep)
    assert result.completed
    assert result.next_activity is None
    assert Activity.objects.count() == before
    assert [(s.activity_type.name, s.due_date, s.all_day) for s in result.suggestions] == [
        ("Bellen", datetime.date(2026, 6, 10), False),
        ("Bezoek plannen", datetime.date(2026, 6, 10), False),
        ("Brochure sturen", datetime.date(2026, 6, 10), True),
    ]
    assert result.suggestions[0].start == datetime.datetime(2026, 6, 10, 7, 0, tzinfo=datetime.UTC)  # 09:00 local
    assert result.suggestions[2].start_value == datetime.date(2026, 6, 10)


def test_archived_suggested_types_are_not_suggested(relation, rep, email_type):
    ActivityType.objects.filter(name="Bellen").update(active=False)
    result = _complete(make_activity(relation=relation, activity_type=email_type), rep)
    assert [s.activity_type.name for s in result.suggestions] == ["Bezoek plannen", "Brochure sturen"]


def test_completing_a_suggest_type_twice_suggests_nothing_the_second_time(relation, rep, email_type):
    email = make_activity(relation=relation, activity_type=email_type)
    _complete(email, rep)
    assert _complete(email, rep).suggestions == []


def test_no_chaining_does_nothing(relation, rep):
    plain = ActivityTypeFactory(chaining=NONE, delay_count=2)
    activity = make_activity(relation=relation, activity_type=plain)
    before = Activity.objects.count()
    result = _complete(activity, rep)
    assert result.completed
    assert (result.next_activity, result.suggestions) == (None, [])
    assert Activity.objects.count() == before


def test_suggested_types_are_ignored_when_chaining_is_none(relation, rep):
    plain = ActivityTypeFactory(chaining=NONE)
    plain.suggested_types.set([ActivityTypeFactory()])
    assert _complete(make_activity(relation=relation, activity_type=plain), rep).suggestions == []


# -- chain_edges --------------------------------------------------------------------------------------------


def _edges(types):
    return {(e.source.name, e.target.name, e.kind, e.in_cycle) for e in chain_edges(types)}


@pytest.mark.django_db
def test_a_trigger_loop_is_a_cycle():
    a, b = ActivityTypeFactory(name="A"), ActivityTypeFactory(name="B")
    a.chaining, a.triggered_type = TRIGGER, b
    a.save()
    b.chaining, b.triggered_type = TRIGGER, a
    b.save()
    assert _edges([a, b]) == {("A", "B", "trigger", True), ("B", "A", "trigger", True)}


@pytest.mark.django_db
def test_a_type_suggesting_itself_is_a_cycle():
    a = ActivityTypeFactory(name="A", chaining=SUGGEST)
    b = ActivityTypeFactory(name="B")
    a.suggested_types.set([a, b])
    assert _edges([a, b]) == {("A", "A", "suggest", True), ("A", "B", "suggest", False)}


@pytest.mark.django_db
def test_a_chain_that_does_not_come_back_is_no_cycle():
    c = ActivityTypeFactory(name="C")
    b = ActivityTypeFactory(name="B", chaining=TRIGGER, triggered_type=c)
    a = ActivityTypeFactory(name="A", chaining=SUGGEST)
    a.suggested_types.set([b, c])
    assert _edges([a, b, c]) == {
        ("A", "B", "suggest", False),
        ("A", "C", "suggest", False),
        ("B", "C", "trigger", False),
    }


@pytest.mark.django_db
def test_a_longer_mixed_loop_marks_only_its_own_edges():
    a, b, c, d = (ActivityTypeFactory(name=n) for n in "ABCD")
    a.chaining = SUGGEST
    a.save()
    a.suggested_types.set([b])
    b.chaining, b.triggered_type = TRIGGER, c
    b.save()
    c.chaining = SUGGEST
    c.save()
    c.suggested_types.set([a, d])
    assert _edges([a, b, c, d]) == {
        ("A", "B", "suggest", True),
        ("B", "C", "trigger", True),
        ("C", "A", "suggest", True),
        ("C", "D", "suggest", False),
    }


@pytest.mark.django_db
def test_edges_to_types_not_listed_are_left_out():
    a, b = ActivityTypeFactory(name="A"), ActivityTypeFactory(name="B")
    a.chaining, a.triggered_type = TRIGGER, b
    a.save()
    b.chaining, b.triggered_type = TRIGGER, a
    b.save()
    assert _edges([a]) == set()


@pytest.mark.django_db
def test_suggested_types_without_suggest_chaining_draw_no_edge():
    a, b = ActivityTypeFactory(name="A"), ActivityTypeFactory(name="B")
    a.suggested_types.set([b])
    assert _edges([a, b]) == set()
