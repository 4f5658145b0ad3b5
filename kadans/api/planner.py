"""The week planner: read a representative's proposed week, plan it (again), accept it."""

import datetime

from django.db import transaction
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from kadans.accounts.models import User
from kadans.api.common import Day, Id, Input, forbid, get_or_404, responses
from kadans.planner import selectors, services
from kadans.planner.models import Proposal, WeekPlan

router = Router(tags=["week planner"])


class ProposalOut(Schema):
    id: int
    relation: int
    relation_name: str
    status: str = Field(description="proposed, or accepted (then `activity` is the planned visit).")
    start: datetime.datetime
    end: datetime.datetime
    position: int = Field(description="Order within its day, from 0.")
    distance_km: float | None = Field(description="Straight-line km from the previous stop; null: no coordinates.")
    latitude: float | None
    longitude: float | None
    due: datetime.date | None
    activity: int | None


class SlipOut(Schema):
    relation: int
    name: str
    due: datetime.date
    days_late: int = Field(description="How many days after its due date the next week's Monday is.")


class WarningOut(Schema):
    relation: int | None
    name: str
    code: str = Field(description="no-coordinates, no-start-point or no-working-days.")


class WeekOut(Schema):
    id: int | None = Field(description="The week plan; null while the week was never planned.")
    representative: int
    week: datetime.date = Field(description="The week's Monday.")
    planned_at: datetime.datetime | None
    total_km: float
    proposals: list[ProposalOut]
    slipped: list[SlipOut]
    warnings: list[WarningOut]


class WeekParams(Schema):
    representative: Id | None = Field(None, description="A user id; left out: the caller.")
    week: Day | None = Field(None, description="Any day of the week; left out: next week.")


class PlanIn(Input):
    representative: Id | None = Field(None, description="A user id; left out: the caller.")
    week: Day | None = Field(None, description="Any day of the week; left out: next week.")


class AcceptOut(Schema):
    created: list[int] = Field(description="The ids of the planned visits (activities) made.")
    week: WeekOut


def _representative(request, pk: int | None) -> User:
    if pk is None:
        return request.user
    representative = get_or_404(User.objects.all(), pk, "user")
    if not selectors.can_plan_for(request.user, representative):
        forbid()
    return representative


def _week(representative: User, day: datetime.date | None) -> datetime.date:
    if day is None:
        return services.week_start(timezone.localdate(timezone.now(), representative.tzinfo)) + datetime.timedelta(7)
    return services.week_start(day)


def week_out(representative: User, week: datetime.date, plan: WeekPlan | None) -> dict:
    proposals = list(plan.proposals.select_related("relation").order_by("start", "position")) if plan else []
    return {
        "id": plan.pk if plan else None, "representative": representative.pk, "week": week,
        "planned_at": plan.planned_at if plan else None, "total_km": float(plan.total_km) if plan else 0.0,
        "proposals": [_proposal_out(p) for p in proposals],
        "slipped": plan.slipped if plan else [], "warnings": plan.warnings if plan else [],
    }


def _proposal_out(p: Proposal) -> dict:
    relation = p.relation
    return {
        "id": p.pk, "relation": p.relation_id, "relation_name": relation.name, "status": p.status, "start": p.start,
        "end": p.end, "position": p.position, "distance_km": None if p.distance_km is None else float(p.distance_km),
        "latitude": None if relation.latitude is None else float(relation.latitude),
        "longitude": None if relation.longitude is None else float(relation.longitude),
        "due": p.due, "activity": p.activity_id,
    }


@router.get("/planner/week", response=responses({200: WeekOut}, 404), summary="Get a proposed week")
def get_week(request, params: Query[WeekParams]):
    representative = _representative(request, params.representative)
    week = _week(representative, params.week)
    return week_out(representative, week, selectors.week_plan(representative, week))


@router.post("/planner/week/plan", response=responses({200: WeekOut}, 404), summary="Plan a week (again)")
def plan_week(request, payload: PlanIn):
    """Proposes the visits of the week (see plan_week in the README); replaces the proposals not yet
    accepted."""
    representative = _representative(request, payload.representative)
    week = _week(representative, payload.week)
    plan = services.plan_week(representative=representative, week=week, user=request.user)
    return week_out(representative, week, plan)


@router.post("/planner/week/{plan_id}/accept", response=responses({200: AcceptOut}, 404, 409),
             summary="Accept a week: its proposals become planned visits")
def accept_week(request, plan_id: Id):
    plan = get_or_404(WeekPlan.objects.select_related("representative"), plan_id, "week plan")
    if not selectors.can_plan_for(request.user, plan.representative):
        forbid()
    with transaction.atomic():
        created = services.week_plan_accept(plan=plan, user=request.user)
    return {"created": [a.pk for a in created], "week": week_out(plan.representative, plan.week, plan)}
