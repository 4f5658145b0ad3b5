"""Activities with their participants and cost lines, and what one does with them: complete, schedule the
next one, reschedule, cancel."""

import datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.db import transaction
from django.utils.translation import gettext as _
from ninja import Body, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from pydantic import Field

from kadans.accounts.models import User
from kadans.accounts.permissions import (
    assignable_representatives,
    can_add_activity_to,
    can_edit_activity,
)
from kadans.activities import selectors, services
from kadans.activities.chaining import NextSchedule
from kadans.activities.filters import ACTIVITY_SORTS, ActivityFilterSet
from kadans.activities.models import Activity, ActivityType, Product, cost_total
from kadans.activities.selectors import visible_activities
from kadans.api.common import (
    Day,
    Id,
    Input,
    PageParams,
    Text,
    Text200,
    When,
    aware,
    filtered,
    forbid,
    get_or_404,
    lookup,
    lookup_many,
    page_of,
    paginate,
    responses,
)
from kadans.relations.models import BusinessStatus, Contact, Priority
from kadans.relations.selectors import visible_relations

router = Router(tags=["activities"])

MAX_LINES = 50
CENT = Decimal("0.01")
MAX_PARTICIPANTS = 50
ActivityStatus = Literal["planned", "done", "cancelled"]
ActivityState = Literal["overdue", "today", "planned", "done", "cancelled"]
Money = Annotated[Decimal, Field(max_digits=10, decimal_places=2, ge=Decimal("0"))]
Quantity = Annotated[Decimal, Field(max_digits=10, decimal_places=2, ge=Decimal("0.01"))]


class CostLineOut(Schema):
    id: int
    description: str
    product: int | None
    quantity: Decimal
    unit_price: Decimal
    total: Decimal


class ActivityOut(Schema):
    id: int
    relation: int
    contact: int | None
    type: int
    representative: int
    participants: list[int]
    status: ActivityStatus
    state: ActivityState = Field(description="Overdue, today or planned (in the caller's time zone), done, cancelled.")
    all_day: bool
    start: datetime.datetime
    end: datetime.datetime
    due_date: datetime.date
    end_date: datetime.date
    summary: str
    note: str
    new_status: int | None
    new_priority: int | None
    done_at: datetime.datetime | None
    done_by: int | None
    cancelled_at: datetime.datetime | None
    cancel_reason: str
    previous: int | None
    plan: int | None
    created_by: int | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    cost_lines: list[CostLineOut]
    cost_total: Decimal
    can_edit: bool = Field(description="Whether the caller may change, complete, reschedule or cancel it.")


def activity_out(activity: Activity, user: User) -> dict:
    lines = list(activity.cost_lines.all())
    total = cost_total(lines)
    return {
        "id": activity.pk, "relation": activity.relation_id, "contact": activity.contact_id,
        "type": activity.type_id, "representative": activity.representative_id,
        "participants": [p.pk for p in activity.participants.all()],
        "status": activity.status, "state": activity.state(), "all_day": activity.all_day,
        "start": activity.start, "end": activity.end, "due_date": activity.due_date, "end_date": activity.end_date,
        "summary": activity.summary, "note": activity.note,
        "new_status": activity.new_status_id, "new_priority": activity.new_priority_id,
        "done_at": activity.done_at, "done_by": activity.done_by_id, "cancelled_at": activity.cancelled_at,
        "cancel_reason": activity.cancel_reason, "previous": activity.previous_id, "plan": activity.plan_id,
        "created_by": activity.created_by_id, "created_at": activity.created_at, "updated_at": activity.updated_at,
        "cost_lines": [
            {"id": c.pk, "description": c.description, "product": c.product_id, "quantity": c.quantity,
             "unit_price": c.unit_price, "total": c.total.quantize(CENT)}
            for c in lines
        ],
        "cost_total": total.quantize(CENT),
        "can_edit": can_edit_activity(user, activity),
    }


def activity_rows(user: User):
    return selectors.with_details(visible_activities(user))


def _reload(activity: Activity, user: User) -> dict:
    return activity_out(activity_rows(user).get(pk=activity.pk), user)


class CostLineIn(Input):
    description: Text200 = ""
    product: Id | None = Field(None, description="An active product; without a unit price, its cost price.")
    quantity: Quantity = Decimal("1")
    unit_price: Money | None = None


def _cost_lines(lines: list[CostLineIn]) -> list[services.CostLineData]:
    products = {p.pk: p for p in lookup_many(
        Product.objects.filter(active=True), [line.product for line in lines if line.product], "cost_lines.product"
    )}
    return [
        services.CostLineData(
            description=line.description, product=products.get(line.product), quantity=line.quantity,
            unit_price=line.unit_price,
        )
        for line in lines
    ]


