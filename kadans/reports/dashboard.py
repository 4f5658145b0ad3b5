"""The dashboard's numbers, for the representatives whose numbers the user sees. "Today", "overdue" and
"this week" are the user's own days (as on My activities); costs and conversions use the same company
periods as the reports, so that each number links to a report that shows the same figure."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, Sum

from kadans.accounts.models import User
from kadans.accounts.permissions import visible_representatives_q
from kadans.activities.models import Activity, cost_amount, due_before
from kadans.activities.rows import Row, rows_of
from kadans.relations.models import Relation
from kadans.reports import periods
from kadans.reports.analysis import REP_NAME, REP_ORDER, rep_label
from kadans.reports.conversions import CONVERSION, ConversionFilters, status_changes
from kadans.reports.costs import CostFilters, cost_lines
from kadans.reports.sql import MONEY, money, total_over

DONE, PLANNED = Activity.Status.DONE, Activity.Status.PLANNED
LIST_SIZE = 10


@dataclasses.dataclass
class Dashboard:
    due_now: list[Row]
    overdue_count: int
    today_count: int
    this_week: periods.Period
    week_by_rep: list[dict]
    overdue_by_rep: list[dict]
    this_month: periods.Period
    this_year: periods.Period
    costs_by_type: list[dict]
    costs_total: dict
    this_quarter: periods.Period
    conversions: list[dict]
    conversions_total: int
    without_next: list[dict]


def dashboard(
    *, user: User, today: datetime.date, today_start: datetime.datetime, tomorrow_start: datetime.datetime,
) -> Dashboard:
    """Six queries, however much data there is."""
    visible = visible_representatives_q(user, "representative")
    activities = Activity.objects.filter(visible)
    # due as due_state says: all-day activities on the company's dates, timed ones in the user's days
    tz = today_start.tzinfo
    overdue, due_by_tomorrow = due_before(today, tz), due_before(today + datetime.timedelta(days=1), tz)
    due_now = rows_of(activities.filter(due_by_tomorrow, status=PLANNED).order_by("start", "id")[:LIST_SIZE])
    due_by_rep = list(
        activities.filter(due_by_tomorrow, status=PLANNED)
        .values("representative_id", *REP_NAME)
        .annotate(
            overdue=Count("id", filter=overdue),
            today=Count("id", filter=~overdue),
            all_overdue=total_over(Count("id", filter=overdue)),
            all_today=total_over(Count("id", filter=~overdue)),
        )
        .order_by("-overdue", *REP_ORDER)
    )

    # this week in the user's own days, Monday to Sunday
    week = periods.this_week(today)
    week_by_rep = list(
        activities.filter(due_before(week.end + datetime.timedelta(days=1), tz)).exclude(due_before(week.start, tz))
        .exclude(status=Activity.Status.CANCELLED)
        .values("representative_id", *REP_NAME)
        .annotate(done=Count("id", filter=Q(status=DONE)), planned=Count("id"))
        .order_by(*REP_ORDER)
    )
    month, year = periods.this_month(today), periods.this_year(today)
    lines = cost_lines(user=user, filters=CostFilters(period=year))
    in_month = Sum(cost_amount(), filter=month.q("activity__start"), default=Decimal("0"), output_field=MONEY)
    in_year = Sum(cost_amount(), default=Decimal("0"), output_field=MONEY)
    costs_by_type = [
        r | {name: money(r[name]) for name in ("month", "year", "all_month", "all_year")}
        for r in lines.values("activity__type_id", "activity__type__name")
        .annotate(
            month=in_month, year=in_year,
            all_month=total_over(in_month, output_field=MONEY), all_year=total_over(in_year, output_field=MONEY),
        )
        .order_by("activity__type__order", "activity__type__name")
    ]
    first_type = costs_by_type[0] if costs_by_type else {}
    costs_total = {"month": money(first_type.get("all_month")), "year": money(first_type.get("all_year"))}

    quarter = periods.this_quarter(today)
    buckets = quarter.months("at")
    per_month = {
        r["month"]: r
        for r in status_changes(user=user, filters=ConversionFilters(period=quarter))
        .filter(CONVERSION)
        .annotate(month=buckets.expression)
        .values("month")
        .annotate(conversions=Count("id"), all_conversions=total_over(Count("id")))
        .order_by("month")
    }
    conversions = [
        {"month": m, "conversions": per_month[i]["conversions"] if i in per_month else 0}
        for i, m in enumerate(buckets.starts)
    ]

    has_next = Activity.objects.filter(relation=OuterRef("pk"), status=PLANNED)
    without_next = list(
        Relation.objects.filter(visible)
        .exclude(business_status__is_lost=True)
        .filter(~Exists(has_next))
        .values("priority_id", "priority__name")
        .annotate(relations=Count("id"))
        .order_by(F("priority__order").asc(nulls_last=True), "priority__name")
    )
    return Dashboard(
        due_now=due_now,
        overdue_count=due_by_rep[0]["all_overdue"] if due_by_rep else 0,
        today_count=due_by_rep[0]["all_today"] if due_by_rep else 0,
        this_week=week,
        week_by_rep=[r | {"label": rep_label(r)} for r in week_by_rep],
        # the representatives with only today's actions have no overdue bar
        overdue_by_rep=[r | {"label": rep_label(r)} for r in due_by_rep if r["overdue"]],
        this_month=month, this_year=year, costs_by_type=costs_by_type, costs_total=costs_total,
        this_quarter=quarter, conversions=conversions,
        conversions_total=next(iter(per_month.values()), {}).get("all_conversions", 0),
        without_next=without_next,
    )

