"""Writes on activities: create, update, complete, cancel, and their cost lines.

Views, commands, the API and tests all call these functions; the rules live here and nowhere else.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kadans.accounts.models import User
from kadans.activities import chaining
from kadans.activities.models import Activity, ActivityPlan, ActivityType, CostLine, Participation, Product
from kadans.activities.occurrences import series_start
from kadans.activities.recurrence import Recurrence
from kadans.core import events
from kadans.core.time import company_tz, local_datetime
from kadans.relations.models import BusinessStatus, Contact, Priority, Relation
from kadans.relations.services import relation_change_status

DEFAULT_TIMED_DURATION = datetime.timedelta(hours=1)


@dataclasses.dataclass(frozen=True)
class CostLineData:
    description: str = ""
    product: Product | None = None
    quantity: Decimal = Decimal("1")
    unit_price: Decimal | None = None


@dataclasses.dataclass
class CompletionResult:
    activity: Activity
    completed: bool
    """False when the activity was already done or cancelled: nothing changed."""
    next_activity: Activity | None = None
    suggestions: list[Any] = dataclasses.field(default_factory=list)


@dataclasses.dataclass(frozen=True)
class ActivityDefaults:
    """What a new activity gets for what nobody chose (see activity_defaults)."""

    representative: User
    summary: str
    note: str
    all_day: bool

    def as_json(self) -> dict:
        """What the action form's script receives when the type or the relation changes."""
        return {"representative": self.representative.pk, "summary": self.summary, "note": self.note,
                "all_day": self.all_day}


def activity_defaults(
    *, user: User, activity_type: ActivityType | None = None, relation: Relation | None = None,
    representative: User | None = None,
) -> ActivityDefaults:
    """The defaults of a new activity, the one rule the service, the form's initial values and the form's
    script all follow: the representative is the type's default user, else the relation's
    representative, else the user creating it (an explicit choice wins over all three); the summary and
    note are the type's; it is timed when its type is a call or a meeting, else all day (the type's
    is_calendar_item)."""
    representative = (
        representative
        or (activity_type.default_user if activity_type is not None else None)
        or (relation.representative if relation is not None else None)
        or user
    )
    return ActivityDefaults(
        representative=representative,
        summary=activity_type.default_summary if activity_type is not None else "",
        note=activity_type.default_note if activity_type is not None else "",
        all_day=not activity_type.is_calendar_item if activity_type is not None else True,
    )


def activity_period(
    *,
    all_day: bool,
    start: datetime.date | datetime.datetime,
    end: datetime.date | datetime.datetime | None = None,
) -> tuple[datetime.datetime, datetime.datetime]:
    """Turn what a form or an import gives into the stored (start, end).

    All-day activities take dates and are stored as midnights of their first and last day in the
    company time zone; timed ones take aware datetimes (naive ones are read in the current time zone)
    and last an hour unless an end is given. The end is never before the start.
    """
    if all_day:
        first = start.date() if isinstance(start, datetime.datetime) else start
        last = end.date() if isinstance(end, datetime.datetime) else (end or first)
        tz = company_tz()
        start_dt = datetime.datetime.combine(first, datetime.time.min, tzinfo=tz)
        end_dt = datetime.datetime.combine(last, datetime.time.min, tzinfo=tz)
    else:
        if not isinstance(start, datetime.datetime):
            start = datetime.datetime.combine(start, datetime.time(9, 0))
        start_dt = start if timezone.is_aware(start) else timezone.make_aware(start)
        if end is None:
            end_dt = start_dt + DEFAULT_TIMED_DURATION
        else:
            if not isinstance(end, datetime.datetime):
                end = datetime.datetime.combine(end, start_dt.timetz().replace(tzinfo=None))
            end_dt = end if timezone.is_aware(end) else timezone.make_aware(end)
    if end_dt < start_dt:
        raise ValidationError({"end": _("The end cannot be before the start.")})
    return start_dt, end_dt


def _validate_links(*, relation: Relation, contact: Contact | None, activity_type: ActivityType, is_new: bool):
    errors = {}
    if contact is not None and contact.relation_id != relation.pk:
        errors["contact"] = _("This contact does not belong to the chosen relation.")
    if is_new and not activity_type.active:
        errors["type"] = _("This action type is archived; choose another one.")
    if errors:
        raise ValidationError(errors)


