"""Reads on activities: the lists pages and the API show, with their joins declared."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet

from kadans.accounts.models import User
from kadans.activities.models import Activity, Participation


def user_activities(user: User) -> QuerySet[Activity]:
    """Activities where the user is the representative or a participant.

    A subquery rather than a join on participants, so that no DISTINCT is needed and the
    (representative, status, start) index serves the representative half.
    """
    return Activity.objects.filter(
        Q(representative=user) | Q(pk__in=Participation.objects.filter(user=user).values("activity_id"))
    )


def list_related(qs: QuerySet[Activity]) -> QuerySet[Activity]:
    return qs.select_related("relation", "contact", "type", "representative")


def user_open_activities(user: User) -> QuerySet[Activity]:
    """The user's open activities, overdue first then by due date (planned ones are ordered by start)."""
    return list_related(user_activities(user).filter(status=Activity.Status.PLANNED)).order_by("start", "id")


def filter_open_activities(
    qs: QuerySet[Activity],
    *,
    period: str = "",
    activity_type=None,
    relation_name: str = "",
    today_start: datetime.datetime,
    tomorrow_start: datetime.datetime,
) -> QuerySet[Activity]:
    """Narrow "my activities" to a period (overdue, today, next 7 or 30 days), a type, a relation name."""
    if period == "overdue":
        qs = qs.filter(start__lt=today_start)
    elif period == "today":
        qs = qs.filter(start__gte=today_start, start__lt=tomorrow_start)
    elif period in ("week", "month"):
        days = 7 if period == "week" else 30
        qs = qs.filter(start__gte=today_start, start__lt=today_start + datetime.timedelta(days=days))
    if activity_type is not None:
        qs = qs.filter(type=activity_type)
    if relation_name.strip():
        qs = qs.filter(relation__name__icontains=relation_name.strip())
    return qs


def activity_counters(user: User, *, today_start: datetime.datetime, tomorrow_start: datetime.datetime) -> dict:
    """How many open activities the user has overdue, today and later, in one query."""
    from django.db.models import Count

    return user_activities(user).filter(status=Activity.Status.PLANNED).aggregate(
        overdue=Count("id", filter=Q(start__lt=today_start)),
        today=Count("id", filter=Q(start__gte=today_start, start__lt=tomorrow_start)),
        upcoming=Count("id", filter=Q(start__gte=tomorrow_start)),
    )


def next_activity_ids(relation_ids) -> dict[int, int]:
    """For each relation, the id of its next open activity (the earliest planned one), in one query."""
    from django.db.models import OuterRef, Subquery

    from kadans.relations.models import Relation

    first_open = (
        Activity.objects.filter(relation=OuterRef("pk"), status=Activity.Status.PLANNED)
        .order_by("start", "id")
        .values("id")[:1]
    )
    rows = Relation.objects.filter(pk__in=relation_ids).annotate(next_id=Subquery(first_open)).values_list(
        "pk", "next_id"
    )
    return {pk: next_id for pk, next_id in rows if next_id}


def next_due_by_type(relation_ids) -> dict[tuple[int, int], datetime.datetime]:
    """For each (relation, type), the start of the earliest open activity: the cells of the overview."""
    from django.db.models import Min

    rows = (
        Activity.objects.filter(relation_id__in=relation_ids, status=Activity.Status.PLANNED)
        .values("relation_id", "type_id")
        .annotate(first=Min("start"))
    )
    return {(r["relation_id"], r["type_id"]): r["first"] for r in rows}
