"""Completing and cancelling are conditional UPDATEs that send no model signal: the events record them."""

import pytest
from django.utils import timezone

from kadans.activities.models import Activity
from kadans.activities.recurrence import Recurrence
from kadans.activities.series import activity_update_following, recurrence_from
from kadans.activities.services import activity_cancel, activity_complete
from kadans.audit import subscribers
from kadans.audit.models import AuditEntry
from kadans.core import events
from tests.audit.audit_support import entries_for
from tests.factories import UserFactory, make_activity

pytestmark = pytest.mark.django_db


def _status_entries(activity):
    return [e for e in entries_for(activity).filter(action=AuditEntry.Action.UPDATE) if "status" in (e.changes or {})]


def test_completion_is_recorded_from_its_event_once(relation, rep, django_capture_on_commit_callbacks):
    activity = make_activity(user=rep, relation=relation)
    activity_complete(activity=activity, user=rep)
    with django_capture_on_commit_callbacks(execute=True):
        events.publish(events.ActivityCompleted(by_id=rep.pk, activity_id=activity.pk))
    subscribers.on_activity_completed(events.ActivityCompleted(by_id=rep.pk, activity_id=activity.pk))
    [entry] = _status_entries(activity)
    assert entry.changes["status"] == ["planned", "done"]
    assert entry.changes["done_by"] == ["None", str(rep.pk)]
    assert entry.actor_id == rep.pk
    assert entry.relation_id == relation.pk


def test_cancelling_is_recorded_with_its_reason(relation, rep):
    activity = make_activity(user=rep, relation=relation)
    activity_cancel(activity=activity, user=rep, reason="Klant belde af")
    subscribers.on_activity_cancelled(events.ActivityCancelled(by_id=rep.pk, activity_id=activity.pk))
    [entry] = _status_entries(activity)
    assert entry.changes["status"] == ["planned", "cancelled"]
    assert entry.changes["cancel_reason"] == ["", "Klant belde af"]


def test_an_event_for_an_activity_that_is_not_done_records_nothing(relation, rep):
    activity = make_activity(user=rep, relation=relation)
    subscribers.on_activity_completed(events.ActivityCompleted(by_id=rep.pk, activity_id=activity.pk))
    assert _status_entries(activity) == []


def test_participants_changed_in_bulk_are_recorded_from_the_event(relation, rep):
    colleague = UserFactory()
    activity = make_activity(user=rep, relation=relation)
    subscribers.on_activity_changed(events.ActivityChanged(
        by_id=rep.pk, activity_id=activity.pk, representative_id=rep.pk,
        participant_ids=frozenset({colleague.pk}), participants_before=frozenset(),
    ))
    entry = entries_for(activity).last()
    assert entry.changes == {"participants": ["", str(colleague.pk)]}


def test_a_completion_through_save_is_not_recorded_twice(relation, rep):
    activity = make_activity(user=rep, relation=relation)
    activity.status, activity.done_at, activity.done_by = Activity.Status.DONE, timezone.now(), rep
    activity.save()
    subscribers.on_activity_completed(events.ActivityCompleted(by_id=rep.pk, activity_id=activity.pk))
    assert len(_status_entries(activity)) == 1


def test_recording_a_completion_takes_three_queries(relation, rep, django_assert_num_queries):
    activity = make_activity(user=rep, relation=relation)
    activity_complete(activity=activity, user=rep)
    event = events.ActivityCompleted(by_id=rep.pk, activity_id=activity.pk)
    with django_assert_num_queries(3):  # the activity with "already recorded?", the actor's e-mail, the INSERT
        subscribers.on_activity_completed(event)


def test_the_occurrences_of_a_new_series_are_recorded_as_created(relation, rep, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = make_activity(user=rep, relation=relation, recurrence=Recurrence(freq="WEEKLY", count=3))
    occurrences = list(Activity.objects.filter(series=first.series_id).exclude(pk=first.pk))
    assert len(occurrences) == 2
    for occurrence in occurrences:
        [entry] = entries_for(occurrence)
        assert entry.action == AuditEntry.Action.CREATE
        assert entry.changes["status"] == ["None", "planned"]
        assert entry.relation_id == relation.pk and entry.actor_id == rep.pk



def test_this_and_following_records_each_later_occurrences_old_and_new_values(
    relation, rep, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = make_activity(user=rep, relation=relation, summary="Weekly round",
                              recurrence=Recurrence(freq="WEEKLY", count=3))
    second, third = Activity.objects.filter(series=first.series_id).exclude(pk=first.pk).order_by("start")
    with django_capture_on_commit_callbacks(execute=True):
        activity_update_following(activity=second, user=rep, recurrence=recurrence_from(second),
                                  summary="Round with samples")
    [entry] = entries_for(third).filter(action=AuditEntry.Action.UPDATE)
    assert entry.changes["summary"] == ["Weekly round", "Round with samples"]
    assert entry.actor_id == rep.pk and entry.relation_id == relation.pk