def _set_participants(
    activity: Activity, user_ids: Iterable[int], *, current: frozenset[int] = frozenset()
) -> frozenset[int]:
    """Participants are the other users who take part; the representative is never one of them. `current`
    are the participants' ids now (none for a new activity). Returns the ids of the participants."""
    wanted = frozenset(user_ids) - {activity.representative_id}
    if current - wanted:
        Participation.objects.filter(activity=activity, user_id__in=current - wanted).delete()
    if wanted - current:
        Participation.objects.bulk_create([Participation(activity=activity, user_id=pk) for pk in wanted - current])
    return wanted


def activity_set_cost_lines(*, activity: Activity, lines: Iterable[CostLineData], new: bool = False) -> list[CostLine]:
    """Replace the activity's cost lines. A line with a product and no price takes the product's cost price."""
    objs = []
    for line in lines:
        price = line.unit_price
        if price is None:
            price = line.product.cost_price if line.product else Decimal("0")
        obj = CostLine(
            activity=activity, description=line.description, product=line.product,
            quantity=line.quantity, unit_price=price,
        )
        obj.full_clean(exclude=["activity"])
        objs.append(obj)
    if not new:
        CostLine.objects.filter(activity=activity).delete()
    return CostLine.objects.bulk_create(objs) if objs else []


def _apply_completion(activity: Activity, user: User, at: datetime.datetime) -> None:
    if activity.new_status_id is None and activity.new_priority_id is None:
        return  # nothing to apply: no need to lock the relation
    relation_change_status(
        relation=activity.relation, user=user, new_status=activity.new_status,
        new_priority=activity.new_priority, activity=activity, at=at,
    )


def _activity_create(
    *,
    user: User,
    relation: Relation,
    activity_type: ActivityType,
    start: datetime.date | datetime.datetime,
    end: datetime.date | datetime.datetime | None = None,
    all_day: bool | None = None,
    contact: Contact | None = None,
    representative: User | None = None,
    participants: Iterable[User] = (),
    status: str = Activity.Status.PLANNED,
    summary: str = "",
    note: str = "",
    new_status: BusinessStatus | None = None,
    new_priority: Priority | None = None,
    cost_lines: Iterable[CostLineData] = (),
    previous: Activity | None = None,
    recurrence: Recurrence | None = None,
    plan: ActivityPlan | None = None,
) -> Activity:
    """Plan an activity, or record one that is already done (then its new status and priority apply now).

    What is not given takes activity_defaults (all_day None: by the type). With a `recurrence`, the
    activity is the first occurrence of a series and the others are made too (kadans.activities.occurrences).
    """
    if status == Activity.Status.CANCELLED:
        raise ValidationError({"status": _("A new activity cannot be cancelled.")})
    if recurrence is not None and status != Activity.Status.PLANNED:
        raise ValidationError({"repeat": _("Only a planned action can repeat.")})
    _validate_links(relation=relation, contact=contact, activity_type=activity_type, is_new=True)
    defaults = activity_defaults(
        user=user, activity_type=activity_type, relation=relation, representative=representative
    )
    all_day = defaults.all_day if all_day is None else all_day
    start_dt, end_dt = activity_period(all_day=all_day, start=start, end=end)
    now = timezone.now()
    activity = Activity(
        relation=relation, contact=contact, type=activity_type,
        representative=defaults.representative,
        status=status, start=start_dt, end=end_dt, all_day=all_day,
        summary=summary or defaults.summary, note=note or defaults.note,
        new_status=new_status, new_priority=new_priority, previous=previous, plan=plan, created_by=user,
    )
    if status == Activity.Status.DONE:
        activity.done_at, activity.done_by = now, user
    # The related rows were passed in as instances read from the database, so full_clean would only ask
    # again that each exists (a query each); the check constraints hold by construction (activity_period
    # checks the end, done_at is set with the status) and the database enforces them anyway, where
    # Django's validation spends a savepoint and a query on each: more than half the queries of creating one.
    activity.full_clean(exclude=["relation", "contact", "type", "representative", "previous", "created_by"],
                        validate_constraints=False)
    activity.save()
    participant_ids = _set_participants(activity, (u.pk for u in participants))
    lines = activity_set_cost_lines(activity=activity, lines=cost_lines, new=True)
    events.publish(events.ActivityCreated(
        by_id=user.pk, activity_id=activity.pk, representative_id=activity.representative_id,
        participant_ids=participant_ids, cost_line_ids=frozenset(line.pk for line in lines),
    ))
    if status == Activity.Status.DONE:
        _apply_completion(activity, user, now)
    if recurrence is not None:
        series_start(activity=activity, recurrence=recurrence, user=user)
    return activity


