"""Activity plans through the API: read, preview and apply, all steps or none."""

import pytest

from kadans.activities.models import Activity, ActivityPlan, ActivityPlanStep, PlanRun
from tests.api_support import api_as
from tests.factories import ActivityTypeFactory, RelationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(db):
    plan = ActivityPlan.objects.create(name="Onboarding")
    ActivityPlanStep.objects.create(plan=plan, order=1, type=ActivityTypeFactory(), summary="Welkom")
    ActivityPlanStep.objects.create(plan=plan, order=2, type=ActivityTypeFactory(), summary="Evaluatie",
                                    delay_count=1, delay_unit="months")
    return plan


def test_plans_are_listed_with_their_steps_in_order(rep, plan):
    items = api_as(rep).get("/plans").json()["items"]
    assert [s["summary"] for s in items[0]["steps"]] == ["Welkom", "Evaluatie"]


def test_a_preview_writes_nothing(rep, relation, plan):
    response = api_as(rep).post(f"/plans/{plan.pk}/preview", {"relations": [relation.pk], "plan_date": "2025-01-31"})
    assert response.status_code == 200
    assert [(p["summary"], p["due_date"], p["representative"]) for p in response.json()] == [
        ("Welkom", "2025-01-31", rep.pk), ("Evaluatie", "2025-02-28", rep.pk),
    ]
    assert not Activity.objects.exists()


def test_applying_schedules_every_step_on_every_relation(rep, relation, plan):
    other = RelationFactory()
    response = api_as(rep).post(f"/plans/{plan.pk}/apply", {"relations": [relation.pk, other.pk],
                                                              "plan_date": "2025-03-01"})
    assert response.status_code == 201
    activities = response.json()["activities"]
    assert len(activities) == 4 and {a["plan"] for a in activities} == {plan.pk}
    assert PlanRun.objects.filter(plan=plan).count() == 2


def test_an_unknown_relation_applies_nothing(rep, relation, plan):
    response = api_as(rep).post(f"/plans/{plan.pk}/apply", {"relations": [relation.pk, 999999]})
    assert response.status_code == 422
    assert response.json()["errors"] == {"relations": ["No relation with id 999999."]}
    assert not Activity.objects.exists()


def test_a_step_with_an_archived_type_applies_nothing(rep, relation, plan):
    ActivityPlanStep.objects.create(plan=plan, order=3, type=ActivityTypeFactory(active=False))
    response = api_as(rep).post(f"/plans/{plan.pk}/apply", {"relations": [relation.pk]})
    assert response.status_code == 422
    assert not Activity.objects.exists() and not PlanRun.objects.exists()


def test_a_step_that_asks_needs_a_user(rep, relation, plan):
    ActivityPlanStep.objects.create(plan=plan, order=3, type=ActivityTypeFactory(), responsible="ask")
    api = api_as(rep)
    refused = api.post(f"/plans/{plan.pk}/apply", {"relations": [relation.pk]})
    assert refused.status_code == 422 and "asked_user" in refused.json()["errors"]
    helper = UserFactory()
    applied = api.post(f"/plans/{plan.pk}/apply", {"relations": [relation.pk], "asked_user": helper.pk})
    assert applied.status_code == 201
    assert sorted(a["representative"] for a in applied.json()["activities"]) == [rep.pk, rep.pk, helper.pk]


def test_an_archived_plan_is_not_applied(rep, relation, plan):
    plan.active = False
    plan.save()
    assert api_as(rep).post(f"/plans/{plan.pk}/apply", {"relations": [relation.pk]}).status_code == 422
    assert not Activity.objects.exists()
