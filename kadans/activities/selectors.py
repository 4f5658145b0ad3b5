"""Reads on activities: the lists pages and the API show, with their joins declared."""

from __future__ import annotations

import datetime
import zoneinfo

from django.db.models import Q, QuerySet

from kadans.accounts.models import User
from kadans.activities.models import Activity, Participation


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


def starts_before(day: datetime.date, tz) -> Q:
    """Activities due before `day` for a user in `tz`: timed ones by their instant in `tz`, all-day ones by
    their date, which is stored as a midnight in the company time zone."""
    from django.conf import settings

    company = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return Q(all_day=True, start__lt=datetime.datetime.combine(day, datetime.time.min, tzinfo=company)) | Q(
        all_day=False, start__lt=datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)
    )


def activity_counters(
    user: User, *, today_start: datetime.datetime, tomorrow_start: datetime.datetime | None = None
) -> dict:
    """How many open activities the user has overdue, today and later, in one query (read by halves, see
    kadans.activities.open_activities)."""
    from kadans.activities.open_activities import open_activity_counts

    return open_activity_counts(user, today_start=today_start, tomorrow_start=tomorrow_start)


def nav_counters(user: User) -> dict:
    """Overdue, today and upcoming for the navigation, by the user's today: shown by "my activities" with
    its list, and fetched with the notification bell on every other page (when it loads and each minute),
    so that a page does not wait for them."""
    from kadans.web.today import today_bounds

    today_start, tomorrow_start = today_bounds()
    return activity_counters(user, today_start=today_start, tomorrow_start=tomorrow_start)


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


def next_due_by_type(relation_ids, *, tz) -> dict[tuple[int, int], datetime.date]:
    """For each (relation, type), the due date of the earliest open activity: the cells of the overview.
    All-day dates are read in the company time zone, timed ones in the user's `tz`."""
    from django.conf import settings
    from django.db.models import Min

    company = zoneinfo.ZoneInfo(settings.TIME_ZONE)
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
    from kadans.accounts.permissions import visible_activities

    return with_details(visible_activities(user))
