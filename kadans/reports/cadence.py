"""The "to be scheduled" list: relations that need a next action, most important first.

A relation's *contact cadence* is its own (Relation.cadence_days) when set, else its priority's: it should
get a done action at least that often. An action type's *interval* (ActivityType.interval_days, Douano's
action interval) says that a relation that had an action of that type should get one again within that
many days.

A relation needs scheduling when it is not lost and
- it has no planned action at all; or
- its cadence ran out (its last done action is more than the cadence ago) and nothing is planned for
  today or earlier; or
- an action type with an interval was last done on it longer ago than the interval, and no action of
  that type has been done or planned since.

All dates are days in the company time zone. The list is one SQL query (filter, order, page); the
suggestions for the rows of a page take three more (active types, last done types, intervals run out).
"""

from __future__ import annotations

import dataclasses
import datetime

from django.db.models import Exists, F, Max, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncDate

from kadans.accounts.models import User
from kadans.accounts.permissions import visible_representatives_q
from kadans.activities.models import Activity, ActivityType
from kadans.core.time import company_tz
from kadans.relations.models import Priority, Relation
from kadans.reports.periods import midnight
from kadans.reports.sql import PlusDays

DONE, PLANNED, CANCELLED = Activity.Status.DONE, Activity.Status.PLANNED, Activity.Status.CANCELLED


def _interval_due(activity_type: ActivityType, today: datetime.date) -> Q:
    """The relation had an action of this type, but none on or after the day its interval ran out from."""
    cutoff = midnight(today - datetime.timedelta(days=activity_type.interval_days))
    of_type = Activity.objects.filter(relation=OuterRef("pk"), type=activity_type)
    return Exists(of_type.filter(status=DONE, start__lt=cutoff)) & ~Exists(
        of_type.exclude(status=CANCELLED).filter(start__gte=cutoff)
    )


def interval_types() -> list[ActivityType]:
    return list(ActivityType.objects.filter(interval_days__isnull=False, interval_days__gt=0).order_by("order", "name"))


def relations_to_schedule(
    *,
    user: User,
    today: datetime.date,
    types_with_interval: list[ActivityType],
    representative: User | None = None,
    priority: Priority | None = None,
) -> QuerySet[Relation]:
    """The relations that need scheduling (see the module), by priority, then longest overdue first.

    Each carries `cadence` (days), `last_done_day`, `cadence_due` (the day its cadence runs out) and
    `next_planned` (the start of its next planned action). They come from one pass over the relations'
    actions (GROUP BY the relation) rather than from a subquery per relation and per column.
    """
    relations = (
        Relation.objects.filter(visible_representatives_q(user, "representative"))
        .exclude(business_status__is_lost=True)
        .select_related("representative", "priority", "business_status")
        .annotate(
            cadence=Coalesce("cadence_days", "priority__cadence_days"),
            last_done_day=TruncDate(Max("activities__start", filter=Q(activities__status=DONE)), tzinfo=company_tz()),
            next_planned=Min("activities__start", filter=Q(activities__status=PLANNED)),
        )
        .annotate(cadence_due=PlusDays(F("last_done_day"), F("cadence")))
    )
    if representative is not None:
        relations = relations.filter(representative=representative)
    if priority is not None:
        relations = relations.filter(priority=priority)
    tomorrow = midnight(today + datetime.timedelta(days=1))
    needs = Q(next_planned__isnull=True) | (Q(cadence_due__lt=today) & ~Q(next_planned__lt=tomorrow))
    for activity_type in types_with_interval:
        needs |= _interval_due(activity_type, today)
    return relations.filter(needs).order_by(
        F("priority__order").asc(nulls_last=True), F("cadence_due").asc(nulls_first=True), "name", "pk"
    )


@dataclasses.dataclass(frozen=True)
class Suggestion:
    relation: Relation
    reason: str
    """no-next, cadence or interval"""
    activity_type: ActivityType | None
    day: datetime.date
    overdue_type: ActivityType | None = None


def suggestions_for(
    relations: list[Relation], *, today: datetime.date, types_with_interval: list[ActivityType]
) -> list[Suggestion]:
    """For each relation of a page: why it is listed, and which action to plan when. An interval that ran
    out suggests its own type, today; otherwise the type of the last done action (or the first active
    type), on the day the cadence runs out or today, whichever is later."""
    types = {t.pk: t for t in ActivityType.objects.filter(active=True).order_by("order", "name")}
    fallback = next(iter(types.values()), None)
    last_done = Activity.objects.filter(relation=OuterRef("pk"), status=DONE).order_by("-start", "-pk")
    last_types = dict(
        Relation.objects.filter(pk__in=[r.pk for r in relations])
        .annotate(last_type_id=Subquery(last_done.values("type_id")[:1]))
        .values_list("pk", "last_type_id")
    )
    overdue_by_type = _overdue_types([r.pk for r in relations], types_with_interval, today)
    out = []
    for relation in relations:
        overdue = overdue_by_type.get(relation.pk)
        if overdue is not None:
            out.append(Suggestion(relation, "interval", overdue, today, overdue))
            continue
        due = relation.cadence_due
        reason = "cadence" if due is not None and due < today else "no-next"
        activity_type = types.get(last_types.get(relation.pk), fallback)
        out.append(Suggestion(relation, reason, activity_type, max(due, today) if due else today))
    return out


def _overdue_types(
    relation_ids: list[int], types_with_interval: list[ActivityType], today: datetime.date
) -> dict[int, ActivityType]:
    """Per relation of the page, the action type whose interval ran out longest ago, if any: one query
    for the last done and planned action of each such type on each relation."""
    if not types_with_interval or not relation_ids:
        return {}
    by_id = {t.pk: t for t in types_with_interval}
    rows = (
        Activity.objects.filter(relation_id__in=relation_ids, type_id__in=by_id)
        .exclude(status=CANCELLED)
        .values("relation_id", "type_id")
        .annotate(last_done=Max("start", filter=Q(status=DONE)), last_any=Max("start"))
        .order_by()
    )
    out: dict[int, tuple[datetime.datetime, ActivityType]] = {}
    for row in rows:
        activity_type = by_id[row["type_id"]]
        cutoff = midnight(today - datetime.timedelta(days=activity_type.interval_days))
        if row["last_done"] is not None and row["last_any"] < cutoff:
            overdue_since = row["last_done"] + datetime.timedelta(days=activity_type.interval_days)
            if row["relation_id"] not in out or overdue_since < out[row["relation_id"]][0]:
                out[row["relation_id"]] = (overdue_since, activity_type)
    return {relation_id: activity_type for relation_id, (_, activity_type) in out.items()}
