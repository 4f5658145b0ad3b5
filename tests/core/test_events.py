"""kadans.core.events: what the domain services publish reaches the subscribers once the change commits."""

import pytest
from django.db import transaction

from kadans.core import events


@pytest.fixture
def heard(monkeypatch):
    """A clean subscriber table with one listener that writes down what it hears."""
    monkeypatch.setattr(events, "_subscribers", events.defaultdict(list))
    seen = []
    events.subscribe(events.ActivityCancelled, seen.append)
    return seen


def cancelled(activity_id=1):
    return events.ActivityCancelled(by_id=None, activity_id=activity_id)


@pytest.mark.django_db(transaction=True)
def test_an_event_is_delivered_after_the_commit_not_before(heard):
    with transaction.atomic():
        events.publish(cancelled())
        assert heard == []
    assert heard == [cancelled()]


@pytest.mark.django_db(transaction=True)
def test_nothing_is_delivered_for_a_change_that_was_rolled_back(heard):
    with pytest.raises(RuntimeError), transaction.atomic():
        events.publish(cancelled())
        raise RuntimeError
    with transaction.atomic():
        events.publish(cancelled(1))
        with pytest.raises(RuntimeError), transaction.atomic():  # a savepoint rolled back
            events.publish(cancelled(2))
            raise RuntimeError
    assert heard == [cancelled(1)]


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_it_is_delivered_at_once(heard):
    events.publish(cancelled())
    assert heard == [cancelled()]


@pytest.mark.django_db(transaction=True)
def test_a_failing_subscriber_does_not_keep_the_others_from_hearing(heard, caplog):
    def broken(event):
        raise ValueError("boom")

    events._subscribers[events.ActivityCancelled].insert(0, broken)
    with transaction.atomic():
        events.publish(cancelled())
    assert heard == [cancelled()]
    assert "boom" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_subscribing_twice_delivers_once(heard):
    events.subscribe(events.ActivityCancelled, heard.append)
    events.publish(cancelled())
    assert heard == [cancelled()]


@pytest.mark.django_db(transaction=True)
def test_a_commit_memo_is_shared_by_the_deliveries_of_one_commit_only(monkeypatch):
    monkeypatch.setattr(events, "_subscribers", events.defaultdict(list))
    reads = []

    def listener(event):
        events.commit_memo("rows", lambda: reads.append(event.activity_id))

    events.subscribe(events.ActivityCancelled, listener)
    with transaction.atomic():
        events.publish(cancelled(1))
        events.publish(cancelled(2))
    with transaction.atomic():
        events.publish(cancelled(3))
    assert reads == [1, 3]
    assert events.commit_memo("outside", lambda: "fresh") == "fresh"
