import datetime

from tests.factories import make_activity
from tests.planner.conftest import customer, local, plan, proposals, works


def test_a_relation_without_coordinates_is_placed_with_a_warning(rep):
    works(rep)
    customer(rep, "Somewhere")
    result = plan(rep)
    visit = proposals(result)["Somewhere"]
    assert not visit.has_coordinates and visit.distance_km is None
    assert {"relation": visit.relation_id, "name": "Somewhere", "code": "no-coordinates"} in result.warnings


def test_it_is_placed_on_the_first_day_from_its_due_date_on(rep, week):
    works(rep)
    relation = customer(rep, "Somewhere", cadence_days=10)
    # last visited 8 days before the week: due on its Wednesday
    make_activity(user=rep, relation=relation, start=week - datetime.timedelta(days=8), status="done")
    visit = proposals(plan(rep))["Somewhere"]
    assert local(visit.start).date() == week + datetime.timedelta(days=2)


def test_a_representative_without_a_start_point_is_warned(rep):
    works(rep, home=(None, None))
    customer(rep, "Nearby", 51.03, 4.48)
    assert plan(rep).warnings[0]["code"] == "no-start-point"
