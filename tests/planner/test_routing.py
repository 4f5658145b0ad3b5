import datetime

import pytest

from kadans.planner.planning import Day, Planner, Stop, haversine_km, naive_km
from tests.planner.conftest import customer, local, plan, works

BRUSSELS_GRAND_PLACE = (50.8467, 4.3525)
ANTWERP_CENTRAAL = (51.2172, 4.4211)


def test_distance_is_the_great_circle_distance():
    assert haversine_km(BRUSSELS_GRAND_PLACE, ANTWERP_CENTRAAL) == pytest.approx(41.5, abs=0.5)


def test_a_days_stops_are_ordered_to_keep_the_drive_short(rep):
    works(rep, weekdays=[0])
    # on a line going east from Mechelen; created in a scrambled order
    for name, lon in [("C", 4.78), ("A", 4.58), ("D", 4.88), ("B", 4.68)]:
        customer(rep, name, 51.0259, lon)
    visits = list(plan(rep).proposals.select_related("relation").order_by("start"))
    names = [v.relation.name for v in visits]
    assert names in (["A", "B", "C", "D"], ["D", "C", "B", "A"])


def test_stops_in_one_area_share_a_day(rep):
    works(rep, weekdays=[0, 1])
    for i in range(3):
        customer(rep, f"West {i}", 51.05 + i / 100, 3.70)  # around Ghent
        customer(rep, f"East {i}", 50.93 + i / 100, 5.33)  # around Hasselt
    visits = plan(rep).proposals.select_related("relation")
    days = {}
    for v in visits:
        days.setdefault(v.relation.name.split()[0], set()).add(local(v.start).date())
    assert len(days["West"]) == 1 and len(days["East"]) == 1 and days["West"] != days["East"]


def test_the_planner_drives_less_than_visiting_in_order_of_due_date():
    home = (51.0, 4.0)
    days = [Day(date=datetime.date(2030, 3, 4 + d), starts=480, ends=1080, free=[(480, 1080)], start_point=home,
                end_point=home) for d in range(2)]
    points = [(51.0, 3.0), (51.0, 5.0), (51.01, 3.01), (51.01, 5.01), (51.02, 3.02), (51.02, 5.02)]
    stops = [Stop(key=i, point=p, minutes=30, urgency=0, due=days[0].date,
                  windows={d.date: [(480, 1080)] for d in days}) for i, p in enumerate(points)]
    solution = Planner(days, speed_kmh=80, max_visits=3, unknown_travel_minutes=0).solve(stops)
    assert sum(len(v) for v in solution.days.values()) == 6
    assert solution.total_km < 0.7 * naive_km(days, stops, 3)
