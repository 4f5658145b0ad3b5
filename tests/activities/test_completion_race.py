"""Two browsers at once: completing (or completing and cancelling) the same activity from several threads,
each on its own database connection, does the work once."""

import threading

import pytest
from django.db import connections

from kadans.activities.models import Activity, ActivityType
from kadans.activities.services import activity_cancel, activity_complete
from kadans.relations.models import BusinessStatus
from tests.factories import ActivityTypeFactory, RelationFactory, UserFactory, make_activity
from tests.relations_support import NewStatusChanges

pytestmark = pytest.mark.django_db(transaction=True)


def _race(*calls):
    """Run each call in its own thread, released together by a barrier; return their results in order.
    An exception in a thread is returned as its result, so that the test reports it."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=10)
            results[i] = call()
        except Exception as e:  # noqa: BLE001 - reported by the test's assertions
            results[i] = e
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    return results


def _setup():
    rep = UserFactory()
    relation = RelationFactory(representative=rep)
    follow_up = ActivityTypeFactory()
    trigger = ActivityTypeFactory(
        chaining=ActivityType.Chaining.TRIGGER, triggered_type=follow_up, delay_count=2, delay_unit="days"
    )
    activity = make_activity(
        relation=relation, activity_type=trigger, new_status=BusinessStatus.objects.get(code="customer")
    )
    return relation, activity, [rep, *(UserFactory() for _ in range(3))]


def _completer(pk, user):
    # each thread loads its own copy, as each browser request would
    return lambda: activity_complete(activity=Activity.objects.get(pk=pk), user=user, feedback=f"by {user.pk}")


@pytest.mark.parametrize("threads", [2, 4])
def test_completing_at_once_completes_once_and_triggers_once(threads):
    relation, activity, users = _setup()
    new_changes = NewStatusChanges()
    results = _race(*(_completer(activity.pk, u) for u in users[:threads]))

    winners = [r for r in results if r.completed]
    assert len(winners) == 1
    assert all(r.next_activity is None for r in results if not r.completed)
    activity.refresh_from_db()
    assert activity.status == Activity.Status.DONE
    assert activity.done_by == winners[0].activity.done_by
    assert activity.note.count("by ") == 1
    next_activities = Activity.objects.filter(previous=activity)
    assert list(next_activities) == [winners[0].next_activity]
    assert Activity.objects.filter(relation=relation).count() == 2
    change = new_changes().get()
    assert change.relation == relation
    assert (change.activity_id, change.user_id, change.to_status.code) == (activity.pk, activity.done_by_id, "customer")


def test_cancelling_and_completing_at_once_one_wins():
    relation, activity, users = _setup()
    new_changes = NewStatusChanges()
    completed, cancelled = _race(
        _completer(activity.pk, users[0]),
        lambda: activity_cancel(activity=Activity.objects.get(pk=activity.pk), user=users[1], reason="dubbel"),
    )
    assert completed.completed != cancelled  # exactly one of them won
    activity.refresh_from_db()
    if completed.completed:
        assert activity.status == Activity.Status.DONE
        assert activity.cancel_reason == ""
        assert Activity.objects.filter(previous=activity).count() == 1
        assert [c.to_status.code for c in new_changes(relation=relation)] == ["customer"]
    else:
        assert activity.status == Activity.Status.CANCELLED
        assert (activity.done_at, activity.done_by) == (None, None)
        assert not Activity.objects.filter(previous=activity).exists()
        assert not new_changes().exists()
