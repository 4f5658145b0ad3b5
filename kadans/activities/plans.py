"""Activity plans: preview and apply a plan's steps to one or many relations, all or nothing."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kadans.accounts.models import User
from kadans.activities.chaining import DEFAULT_TIME_OF_DAY, add_delay
from kadans.activities.models import Activity, ActivityPlan, ActivityPlanStep, PlanRun
from kadans.activities.services import activity_create
from kadans.core.time import local_datetime
from kadans.relations.models import Relation


@dataclasses.dataclass(frozen=True)
class PlannedStep:
    relation: Relation
    step: ActivityPlanStep
    due_date: datetime.date
    representative: User | None
    """None: the relation has no representative, and the activity falls back to the type's rules."""


def step_due_date(step: ActivityPlanStep, plan_date: datetime.date) -> datetime.date:
    count = step.delay_count if step.direction == ActivityPlanStep.Direction.AFTER else -step.delay_count
    return add_delay(plan_date, count, step.delay_unit)


def plan_needs_user(plan: ActivityPlan) -> bool:
    return any(step.responsible == ActivityPlanStep.Responsible.ASK for step in plan.steps.all())


def plan_preview(
    *, plan: ActivityPlan, relations: Sequence[Relation], plan_date: datetime.date, asked_user: User | None = None
) -> list[PlannedStep]:
    """What applying the plan would create, step by step and relation by relation; writes nothing."""
    steps = list(plan.steps.select_related("type", "user"))
    if not steps:
        raise ValidationError(_("This plan has no steps."))
    if asked_user is None and any(s.responsible == ActivityPlanStep.Responsible.ASK for s in steps):
        raise ValidationError({"asked_user": _("This plan asks who is responsible for some steps: choose a user.")})
    inactive = [s.type.name for s in steps if not s.type.active]
    if inactive:
        raise ValidationError(_("This plan uses archived action types: %(types)s.") % {"types": ", ".join(inactive)})
    planned = []
    for relation in relations:
        for step in steps:
            if step.responsible == ActivityPlanStep.Responsible.USER:
                rep = step.user
            elif step.responsible == ActivityPlanStep.Responsible.ASK:
                rep = asked_user
            else:
                rep = relation.representative
            planned.append(PlannedStep(relation, step, step_due_date(step, plan_date), rep))
    return planned


@transaction.atomic
def plan_apply(
    *,
    plan: ActivityPlan,
    relations: Sequence[Relation],
    plan_date: datetime.date,
    user: User,
    asked_user: User | None = None,
    note: str = "",
) -> list[Activity]:
    """Schedule every step of the plan on every relation in one transaction, and write one history line
    per relation. Any error creates nothing. `note` is the remark of the steps whose type has none."""
    if not plan.active:
        raise ValidationError(_("This plan is archived."))
    activities = []
    for item in plan_preview(plan=plan, relations=relations, plan_date=plan_date, asked_user=asked_user):
        timed = item.step.type.is_calendar_item
        activity = activity_create(
            user=user, relation=item.relation, activity_type=item.step.type,
            start=local_datetime(item.due_date, DEFAULT_TIME_OF_DAY, user.tzinfo) if timed else item.due_date,
            all_day=not timed, representative=item.representative, summary=item.step.summary, plan=plan,
            note="" if item.step.type.default_note else note,
        )
        activities.append(activity)
    PlanRun.objects.bulk_create(
        [PlanRun(plan=plan, relation=relation, plan_date=plan_date, user=user) for relation in relations]
    )
    return activities
