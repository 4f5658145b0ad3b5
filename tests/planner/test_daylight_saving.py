import datetime

from tests.planner.conftest import customer, local, plan, works

T = datetime.time
# Europe/Brussels leaves summer time on Sunday 25 October 2026 at 03:00 (back to 02:00)
WEEK_OF_CHANGE = datetime.date(2026, 10, 19)


def test_visits_keep_their_wall_clock_hours_on_both_sides_of_the_clock_change(rep):
    works(rep, weekdays=[4, 6], starts=T(9), ends=T(10))
    customer(rep, "Friday", 51.03, 4.48, hours=[(4, T(9), T(10))])
    customer(rep, "Sunday", 51.03, 4.48, hours=[(6, T(9), T(10))])
    result = plan(rep, WEEK_OF_CHANGE)
    by_name = {p.relation.name: p for p in result.proposals.select_related("relation")}
    friday, sunday = by_name["Friday"], by_name["Sunday"]
    assert local(friday.start).time() >= T(9) and local(sunday.start).time() >= T(9)
    assert local(friday.end).time() <= T(10) and local(sunday.end).time() <= T(10)
    # the same wall-clock hour is an hour later in UTC after the change
    assert friday.start.astimezone(datetime.UTC).hour == 7
    assert sunday.start.astimezone(datetime.UTC).hour == 8
    assert local(sunday.start).date() == datetime.date(2026, 10, 25)
