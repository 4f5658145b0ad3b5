import datetime

from kadans.planner.services import plan_week
from tests.planner.conftest import customer, local, plan, proposals, works

T = datetime.time


def test_a_visit_falls_inside_the_relations_opening_hours(rep):
    works(rep)
    customer(rep, "Afternoons", 51.05, 4.40, minutes=60, hours=[(1, T(14), T(17))])
    visit = proposals(plan(rep))["Afternoons"]
    start, end = local(visit.start), local(visit.end)
    assert start.weekday() == 1
    assert T(14) <= start.time() and end.time() <= T(17)


def test_a_relation_is_closed_on_the_weekdays_without_hours(rep):
    works(rep)
    customer(rep, "Wednesdays only", 51.05, 4.40, hours=[(2, T(9), T(17))])
    assert local(proposals(plan(rep))["Wednesdays only"].start).weekday() == 2


def test_a_relation_that_does_not_open_in_working_hours_slips(rep):
    works(rep, starts=T(8), ends=T(16))
    customer(rep, "Night bar", 51.05, 4.40, hours=[(d, T(20), T(23, 30)) for d in range(7)])
    result = plan(rep)
    assert result.proposals.count() == 0
    assert [s["name"] for s in result.slipped] == ["Night bar"]


def test_without_working_days_set_the_representative_works_weekdays_from_half_past_eight(rep, week):
    customer(rep, "Anytime", 51.05, 4.40)
    now = datetime.datetime.combine(week, datetime.time(0), tzinfo=datetime.UTC) - datetime.timedelta(days=2)
    visit = plan_week(representative=rep, week=week, now=now).proposals.get()
    assert local(visit.start).weekday() < 5
    assert local(visit.start).time() >= T(8, 30)
