"""Activity plans: read them, see what applying one would schedule, and apply it."""

import datetime
from typing import Literal

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from kadans.accounts.permissions import assignable_representatives, can_add_activity_to
from kadans.activities import plans
from kadans.activities.models import ActivityPlan, ActivityPlanStep, ActivityType
from kadans.api.activities import ActivityOut, activity_out, activity_rows
from kadans.api.common import (
    Day,
    Id,
    Input,
    PageParams,
    forbid,
    get_or_404,
    lookup,
    lookup_many,
    page_of,
    paginate,
    responses,
)
from kadans.relations.selectors import visible_relations

router = Router(tags=["activity plans"])

MAX_RELATIONS = 200


class PlanStepOut(Schema):
    id: int
    order: int
    type: int
    summary: str
    responsible: Literal[tuple(ActivityPlanStep.Responsible.values)]
    user: int | None
    delay_count: int
    delay_unit: Literal[tuple(ActivityType.DelayUnit.values)]
    direction: Literal[tuple(ActivityPlanStep.Direction.values)]


class PlanOut(Schema):
    id: int
    name: str
    description: str
    active: bool
    steps: list[PlanStepOut]


def plan_out(plan: ActivityPlan) -> dict:
    return {
        "id": plan.pk, "name": plan.name, "description": plan.description, "active": plan.active,
        "steps": [
            {"id": s.pk, "order": s.order, "type": s.type_id, "summary": s.summary, "responsible": s.responsible,
             "user": s.user_id, "delay_count": s.delay_count, "delay_unit": s.delay_unit, "direction": s.direction}
            for s in plan.steps.all()
        ],
    }


def _plans():
    return ActivityPlan.objects.prefetch_related(
        Prefetch("steps", queryset=ActivityPlanStep.objects.order_by("order", "id"))
    ).order_by("name", "id")


class PlanFilters(PageParams):
    active: bool | None = None


@router.get("/plans", response=responses({200: page_of(PlanOut)}), summary="List activity plans")
def list_plans(request, filters: Query[PlanFilters]):
    qs = _plans()
    if filters.active is not None:
        qs = qs.filter(active=filters.active)
    return paginate(qs, filters, plan_out)


@router.get("/plans/{plan_id}", response=responses({200: PlanOut}, 404), summary="Get an activity plan")
def get_plan(request, plan_id: Id):
    return plan_out(get_or_404(_plans(), plan_id, "plan"))


class ApplyIn(Input):
    relations: list[Id] = Field(min_length=1, max_length=MAX_RELATIONS)
    plan_date: Day | None = Field(None, description="Empty: today (the caller's time zone).")
    asked_user: Id | None = Field(None, description="Responsible for the steps that ask for one.")


class PlannedStepOut(Schema):
    relation: int
    step: int
    type: int
    summary: str
    due_date: datetime.date
    representative: int | None = Field(description="Empty: the type's and relation's defaults apply.")


class ApplyOut(Schema):
    activities: list[ActivityOut]


def _apply_kwargs(request, plan_id: int, payload: ApplyIn) -> dict:
    plan = get_or_404(_plans(), plan_id, "plan")
    relations = lookup_many(visible_relations(request.user).select_related("representative"),
                            payload.relations, "relations")
    if not all(can_add_activity_to(request.user, r) for r in relations):
        forbid()
    by_id = {r.pk: r for r in relations}
    return {
        "plan": plan,
        "relations": [by_id[pk] for pk in dict.fromkeys(payload.relations)],
        "plan_date": payload.plan_date or timezone.localdate(),
        "asked_user": lookup(assignable_representatives(), payload.asked_user, "asked_user"),
    }


@router.post("/plans/{plan_id}/preview", response=responses({200: list[PlannedStepOut]}, 404),
             summary="What applying a plan would schedule (writes nothing)")
def preview_plan(request, plan_id: Id, payload: ApplyIn):
    return [
        {"relation": item.relation.pk, "step": item.step.pk, "type": item.step.type_id,
         "summary": item.step.summary, "due_date": item.due_date,
         "representative": item.representative.pk if item.representative else None}
        for item in plans.plan_preview(**_apply_kwargs(request, plan_id, payload))
    ]


@router.post("/plans/{plan_id}/apply", response=responses({201: ApplyOut}, 404),
             summary="Apply a plan to relations: all its steps are scheduled, or none")
def apply_plan(request, plan_id: Id, payload: ApplyIn):
    kwargs = _apply_kwargs(request, plan_id, payload)
    with transaction.atomic():
        created = plans.plan_apply(user=request.user, **kwargs)
    rows = activity_rows(request.user).filter(pk__in=[a.pk for a in created]).order_by("start", "id")
    return Status(201, {"activities": [activity_out(a, request.user) for a in rows]})
