"""Reads on activities: the lists pages and the API show, with their joins declared."""

from __future__ import annotations

import datetime

from django.db.models import Min, OuterRef, Q, QuerySet, Subquery

from kadans.accounts.models import User
from kadans.accounts.permissions import activity_read_filter
from kadans.activities.models import Activity, Participation
from kadans.core.time import company_tz
from kadans.relations.models import Relation


def visible_activities(user: User) -> QuerySet[Activity]:
    """The activities the user may list and read (permissions.activity_read_filter)."""
    return Activity.objects.filter(activity_read_filter(user))


def user_activities(user: User) -> QuerySet[Activity]:
    """Activities where the user is the representative or a participant.

    A subquery rather than a join on participants, so that no DISTINCT is needed and the
    (representative, status, start, end) index serves the representative half.
    """
    return Activity.objects.filter(
        Q(representative=user) | Q(pk__in=Participation.objects.filter(user=user).values("activity_id"))
    )


def list_related(qs: QuerySet[Activity]) -> QuerySet[Activity]:
    return qs.select_related("relation", "contact", "type", "representative")


def user_open_activities(user: User) -> QuerySet[Activity]:
    """The user's open activities, overdue first then by due date (planned ones are ordered by start)."""
    return list_related(user_activities(user).filter(status=Activity.Status.PLANNED)).order_by("start", "id")




def next_activity_ids(relation_ids) -> dict[int, int]:
    """For each relation, the id of its next open activity (the earliest planned one), in one query."""
    first_open = (
        Activity.objects.filter(relation=OuterRef("pk"), status=Activity.Status.PLANNED)
        .order_by("start", "id")
        .values("id")[:1]
    )
    rows = Relation.objects.filter(pk__in=relation_ids).annotate(next_id=Subquery(first_open)).values_list(
        "pk", "next_id"
    )
    return {pk: next_id for pk, next_id in rows if next_id}


def next_due_by_type(relation_ids, *, tz) -> dict[tuple[int, int], datetime.date]:
    """For each (relation, type), the due date of the earliest open activity: the cells of the overview.
    All-day dates are read in the company time zone, timed ones in the user's `tz`."""
    company = company_tz()
    rows = (
        Activity.objects.filter(relation_id__in=relation_ids, status=Activity.Status.PLANNED)
        .values("relation_id", "type_id")
        .annotate(first_all_day=Min("start", filter=Q(all_day=True)), first_timed=Min("start", filter=Q(all_day=False)))
    )
    due = {}
    for r in rows:  # one row per (relation, type) cell, already aggregated
        dates = [r["first_all_day"].astimezone(company).date()] if r["first_all_day"] else []
        dates += [r["first_timed"].astimezone(tz).date()] if r["first_timed"] else []
        due[(r["relation_id"], r["type_id"])] = min(dates)
    return due


def with_details(qs: QuerySet[Activity]) -> QuerySet[Activity]:
    """An activity list with everything one activity shows: its links, participants and cost lines."""
    return list_related(qs).prefetch_related("participants", "cost_lines")


def activity_list(*, user: User) -> QuerySet[Activity]:
    """The activities `user` may read, with everything the API shows of one; narrowed and ordered by
    kadans.activities.filters.ActivityFilterSet."""
    return with_details(visible_activities(user))
