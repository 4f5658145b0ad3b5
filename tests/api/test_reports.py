"""The costs and conversions reports through the API: the report pages' numbers, filters and messages,
and each caller sees only the numbers the pages show them."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from kadans.activities.services import CostLineData
from kadans.relations.models import BusinessStatus
from tests.api_support import api_as
from tests.factories import ProductFactory, RelationFactory, TeamFactory, UserFactory, make_activity

pytestmark = pytest.mark.django_db

PERIOD = {"start": "2025-01-01", "end": "2025-12-31"}


@pytest.fixture
def team():
    return TeamFactory()


@pytest.fixture
def reps(team):
    return UserFactory(team=team), UserFactory(team=team)


@pytest.fixture
def done_costs(reps):
    sample = ProductFactory(cost_price=Decimal("2.00"))
    customer = BusinessStatus.objects.get(code="customer")
    # recorded on the day itself, so that the status changes (dated when recorded) fall in March too
    with time_machine.travel(datetime.datetime(2025, 3, 4, 15, 0, tzinfo=datetime.UTC)):
        for rep, lunch in zip(reps, ("10.00", "30.00"), strict=True):
            relation = RelationFactory(representative=rep)
            make_activity(user=rep, relation=relation, status="done", start=datetime.date(2025, 3, 4),
                          new_status=customer,
                          cost_lines=[CostLineData(product=sample, quantity=Decimal("2")),
                                      CostLineData(description="Lunch", unit_price=Decimal(lunch))])
    return sample


def _total(body) -> dict:
    total = body["rows"][-1]
    assert total["kind"] == "total"
    return {k: total[k] for k in ("actions", "samples", "other", "total")}


def test_an_administrator_sees_everyones_costs_grouped(done_costs, reps):
    api = api_as(UserFactory(role="administrator"))
    body = api.get("/reports/costs", {**PERIOD, "group": "representative"}).json()
    assert body["groups"] == ["representative"]
    assert _total(body) == {"actions": 2, "samples": "8.00", "other": "40.00", "total": "48.00"}
    assert {row["keys"]["representative"] for row in body["rows"] if row["kind"] == "row"} == {r.pk for r in reps}


def test_a_representative_sees_only_their_own_costs(done_costs, reps):
    body = api_as(reps[0]).get("/reports/costs", PERIOD).json()
    assert _total(body) == {"actions": 1, "samples": "4.00", "other": "10.00", "total": "14.00"}


def test_a_representative_cannot_ask_for_a_colleagues_numbers(done_costs, reps):
    response = api_as(reps[0]).get("/reports/costs", {**PERIOD, "representative": reps[1].pk})
    assert response.status_code == 422
    assert "representative" in response.json()["errors"]


def test_a_sales_manager_sees_the_teams_costs(done_costs, team):
    body = api_as(UserFactory(team=team, role="manager")).get("/reports/costs", {**PERIOD, "team": team.pk}).json()
    assert _total(body)["total"] == "48.00"


def test_costs_without_a_product(done_costs):
    api = api_as(UserFactory(role="administrator"))
    body = api.get("/reports/costs", {**PERIOD, "product": "none", "group": "type,month"}).json()
    assert _total(body)["samples"] == "0.00" and _total(body)["other"] == "40.00"
    assert body["months"][0] == "2025-01-01" and len(body["months"]) == 12


@pytest.mark.parametrize(("params", "field"), [
    ({"start": "2025-12-31", "end": "2025-01-01"}, "__all__"),
    ({"start": "2000-01-01", "end": "2025-01-01"}, "__all__"),
    ({"group": "colour"}, "group"),
    ({"group": "month,month"}, "group"),
    ({"product": "999999"}, "product"),
])
def test_a_bad_report_query_is_a_422_with_the_pages_message(params, field):
    response = api_as(UserFactory(role="administrator")).get("/reports/costs", {**PERIOD, **params})
    assert response.status_code == 422
    assert field in response.json()["errors"], response.json()


def test_conversions_count_and_cost_the_won_relations(done_costs, reps):
    body = api_as(UserFactory(role="administrator")).get("/reports/conversions", PERIOD).json()
    assert body["total"]["conversions"] == 2
    assert body["total"]["cost"] == "48.00" and body["total"]["cost_per_conversion"] == "24.00"
    march = next(m for m in body["months"] if m["month"] == "2025-03-01")
    assert march["conversions"] == 2
    assert {g["key"] for g in body["by_representative"]} == {r.pk for r in reps}
    assert api_as(reps[1]).get("/reports/conversions", PERIOD).json()["total"]["conversions"] == 1
