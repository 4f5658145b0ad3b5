from kadans.activities.models import Activity
from tests.api_support import api_as
from tests.factories import TeamFactory, UserFactory
from tests.planner.conftest import WEEK, customer, works


def test_plan_read_and_accept_a_week_through_the_api(rep):
    works(rep)
    customer(rep, "A", 51.03, 4.48)
    customer(rep, "Somewhere")
    api = api_as(rep)
    response = api.post("/planner/week/plan", {"week": WEEK.isoformat()})
    assert response.status_code == 200, response.content
    week = response.json()
    assert week["week"] == WEEK.isoformat()
    assert {p["relation_name"] for p in week["proposals"]} == {"A", "Somewhere"}
    assert week["warnings"][0]["code"] == "no-coordinates"
    assert api.get("/planner/week", {"week": WEEK.isoformat()}).json()["proposals"] == week["proposals"]
    accepted = api.post(f"/planner/week/{week['id']}/accept")
    assert accepted.status_code == 200
    assert sorted(accepted.json()["created"]) == sorted(Activity.objects.values_list("pk", flat=True))
    assert {p["status"] for p in accepted.json()["week"]["proposals"]} == {"accepted"}


def test_a_week_never_planned_reads_empty(rep):
    week = api_as(rep).get("/planner/week", {"week": WEEK.isoformat()}).json()
    assert week["id"] is None and week["proposals"] == []


def test_a_manager_plans_for_the_team_and_nobody_else_does(rep):
    team = TeamFactory()
    rep.team = team
    rep.save()
    manager, colleague = UserFactory(team=team, role="manager"), UserFactory(team=team)
    payload = {"representative": rep.pk, "week": WEEK.isoformat()}
    assert api_as(manager).post("/planner/week/plan", payload).status_code == 200
    assert api_as(colleague).post("/planner/week/plan", payload).status_code == 403
    assert api_as(colleague).get("/planner/week", payload).status_code == 403
    plan_id = api_as(manager).get("/planner/week", payload).json()["id"]
    assert api_as(colleague).post(f"/planner/week/{plan_id}/accept").status_code == 403


def test_a_read_only_token_cannot_plan(rep):
    assert api_as(rep, read_only=True).post("/planner/week/plan", {}).status_code == 403
