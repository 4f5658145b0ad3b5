"""activity_complete, activity_cancel and activity_update."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from kadans.activities.models import Activity
from kadans.activities.services import CostLineData, activity_cancel, activity_complete, activity_update
from kadans.relations.models import BusinessStatus, Priority
from tests.factories import ActivityTypeFactory, ContactFactory, UserFactory, make_activity
from tests.relations_support import NewStatusChanges

NOON = datetime.datetime(2026, 6, 10, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def customer(db):
    return BusinessStatus.objects.get(code="customer")


@pytest.fixture
def activity(relation):
    return make_activity(relation=relation, note="Plan: stalen tonen")


def _snapshot(activity):
    activity.refresh_from_db()
    return (activity.status, activity.done_at, activity.done_by_id, activity.cancelled_at, activity.note)


# activity_complete


def test_completing_sets_done_time_and_user(activity):
    closer = UserFactory()
    with time_machine.travel(NOON, tick=False):
        result = activity_complete(activity=activity, user=closer)
    assert result.completed
    activity.refresh_from_db()
    assert activity.status == Activity.Status.DONE
    assert (activity.done_by, activity.done_at) == (closer, NOON)


def test_completing_appends_feedback_to_the_note(activity, rep):
    activity_complete(activity=activity, user=rep, feedback="  Klant wil een offerte.  ")
    activity.refresh_from_db()
    assert activity.note == "Plan: stalen tonen\n\nKlant wil een offerte."


def test_completing_without_feedback_keeps_the_note(activity, rep):
    activity_complete(activity=activity, user=rep, feedback="   ")
    activity.refresh_from_db()
    assert activity.note == "Plan: stalen tonen"


def test_completing_applies_new_status_and_priority_and_records_them(relation, rep, customer):
    priority = Priority.objects.get(name="B")
    new_changes = NewStatusChanges()
    activity = make_activity(relation=relation, new_status=customer, new_priority=priority)
    closer = UserFactory()
    activity_complete(activity=activity, user=closer)
    relation.refresh_from_db()
    assert (relation.business_status, relation.priority) == (customer, priority)
    changes = new_changes(relation=relation)
    assert {(c.field, c.activity_id, c.user_id) for c in changes} == {
        ("status", activity.pk, closer.pk),
        ("priority", activity.pk, closer.pk),
    }
    status_change = changes.get(field="status")
    assert (status_change.from_status.code, status_change.to_status) == ("lead", customer)


def test_completing_with_the_current_status_writes_no_status_change(relation, rep):
    new_changes = NewStatusChanges()
    activity = make_activity(relation=relation, new_status=BusinessStatus.objects.get(code="lead"))
    activity_complete(activity=activity, user=rep)
    assert not new_changes().exists()


def test_completing_twice_completes_once(relation, rep, customer):
    new_changes = NewStatusChanges()
    activity = make_activity(relation=relation, new_status=customer)
    activity_complete(activity=activity, user=rep, feedback="eerste")
    before = _snapshot(activity)
    second = activity_complete(activity=activity, user=UserFactory(), feedback="tweede")
    assert second.completed is False
    assert _snapshot(activity) == before
    assert [(c.relation_id, c.to_status) for c in new_changes()] == [(relation.pk, customer)]


def test_completing_a_cancelled_activity_changes_nothing(relation, rep, customer):
    new_changes = NewStatusChanges()
    activity = make_activity(relation=relation, new_status=customer)
    activity_cancel(activity=activity, user=rep)
    before = _snapshot(activity)
    assert activity_complete(activity=activity, user=rep, feedback="toch gedaan").completed is False
    assert _snapshot(activity) == before
    relation.refresh_from_db()
    assert relation.business_status.code == "lead"
    assert not new_changes().exists()


# activity_cancel


def test_cancelling_a_planned_activity_keeps_it_with_its_reason(activity, rep):
    with time_machine.travel(NOON, tick=False):
        assert activity_cancel(activity=activity, user=rep, reason="Klant ziek") is True
    activity.refresh_from_db()
    assert activity.status == Activity.Status.CANCELLED
    assert activity.cancel_reason == "Klant ziek"
    assert activity.cancelled_at == NOON


def test_cancelling_twice_changes_nothing_the_second_time(activity, rep):
    activity_cancel(activity=activity, user=rep, reason="eerste")
    before = (_snapshot(activity), activity.cancel_reason)
    assert activity_cancel(activity=activity, user=rep, reason="tweede") is False
    assert (_snapshot(activity), activity.cancel_reason) == before


def test_cancelling_a_done_activity_changes_nothing(activity, rep):
    activity_complete(activity=activity, user=rep)
    before = _snapshot(activity)
    assert activity_cancel(activity=activity, user=rep, reason="te laat") is False
    assert _snapshot(activity) == before
    assert activity.cancel_reason == ""


# activity_update


def test_update_changes_fields(activity, rep, relation):
    contact = ContactFactory(relation=relation)
    other_type = ActivityTypeFactory()
    activity_update(activity=activity, user=rep, summary="Nieuw", contact=contact, type=other_type)
    activity.refresh_from_db()
    assert (activity.summary, activity.contact, activity.type) == ("Nieuw", contact, other_type)


def test_update_moves_the_period(activity, rep):
    activity_update(activity=activity, user=rep, start=datetime.date(2026, 6, 1), end=datetime.date(2026, 6, 3))
    activity.refresh_from_db()
    assert (activity.due_date, activity.end_date) == (datetime.date(2026, 6, 1), datetime.date(2026, 6, 3))


def test_update_changes_only_the_end(relation, rep):
    activity = make_activity(relation=relation, start=datetime.date(2026, 6, 1))
    activity_update(activity=activity, user=rep, end=datetime.date(2026, 6, 3))
    activity.refresh_from_db()
    assert activity.end_date == datetime.date(2026, 6, 3)


def test_update_with_all_day_unchanged_keeps_the_dates(relation, rep):
    activity = make_activity(relation=relation, start=datetime.date(2026, 6, 1))
    activity = Activity.objects.get(pk=activity.pk)
    activity_update(activity=activity, user=rep, all_day=True)
    activity.refresh_from_db()
    assert activity.due_date == datetime.date(2026, 6, 1)


def test_update_replaces_participants_without_the_representative(activity, rep):
    first, second = UserFactory(), UserFactory()
    activity_update(activity=activity, user=rep, participants=[first])
    activity_update(activity=activity, user=rep, participants=[second, rep])
    assert set(activity.participants.values_list("pk", flat=True)) == {second.pk}


def test_update_making_a_participant_the_representative_removes_them_as_participant(activity, rep):
    colleague = UserFactory()
    activity_update(activity=activity, user=rep, participants=[colleague])
    activity_update(activity=activity, user=rep, representative=colleague)
    assert not activity.participants.filter(pk=colleague.pk).exists()


def test_update_replaces_cost_lines(activity, rep):
    activity_update(
        activity=activity, user=rep, cost_lines=[CostLineData(description="Lunch", unit_price=Decimal("30"))]
    )
    activity_update(
        activity=activity, user=rep, cost_lines=[CostLineData(description="Taxi", unit_price=Decimal("12"))]
    )
    assert list(activity.cost_lines.values_list("description", "unit_price")) == [("Taxi", Decimal("12"))]


def test_update_to_done_completes_and_records_the_status_change(relation, rep, customer):
    activity = make_activity(relation=relation)
    closer = UserFactory()
    new_changes = NewStatusChanges()
    activity_update(activity=activity, user=closer, status=Activity.Status.DONE, new_status=customer)
    activity.refresh_from_db()
    assert (activity.status, activity.done_by) == (Activity.Status.DONE, closer)
    change = new_changes(relation=relation).get()
    assert (change.to_status, change.activity, change.user) == (customer, activity, closer)


def test_update_to_cancelled_cancels(activity, rep):
    activity_update(activity=activity, user=rep, status=Activity.Status.CANCELLED)
    activity.refresh_from_db()
    assert activity.status == Activity.Status.CANCELLED


def test_update_of_a_done_activity_keeps_it_done(activity, rep):
    activity_complete(activity=activity, user=rep)
    activity_update(activity=activity, user=rep, status=Activity.Status.CANCELLED, summary="Verslag")
    activity.refresh_from_db()
    assert (activity.status, activity.summary) == (Activity.Status.DONE, "Verslag")


def test_update_to_an_archived_type_is_refused(activity, rep):
    with pytest.raises(ValidationError) as exc:
        activity_update(activity=activity, user=rep, type=ActivityTypeFactory(active=False))
    assert "type" in exc.value.message_dict


def test_update_keeps_a_type_archived_since_creation(activity, rep):
    activity.type.active = False
    activity.type.save()
    activity_update(activity=activity, user=rep, summary="Nog steeds geldig")
    activity.refresh_from_db()
    assert activity.summary == "Nog steeds geldig"


def test_update_to_a_contact_of_another_relation_is_refused(activity, rep):
    with pytest.raises(ValidationError) as exc:
        activity_update(activity=activity, user=rep, contact=ContactFactory())
    assert "contact" in exc.value.message_dict


def test_update_emptying_the_representative_applies_the_default_rule(activity, rep):
    other = UserFactory()
    activity_update(activity=activity, user=rep, representative=other)
    activity_update(activity=activity, user=rep, representative=None)
    activity.refresh_from_db()
    # no type default user, so the relation's representative
    assert activity.representative_id == activity.relation.representative_id


def test_update_of_an_unknown_field_is_a_type_error(activity, rep):
    with pytest.raises(TypeError):
        activity_update(activity=activity, user=rep, relation=None)
