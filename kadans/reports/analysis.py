"""Activity analysis: what was done per representative and week, by action type; what is overdue now;
and of the actions due in a period, how many were done on time, done late, cancelled or are still open,
with the average delay between due date and done date.

An action's date is its due date, the day it starts (in the company time zone). Kadans keeps no log of
reschedules, so "moved" cannot be counted as such: an action is *done late* when it was marked done on a
day after its due date, whether or not it was rescheduled meanwhile (its due date is the one it has now).
"""

from __future__ import annotations

import dataclasses
import datetime

from django.db.models import Count, DurationField, F, Q, QuerySet, Sum

from kadans.accounts.models import User, display_name
from kadans.accounts.permissions import visible_representatives_q
from kadans.activities.models import Activity, ActivityType
from kadans.reports.periods import Period
from kadans.reports.sql import LocalDate, total_over

DONE, PLANNED, CANCELLED = Activity.Status.DONE, Activity.Status.PLANNED, Activity.Status.CANCELLED
REP_NAME = ("representative__first_name", "representative__last_name", "representative__username")
REP_ORDER = (*REP_NAME, "representative_id")


def rep_label(row: dict) -> str:
    """The name of a grouped row's representative."""
    return display_name(*(row[f] for f in REP_NAME))


@dataclasses.dataclass(frozen=True)
class AnalysisFilters:
    period: Period
    representative: User | None = None


def _activities(user: User, representative: User | None) -> QuerySet[Activity]:
    qs = Activity.objects.filter(visible_representatives_q(user, "representative"))
    if representative is not None:
        qs = qs.filter(representative=representative)
    return qs


def done_per_week(*, user: User, filters: AnalysisFilters, types: list[ActivityType]):
    """Done actions per representative and week, a count per type (pivoted in SQL) and in all.
    Returns the weeks (their Mondays) and the grouped rows."""
    buckets = filters.period.weeks("start")
    per_type = {f"type_{t.pk}": Count("id", filter=Q(type_id=t.pk)) for t in types}
    rows = (
        _activities(user, filters.representative)
        .filter(filters.period.q("start"), status=DONE)
        .annotate(week=buckets.expression)
        .values("representative_id", *REP_NAME, "week")
        .annotate(done=Count("id"), **per_type)
        .order_by(*REP_ORDER, "week")
    )
    return buckets.starts, list(rows)


def done_per_week_all(*, user: User, filters: AnalysisFilters, types: list[ActivityType]):
    """The same for everyone the user sees together, one row per week (the chart), and the types that
    occur at all (their totals by window), so that the table and the chart leave the others out."""
    buckets = filters.period.weeks("start")
    per_type = {f"type_{t.pk}": Count("id", filter=Q(type_id=t.pk)) for t in types}
    rows = {
        r["week"]: r
        for r in _activities(user, filters.representative)
        .filter(filters.period.q("start"), status=DONE)
        .annotate(week=buckets.expression)
        .values("week")
        .annotate(
            done=Count("id"), **per_type, **{f"all_{name}": total_over(expr) for name, expr in per_type.items()}
        )
        .order_by("week")
    }
    first = next(iter(rows.values()), {})
    used = [t for t in types if first.get(f"all_type_{t.pk}")]
    weeks = [rows.get(i, {"week": i, "done": 0}) | {"monday": monday} for i, monday in enumerate(buckets.starts)]
    return weeks, used


def overdue_per_representative(*, user: User, representative: User | None, today_start: datetime.datetime):
    """Planned actions due before today, per representative."""
    return list(
        _activities(user, representative)
        .filter(status=PLANNED, start__lt=today_start)
        .values("representative_id", *REP_NAME)
        .annotate(overdue=Count("id"))
        .order_by(*REP_ORDER)
    )


def planned_versus_done(*, user: User, filters: AnalysisFilters, today_start: datetime.datetime) -> list[dict]:
    """Of the actions due in the period, per representative: how many are done on time (on or before
    their due date), done late, cancelled, overdue or still to come; and the days between due date and
    done date, added up (negative when done early), for the average. Totals over all representatives
    come from window functions in the same query."""
    # done_at lies after the period, or before it for an action done early: a year either way
    year = datetime.timedelta(days=366)
    lower, upper = filters.period.bounds()
    since, until = lower - year, max(upper, today_start) + year
    delay = F("done_day") - F("due_day")
    measures = {
        "due": Count("id"),
        # the status first: SQLite stops there for the actions that are not done, before any date
        "on_time": Count("id", filter=Q(status=DONE) & Q(done_day__lte=F("due_day"))),
        "late": Count("id", filter=Q(status=DONE) & Q(done_day__gt=F("due_day"))),
        "cancelled": Count("id", filter=Q(status=CANCELLED)),
        "overdue": Count("id", filter=Q(status=PLANNED, start__lt=today_start)),
        "open": Count("id", filter=Q(status=PLANNED, start__gte=today_start)),
        "delay": Sum(delay, filter=Q(status=DONE), output_field=DurationField()),
    }
    totals = {
        f"all_{name}": total_over(expr, output_field=DurationField() if name == "delay" else None)
        for name, expr in measures.items()
    }
    return list(
        _activities(user, filters.representative)
        .filter(filters.period.q("start"))
        .annotate(
            due_day=LocalDate("start", since=since, until=until),
            done_day=LocalDate("done_at", since=since, until=until),
        )
        .values("representative_id", *REP_NAME)
        .annotate(**measures, **totals)
        .order_by(*REP_ORDER)
    )


def average_days(total: datetime.timedelta | None, count: int) -> float | None:
    """The average of `count` delays that add up to `total`."""
    if not count or total is None:
        return None
    return round(total.total_seconds() / 86400 / count, 1)