class ActivityCreate(Input):
    relation: Id
    type: Id
    status: Literal["planned", "done"] = Field("planned", description="done: record one that already happened.")
    all_day: bool = True
    start: When
    end: When | None = Field(None, description="Empty: the start's day (all-day), or an hour later.")
    contact: Id | None = None
    representative: Id | None = Field(
        None, description="Empty: the type's default user, else the relation's representative, else the caller."
    )
    participants: list[Id] = Field([], max_length=MAX_PARTICIPANTS)
    summary: Text200 = ""
    note: Text = ""
    new_status: Id | None = Field(None, description="The relation's business status once this is done.")
    new_priority: Id | None = Field(None, description="The relation's priority once this is done.")
    cost_lines: list[CostLineIn] = Field([], max_length=MAX_LINES)


class ActivityUpdate(Input):
    """Only the fields given change; `participants` and `cost_lines` replace the lists. The status changes
    through the complete and cancel actions."""

    type: Id = None
    all_day: bool = None
    start: When = None
    end: When = None
    contact: Id | None = None
    representative: Id | None = Field(None, description="null: the default, as for a new activity.")
    participants: list[Id] = Field(None, max_length=MAX_PARTICIPANTS)
    summary: Text200 = None
    note: Text = None
    new_status: Id | None = None
    new_priority: Id | None = None
    cost_lines: list[CostLineIn] = Field(None, max_length=MAX_LINES)


LOOKUPS = {
    "type": lambda: ActivityType.objects.all(),
    "representative": assignable_representatives,
    "new_status": lambda: BusinessStatus.objects.all(),
    "new_priority": lambda: Priority.objects.all(),
}


def _activity_fields(payload: Input, *, contacts) -> dict:
    """The given fields as the services take them: objects for ids, aware datetimes, cost line data."""
    data = payload.model_dump(exclude_unset=True, exclude={"cost_lines"})
    for field, qs in LOOKUPS.items():
        if field in data:
            data[field] = lookup(qs(), data[field], field)
    if "contact" in data:
        data["contact"] = lookup(contacts, data["contact"], "contact")
    if "participants" in data:
        data["participants"] = lookup_many(assignable_representatives(), data["participants"], "participants")
    for field in ("start", "end"):
        if data.get(field) is not None:
            data[field] = aware(data[field])
    if "cost_lines" in payload.model_fields_set:
        data["cost_lines"] = _cost_lines(payload.cost_lines)
    return data


class ActivityFilters(PageParams):
    relation: Id | None = None
    representative: Id | None = None
    user: Id | None = Field(None, description="Where this user is the representative or a participant.")
    mine: bool = Field(False, description="Where the caller is the representative or a participant.")
    status: ActivityStatus | None = None
    type: Id | None = None
    due_from: Day | None = Field(None, description="Due on or after this day (all-day activities by their date, "
                                 "timed ones in the caller's time zone).")
    due_until: Day | None = Field(None, description="Due on or before this day (all-day activities by their date, "
                                  "timed ones in the caller's time zone).")
    sort: Literal[tuple(ACTIVITY_SORTS)] = "start"


@router.get("/activities", response=responses({200: page_of(ActivityOut)}), summary="List activities")
def list_activities(request, filters: Query[ActivityFilters]):
    qs = filtered(ActivityFilterSet, filters, selectors.activity_list(user=request.user), request=request)
    return paginate(qs, filters, lambda a: activity_out(a, request.user))


@router.post("/activities", response=responses({201: ActivityOut}), summary="Plan or record an activity")
def create_activity(request, payload: ActivityCreate):
    relation = lookup(visible_relations(request.user).select_related("representative"), payload.relation, "relation")
    if not can_add_activity_to(request.user, relation):
        forbid()
    data = _activity_fields(payload, contacts=Contact.objects.all())
    data.pop("relation")
    activity_type = data.pop("type")
    with transaction.atomic():
        activity = services.activity_create(user=request.user, relation=relation, activity_type=activity_type, **data)
    return Status(201, _reload(activity, request.user))


@router.get("/activities/{activity_id}", response=responses({200: ActivityOut}, 404), summary="Get an activity")
def get_activity(request, activity_id: Id):
    return activity_out(get_or_404(activity_rows(request.user), activity_id, "activity"), request.user)


def _activity_for_edit(request, activity_id: int) -> Activity:
    activity = get_or_404(activity_rows(request.user), activity_id, "activity")
    if not can_edit_activity(request.user, activity):
        forbid()
    return activity


@router.patch("/activities/{activity_id}", response=responses({200: ActivityOut}, 404), summary="Change an activity")
def update_activity(request, activity_id: Id, payload: ActivityUpdate):
    activity = _activity_for_edit(request, activity_id)
    data = _activity_fields(payload, contacts=Contact.objects.all())
    with transaction.atomic():
        services.activity_update(activity=activity, user=request.user, **data)
    return _reload(activity, request.user)