activity_create = transaction.atomic(_activity_create)
# activity_complete makes the triggered activity inside its own transaction with _activity_create: the
# savepoint a nested atomic() would add costs two queries and protects nothing there (a failure undoes
# the completion as well).


UPDATABLE_FIELDS = {
    "contact", "type", "representative", "summary", "note", "new_status", "new_priority",
}


@transaction.atomic
def activity_update(
    *,
    activity: Activity,
    user: User,
    start: datetime.date | datetime.datetime | None = None,
    end: datetime.date | datetime.datetime | None = None,
    all_day: bool | None = None,
    status: str | None = None,
    participants: Iterable[User] | None = None,
    cost_lines: Iterable[CostLineData] | None = None,
    **fields: Any,
) -> Activity:
    """Change an activity. Setting a planned one to done completes it (see activity_complete); a done or
    cancelled one keeps its status here: completing and cancelling have their own functions."""
    unknown = set(fields) - UPDATABLE_FIELDS
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(sorted(unknown))}")
    representative_before = activity.representative_id
    participants_before = frozenset(Participation.objects.filter(activity=activity).values_list("user_id", flat=True))
    if "representative" in fields and fields["representative"] is None:
        # emptied on the form: the same default as for a new activity
        fields["representative"] = activity_defaults(
            user=user, activity_type=fields.get("type", activity.type), relation=activity.relation
        ).representative
    type_changed = "type" in fields and fields["type"].pk != activity.type_id
    for field, value in fields.items():
        setattr(activity, field, value)
    _validate_links(
        relation=activity.relation, contact=activity.contact, activity_type=activity.type, is_new=type_changed
    )
    if start is not None or end is not None or all_day is not None:
        new_all_day = activity.all_day if all_day is None else all_day
        # the current period as the user reads it, so that "keep the dates" keeps the same dates
        tz = company_tz() if activity.all_day else timezone.get_current_timezone()
        current_start = timezone.localtime(activity.start, tz)
        current_end = timezone.localtime(activity.end, tz)
        if start is None:
            start = current_start.date() if new_all_day else current_start
            if end is None:
                end = current_end.date() if new_all_day else current_end
        activity.start, activity.end = activity_period(all_day=new_all_day, start=start, end=end)
        activity.all_day = new_all_day
    activity.full_clean()
    activity.save()
    # also when only the representative changed: the representative is never a participant
    participant_ids = _set_participants(
        activity, participants_before if participants is None else (u.pk for u in participants),
        current=participants_before,
    )
    lines = None if cost_lines is None else activity_set_cost_lines(activity=activity, lines=cost_lines)
    events.publish(events.ActivityChanged(
        by_id=user.pk, activity_id=activity.pk, representative_id=activity.representative_id,
        representative_before=representative_before, participant_ids=participant_ids,
        participants_before=participants_before,
        cost_line_ids=frozenset(line.pk for line in lines) if lines is not None else frozenset(),
    ))
    if status == Activity.Status.DONE and activity.status == Activity.Status.PLANNED:
        activity_complete(activity=activity, user=user)
    elif status == Activity.Status.CANCELLED and activity.status == Activity.Status.PLANNED:
        activity_cancel(activity=activity, user=user)
    return activity


@transaction.atomic
def activity_complete(*, activity: Activity, user: User, feedback: str = "") -> CompletionResult:
    """Mark a planned activity done: done time and user, feedback appended to the report, the relation's
    new status and priority applied and recorded, and the type's chaining followed, in one transaction.

    Completing twice, or from two browsers at once, completes once and triggers once: the conditional
    UPDATE below only matches a planned row, and the database lets one transaction win it (PostgreSQL
    locks the row, SQLite the database); the loser sees 0 rows and does nothing more.
    """
    now = timezone.now()
    won = Activity.objects.filter(pk=activity.pk, status=Activity.Status.PLANNED).update(
        status=Activity.Status.DONE, done_at=now, done_by=user, updated_at=now
    )
    if not won:
        activity.refresh_from_db()
        return CompletionResult(activity=activity, completed=False)
    # the row as it is now that this call has won it, with everything completing reads, in one query
    activity.refresh_from_db(from_queryset=Activity.objects.select_related(
        "relation__representative", "type__triggered_type", "type__default_user", "contact", "representative",
        "new_status", "new_priority",
    ))
    if feedback.strip():
        activity.note = f"{activity.note.rstrip()}\n\n{feedback.strip()}".strip()
        activity.save(update_fields=["note"])
    _apply_completion(activity, user, now)
    events.publish(events.ActivityCompleted(by_id=user.pk, activity_id=activity.pk))
    result = CompletionResult(activity=activity, completed=True)
    activity_type = activity.type
    if activity_type.chaining == ActivityType.Chaining.TRIGGER and activity_type.triggered_type.active:
        schedule = chaining.next_start(
            after=activity, next_type=activity_type.triggered_type, completed_at=now, tz=user.tzinfo
        )
        result.next_activity = _activity_create(
            user=user, relation=activity.relation, activity_type=schedule.activity_type,
            start=schedule.start_value, all_day=schedule.all_day, contact=activity.contact, previous=activity,
        )
    elif activity_type.chaining == ActivityType.Chaining.SUGGEST:
        result.suggestions = chaining.suggestions_for(activity, completed_at=now, tz=user.tzinfo)
    return result


