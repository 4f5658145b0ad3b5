import datetime

from kadans.activities.models import ActivityType
from kadans.activities.services import activity_cancel
from tests.factories import ActivityTypeFactory, RelationFactory, make_activity
from tests.planner.conftest import BRUSSELS, customer, local, plan, proposals, works

T = datetime.time


def test_a_timed_appointment_keeps_its_hours_and_the_drive_to_the_visit_after_it(rep, week):
    works(rep, weekdays=[0])
    start = datetime.datetime.combine(week, T(8), tzinfo=BRUSSELS)
    make_activity(user=rep, representative=rep, start=start, end=start.replace(hour=12), all_day=False)
    customer(rep, "Far away", 51.20, 3.20)  # ~90 km from Mechelen: nearly two hours at 50 km/h
    visit = proposals(plan(rep))["Far away"]
    assert local(visit.start).time() >= T(13, 45)


def test_an_appointment_as_participant_blocks_too(rep, week):
    works(rep, weekdays=[0], starts=T(9), ends=T(12))
    start = datetime.datetime.combine(week, T(9), tzinfo=BRUSSELS)
    make_activity(start=start, end=start.replace(hour=12), all_day=False, participants=[rep])
    customer(rep, "Nearby", 51.03, 4.48)
    assert plan(rep).proposals.count() == 0


def test_an_all_day_meeting_blocks_its_whole_days(rep, week):
    works(rep, weekdays=[0, 1, 2])
    fair = ActivityType.objects.filter(kind=ActivityType.Kind.MEETING).first()
    make_activity(user=rep, representative=rep, activity_type=fair, start=week,
                  end=week + datetime.timedelta(days=1), all_day=True)
    customer(rep, "Nearby", 51.03, 4.48)
    assert local(proposals(plan(rep))["Nearby"].start).date() == week + datetime.timedelta(days=2)


def test_an_all_day_to_do_has_no_time_and_blocks_nothing(rep, week):
    works(rep, weekdays=[0])
    make_activity(user=rep, representative=rep, activity_type=ActivityTypeFactory(), start=week, all_day=True)
    customer(rep, "Nearby", 51.03, 4.48)
    assert local(proposals(plan(rep))["Nearby"].start).date() == week


def test_a_cancelled_appointment_blocks_nothing(rep, week):
    works(rep, weekdays=[0], starts=T(9), ends=T(12))
    start = datetime.datetime.combine(week, T(9), tzinfo=BRUSSELS)
    activity = make_activity(user=rep, representative=rep, relation=RelationFactory(representative=rep),
                             start=start, end=start.replace(hour=12), all_day=False)
    activity_cancel(activity=activity, user=rep)
    customer(rep, "Nearby", 51.03, 4.48)
    assert "Nearby" in proposals(plan(rep))
