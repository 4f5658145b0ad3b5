"""A participation's copies of its activity's status, start and end (read by the participant half of "my
activities" and the calendar) always equal the activity's, whatever changed it: kept by the database's
triggers (migration activities 0007), which a table rebuild on SQLite would silently drop."""

import datetime
import threading
import time
import zoneinfo

import pytest
from django.db import connection, connections, transaction

from kadans.activities import series as series_services
from kadans.activities.models import Activity, Participation
from kadans.activities.recurrence import Recurrence
from kadans.activities.services import activity_cancel, activity_complete, activity_reschedule, activity_update
from tests.factories import RelationFactory, UserFactory, make_activity

pytestmark = pytest.mark.django_db

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
TRIGGERS = {
    "sqlite": {
        ("participation_copy_on_insert", "activities_participation"),
        ("participation_copy_on_activity_change", "activities_participation"),
        ("activity_copy_to_participations", "activities_activity"),
    },
    "postgresql": {
        ("participation_copy", "activities_participation"),
        ("activity_copy_to_participations", "activities_activity"),
    },
}


def at(d, h=10):
    return datetime.datetime(2026, 6, d, h, tzinfo=BRUSSELS)


def assert_in_step():
    rows = list(Participation.objects.values_list(
        "activity_id", "activity_status", "activity_start", "activity_end",
        "activity__status", "activity__start", "activity__end",
    ))
    assert rows
    assert [(row[0], *row[1:4]) for row in rows] == [(row[0], *row[4:]) for row in rows]


@pytest.fixture
def people(rep):
    return rep, UserFactory(), UserFactory()


@pytest.fixture
def joined(people, relation):
    rep, colleague, _other = people
    return make_activity(user=rep, relation=relation, start=datetime.date(2026, 6, 2), participants=[colleague])


def test_the_triggers_exist():
    """A migration that rebuilds activities_activity or activities_participation on SQLite (some
    AlterField, RemoveField …) drops their triggers: it must create them again."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgname, tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal")
        found = set(cursor.fetchall())
    assert TRIGGERS[connection.vendor] <= found


def test_a_new_activity_s_participants_carry_its_status_start_and_end(joined):
    participation = Participation.objects.get(activity=joined)
    assert (participation.activity_status, participation.activity_start, participation.activity_end) == (
        "planned", joined.start, joined.end)
    assert_in_step()


def test_moving_and_editing_an_activity_moves_its_participations(joined, people):
    rep, colleague, other = people
    activity_update(activity=joined, user=rep, all_day=False, start=at(3, 14), end=at(3, 15))
    assert_in_step()
    activity_update(activity=joined, user=rep, start=datetime.date(2026, 6, 4), end=datetime.date(2026, 6, 5),
                    all_day=True, participants=[colleague, other])  # one more participant
    assert Participation.objects.filter(activity=joined).count() == 2
    assert_in_step()


def test_rescheduling_completing_and_cancelling(joined, people, relation):
    rep, colleague, _other = people
    activity_reschedule(activity=joined, user=rep, delta=datetime.timedelta(days=1))
    assert_in_step()
    activity_complete(activity=joined, user=rep)
    assert Participation.objects.get(activity=joined).activity_status == "done"
    cancelled = make_activity(user=rep, relation=relation, participants=[colleague])
    activity_cancel(activity=cancelled, user=rep)
    assert Participation.objects.get(activity=cancelled).activity_status == "cancelled"
    assert_in_step()


def test_a_plain_queryset_update_is_followed(joined):
    Activity.objects.filter(pk=joined.pk).update(start=at(9), end=at(9, 11))
    assert Participation.objects.get(activity=joined).activity_start == at(9)
    Activity.objects.filter(pk=joined.pk).update(status=Activity.Status.CANCELLED)
    assert_in_step()


def test_a_participant_added_later_and_a_participation_moved_to_another_activity(joined, people, relation):
    rep, colleague, other = people
    joined.participants.add(other)
    Participation.objects.create(activity=make_activity(user=rep, relation=relation, start=at(20)), user=other)
    assert_in_step()
    later = make_activity(user=rep, relation=relation, start=at(25))
    Participation.objects.filter(activity=joined, user=colleague).update(activity=later)
    assert Participation.objects.get(activity=later).activity_start == later.start
    participation = Participation.objects.get(activity=joined, user=other)
    participation.activity = later
    participation.save()  # writes its stale copies back, with the activity: the trigger corrects them
    assert_in_step()


def test_series_occurrences_and_this_and_following(people, relation):
    rep, colleague, other = people
    first = make_activity(user=rep, relation=relation, all_day=False, start=at(1), end=at(1, 11),
                          participants=[colleague], recurrence=Recurrence(freq="WEEKLY", count=5))
    assert Participation.objects.count() == 5
    assert_in_step()
    rows = list(Activity.objects.filter(series=first.series).order_by("recurrence_id"))
    activity_complete(activity=rows[3], user=rep)
    # a new time splits the series: later planned occurrences move onto the new rule (bulk_update)
    series_services.activity_update_following(
        activity=rows[1], user=rep, recurrence=series_services.recurrence_from(rows[1]),
        start=at(8, 14), end=at(8, 15),
    )
    assert_in_step()
    # new participants are copied to the later occurrences (a bulk insert)
    rows[1].refresh_from_db()
    series_services.activity_update_following(
        activity=rows[1], user=rep, recurrence=series_services.recurrence_from(rows[1]),
        participants=[colleague, other],
    )
    assert Participation.objects.filter(user=other).count() >= 3
    assert_in_step()
    # a longer rule makes new occurrences, with their participants
    series_services.activity_update_following(
        activity=rows[1], user=rep, recurrence=Recurrence(freq="WEEKLY", count=6),
    )
    assert_in_step()


def _in_thread(work):
    """Run `work` on a connection of its own; return a function that waits for it and re-raises."""
    errors = []

    def run():
        try:
            work()
        except Exception as e:  # noqa: BLE001 - re-raised by the caller
            errors.append(e)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()

    def join():
        thread.join(timeout=30)
        assert not thread.is_alive()
        if errors:
            raise errors[0]

    return join


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite lets one transaction write at a time")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("first", ["move", "join"])
def test_joining_while_the_activity_moves_copies_what_is_committed(first):
    """READ COMMITTED: a participation inserted while another transaction moves its activity must not
    keep the old start. The insert trigger locks the activity (FOR SHARE), so whichever comes second
    waits for the first to commit and then sees it."""
    rep, newcomer = UserFactory(), UserFactory()
    activity = make_activity(user=rep, relation=RelationFactory(representative=rep), start=at(2, 9),
                             all_day=False, end=at(2, 10), participants=[UserFactory()])
    started = threading.Event()

    def move():
        with transaction.atomic():
            Activity.objects.filter(pk=activity.pk).update(start=at(5, 9), end=at(5, 10))
            started.set()
            time.sleep(0.5)  # the join below waits meanwhile

    def join():
        with transaction.atomic():
            Participation.objects.create(activity_id=activity.pk, user=newcomer)
            started.set()
            time.sleep(0.5)  # the move below waits meanwhile

    one, other = (move, join) if first == "move" else (join, move)
    wait_one = _in_thread(one)
    assert started.wait(timeout=10)
    wait_other = _in_thread(other)
    wait_one()
    wait_other()
    assert Participation.objects.get(user=newcomer).activity_start == at(5, 9)
    assert_in_step()
