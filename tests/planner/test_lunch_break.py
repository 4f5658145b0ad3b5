import datetime

from tests.factories import make_activity
from tests.planner.conftest import BRUSSELS, customer, local, plan, proposals, works

T = datetime.time


def test_a_visit_never_overlaps_the_lunch_break(rep, week):
    works(rep, weekdays=[0])
    # busy until 11:30, so the first moment after is 11:30, but a one-hour visit then would run into lunch
    start = datetime.datetime.combine(week, T(8), tzinfo=BRUSSELS)
    make_activity(user=rep, representative=rep, start=start, end=start.replace(hour=11, minute=30), all_day=False)
    customer(rep, "Bakery", 51.03, 4.48, minutes=60, hours=[(0, T(8), T(18), T(12), T(13, 30))])
    visit = proposals(plan(rep))["Bakery"]
    assert local(visit.start).time() == T(13, 30)


def test_a_visit_fits_before_the_lunch_break_when_there_is_room(rep):
    works(rep, weekdays=[0], starts=T(9))
    customer(rep, "Bakery", 51.03, 4.48, minutes=60, hours=[(0, T(9), T(18), T(12), T(13, 30))])
    visit = proposals(plan(rep))["Bakery"]
    assert local(visit.end).time() <= T(12)
