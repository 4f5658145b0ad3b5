import datetime

from tests.factories import PriorityFactory
from tests.planner.conftest import BRUSSELS, customer, local, plan, works

T = datetime.time


def test_what_does_not_fit_slips_with_how_many_days_late_it_will_be(rep, settings, week):
    settings.KADANS_PLANNER_MAX_VISITS_PER_DAY = 2
    works(rep)
    for i in range(12):
        customer(rep, f"Café {i:02}", 51.0 + i / 100, 4.4)
    result = plan(rep)
    assert result.proposals.count() == 10
    assert len(result.slipped) == 2
    # due on the week's Monday (nothing planned), so a week late by the next Monday
    assert {s["days_late"] for s in result.slipped} == {7}
    assert {s["due"] for s in result.slipped} == {week.isoformat()}


def test_it_never_overbooks_a_day(rep, week):
    works(rep, weekdays=[0], starts=T(9), ends=T(13))
    for i in range(10):
        customer(rep, f"Café {i:02}", 51.0 + i / 50, 4.4 + i / 50, minutes=45)
    result = plan(rep)
    visits = list(result.proposals.order_by("start"))
    assert 1 <= len(visits) < 10
    assert len(visits) + len(result.slipped) == 10
    day_start = datetime.datetime.combine(week, T(9), tzinfo=BRUSSELS)
    assert visits[0].start >= day_start
    assert local(visits[-1].end).time() <= T(13)
    for before, after in zip(visits, visits[1:], strict=False):
        assert before.end <= after.start


def test_the_most_overdue_and_highest_priority_come_first(rep, settings):
    settings.KADANS_PLANNER_MAX_VISITS_PER_DAY = 1
    works(rep, weekdays=[0])
    high, low = PriorityFactory(name="A", order=0), PriorityFactory(name="C", order=9)
    customer(rep, "Low", 51.03, 4.48, priority=low)
    customer(rep, "High", 51.20, 3.20, priority=high)
    result = plan(rep)
    assert [p.relation.name for p in result.proposals.all()] == ["High"]
    assert [s["name"] for s in result.slipped] == ["Low"]