@transaction.atomic
def activity_reschedule(
    *,
    activity: Activity,
    user: User,
    start: datetime.date | datetime.datetime | None = None,
    delta: datetime.timedelta | None = None,
) -> bool:
    """Move a planned activity to a new start (a chosen date or datetime, or `delta` later), keeping its
    duration and its all-day flag. False when it is no longer planned: nothing moves."""
    locked = Activity.objects.select_for_update().filter(pk=activity.pk, status=Activity.Status.PLANNED).first()
    if locked is None:
        activity.refresh_from_db()
        return False
    if locked.all_day:
        # all-day: move the dates (in the company time zone), so a span over a clock change keeps its days
        days = locked.end_date - locked.due_date
        if delta is not None:
            first = locked.due_date + datetime.timedelta(days=delta.days)
        elif isinstance(start, datetime.datetime):
            first = timezone.localtime(start, company_tz()).date()
        elif isinstance(start, datetime.date):
            first = start
        else:
            raise ValueError("give a start or a delta")
        locked.start, locked.end = activity_period(all_day=True, start=first, end=first + days)
    else:
        # timed: move the wall-clock time in the user's time zone, so 10:00 stays 10:00 across a clock change
        duration = locked.end - locked.start
        local = timezone.localtime(locked.start)
        if delta is not None:
            new_start = local_datetime(
                local.date() + datetime.timedelta(days=delta.days), (local + delta).time(), local.tzinfo
            ) if delta.days else locked.start + delta
        elif isinstance(start, datetime.datetime):
            new_start = start
        elif isinstance(start, datetime.date):
            new_start = local_datetime(start, local.time().replace(tzinfo=None), local.tzinfo)
        else:
            raise ValueError("give a start or a delta")
        locked.start, locked.end = new_start, new_start + duration
    locked.save(update_fields=["start", "end", "updated_at"])
    activity.start, activity.end = locked.start, locked.end
    events.publish(events.ActivityChanged(
        by_id=user.pk, activity_id=activity.pk, representative_id=locked.representative_id,
        representative_before=locked.representative_id,
    ))
    return True


@transaction.atomic
def activity_cancel(*, activity: Activity, user: User, reason: str = "") -> bool:
    """Cancel a planned activity; it stays in the history with its reason. False when it was not planned."""
    now = timezone.now()
    won = Activity.objects.filter(pk=activity.pk, status=Activity.Status.PLANNED).update(
        status=Activity.Status.CANCELLED, cancelled_at=now, cancel_reason=reason[:200], updated_at=now
    )
    activity.refresh_from_db()
    if won:
        events.publish(events.ActivityCancelled(by_id=user.pk, activity_id=activity.pk))
    return bool(won)


def activity_schedule_next(
    *,
    previous: Activity,
    user: User,
    activity_type: ActivityType,
    start: datetime.date | datetime.datetime | None = None,
    end: datetime.date | datetime.datetime | None = None,
    all_day: bool | None = None,
    **fields: Any,
) -> Activity:
    """Plan the activity that follows `previous` (Odoo's "schedule next"): on the same relation, with the
    same contact unless another is given, linked to it as its successor. Without a start it is due by the
    rule of `previous`'s type (chaining.next_start), counted from its completion, or from now while it is
    still open; without `all_day`, by activity_defaults."""
    if start is None:
        schedule = chaining.next_start(
            after=previous, next_type=activity_type, completed_at=previous.done_at or timezone.now(), tz=user.tzinfo
        )
        start, end, all_day = schedule.start_value, None, schedule.all_day
    fields.setdefault("contact", previous.contact)
    return activity_create(
        user=user, relation=previous.relation, activity_type=activity_type, start=start, end=end,
        all_day=all_day, previous=previous, **fields,
    )