# Actions -------------------------------------------------------------------------------------------


class SuggestionOut(Schema):
    type: int
    due_date: datetime.date
    all_day: bool
    start: datetime.datetime | None = Field(description="For a timed activity (a call or a meeting).")


def suggestion_out(schedule: NextSchedule) -> dict:
    return {"type": schedule.activity_type.pk, "due_date": schedule.due_date, "all_day": schedule.all_day,
            "start": schedule.start.astimezone(datetime.UTC) if schedule.start else None}


class CompletionOut(Schema):
    activity: ActivityOut
    next_activity: ActivityOut | None = Field(description="The activity its type triggered, if it triggers one.")
    suggestions: list[SuggestionOut] = Field(description="The next activities its type suggests, with due dates.")


class CompleteIn(Input):
    feedback: Text = Field("", description="Appended to the activity's remark.")


def _not_planned(activity: Activity):
    raise HttpError(409, _("This action was already %(status)s; nothing changed.")
                    % {"status": activity.get_status_display().lower()})


@router.post("/activities/{activity_id}/complete", response=responses({200: CompletionOut}, 404, 409),
             summary="Mark a planned activity done", tags=["activity actions"])
def complete_activity(request, activity_id: Id, payload: Body[CompleteIn] = None):
    """Done: its new status and priority apply to the relation, and its type's chaining follows: the
    triggered activity, or the suggested ones with their due dates. Completing twice completes once (409)."""
    activity = _activity_for_edit(request, activity_id)
    with transaction.atomic():
        result = services.activity_complete(
            activity=activity, user=request.user, feedback=payload.feedback if payload else ""
        )
    if not result.completed:
        _not_planned(activity)
    return {
        "activity": _reload(activity, request.user),
        "next_activity": _reload(result.next_activity, request.user) if result.next_activity else None,
        "suggestions": [suggestion_out(s) for s in result.suggestions],
    }


class ScheduleNextIn(Input):
    type: Id
    start: When | None = Field(None, description="Empty: when this activity's type says the next is due.")
    end: When | None = None
    all_day: bool | None = Field(None, description="Empty: timed for calls and meetings, else all day.")
    contact: Id | None = Field(None, description="Left out: this activity's contact.")
    representative: Id | None = None
    participants: list[Id] = Field([], max_length=MAX_PARTICIPANTS)
    summary: Text200 = ""
    note: Text = ""


@router.post("/activities/{activity_id}/schedule-next", response=responses({201: ActivityOut}, 404),
             summary="Plan the activity that follows this one", tags=["activity actions"])
def schedule_next(request, activity_id: Id, payload: ScheduleNextIn):
    previous = get_or_404(activity_rows(request.user), activity_id, "activity")
    if not can_add_activity_to(request.user, previous.relation):
        forbid()
    data = _activity_fields(payload, contacts=Contact.objects.all())
    activity_type = data.pop("type")
    with transaction.atomic():
        activity = services.activity_schedule_next(
            previous=previous, user=request.user, activity_type=activity_type, **data
        )
    return Status(201, _reload(activity, request.user))


class RescheduleIn(Input):
    start: When | None = Field(None, description="The new start; the duration stays.")
    days: int | None = Field(None, ge=-3650, le=3650, description="Or: move it this many days.")


@router.post("/activities/{activity_id}/reschedule", response=responses({200: ActivityOut}, 404, 409),
             summary="Move a planned activity", tags=["activity actions"])
def reschedule_activity(request, activity_id: Id, payload: RescheduleIn):
    if (payload.start is None) == (payload.days is None):
        raise HttpError(422, _("Give either a start or a number of days."))
    activity = _activity_for_edit(request, activity_id)
    kwargs = {"start": aware(payload.start)} if payload.start is not None else {
        "delta": datetime.timedelta(days=payload.days)
    }
    with transaction.atomic():
        moved = services.activity_reschedule(activity=activity, user=request.user, **kwargs)
    if not moved:
        _not_planned(activity)
    return _reload(activity, request.user)


class CancelIn(Input):
    reason: Text200 = ""


@router.post("/activities/{activity_id}/cancel", response=responses({200: ActivityOut}, 404, 409),
             summary="Cancel a planned activity", tags=["activity actions"])
def cancel_activity(request, activity_id: Id, payload: Body[CancelIn] = None):
    """It stays in the relation's history, with its reason."""
    activity = _activity_for_edit(request, activity_id)
    with transaction.atomic():
        cancelled = services.activity_cancel(
            activity=activity, user=request.user, reason=payload.reason if payload else ""
        )
    if not cancelled:
        _not_planned(activity)
    return _reload(activity, request.user)
