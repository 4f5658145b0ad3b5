"""The conversion report: business status changes per month (from → to), and the conversions among them,
with how long they took and what they cost, per representative and per action type.

A *conversion* is a change to a won status from one that is not won (or from none). It is credited to
the representative of the action that caused it, or, for a change made by hand, to the user who made it;
its action type is that action's (none for a change by hand).

Its *time to convert* runs from the relation's first done action to the change. Its *cost* adds up the
cost lines of the relation's done actions from that first one until the change (those dated up to the
moment of the change, and the action that caused it).
"""

from __future__ import annotations

import dataclasses
import datetime
import statistics
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from kadans.accounts.models import User
from kadans.accounts.permissions import visible_representatives_q
from kadans.activities.models import Activity, ActivityType, cost_amount
from kadans.relations.models import StatusChange
from kadans.reports.periods import Period
from kadans.reports.sql import MONEY, money, total_over

CONVERSION = Q(to_status__is_won=True) & (Q(from_status__isnull=True) | Q(from_status__is_won=False))


@dataclasses.dataclass(frozen=True)
class ConversionFilters:
    period: Period
    representative: User | None = None
    activity_type: ActivityType | None = None


def _credited_to(activity_filter: Q, user_filter: Q) -> Q:
    """Changes caused by an action whose representative matches `activity_filter`, or made by hand by a
    user matching `user_filter`. Written as an IN over the activity ids rather than a test on the joined
    activity, so that the database narrows the changes down before it joins anything."""
    return Q(activity_id__in=Activity.objects.filter(activity_filter).values("pk")) | (
        Q(activity__isnull=True) & user_filter
    )


def status_changes(*, user: User, filters: ConversionFilters) -> QuerySet[StatusChange]:
    """Business status changes in the period, credited to someone whose numbers the user may see; each
    carries `rep`, the id of the user it is credited to."""
    changes = StatusChange.objects.filter(filters.period.q("at"), field=StatusChange.Field.STATUS).annotate(
        rep=Coalesce("activity__representative_id", "user_id")
    )
    if not user.is_administrator:
        changes = changes.filter(
            _credited_to(visible_representatives_q(user, "representative"), visible_representatives_q(user, "user"))
        )
    if filters.representative is not None:
        changes = changes.filter(
            _credited_to(Q(representative=filters.representative), Q(user=filters.representative))
        )
    if filters.activity_type is not None:
        changes = changes.filter(activity__type=filters.activity_type)
    return changes


def _first_action_start() -> Subquery:
    """When the relation's first done action started, among those up to the change."""
    actions = Activity.objects.filter(
        Q(start__lte=OuterRef("at")) | Q(pk=OuterRef("activity_id")),
        relation=OuterRef("relation_id"), status=Activity.Status.DONE,
    )
    return Subquery(actions.order_by("start").values("start")[:1])


def _cost_until_won() -> Sum:
    """What the relation's done actions up to the change cost: those dated up to it, and the one that
    caused it. Summed over a join from the change through its relation to the actions' cost lines, so a
    conversion spans several joined rows: conversions are counted DISTINCT next to it."""
    action = "relation__activities__"
    return Sum(
        cost_amount(f"{action}cost_lines__"),
        filter=Q(**{f"{action}status": Activity.Status.DONE})
        & (Q(**{f"{action}start__lte": F("at")}) | Q(**{f"{action}pk": F("activity_id")})),
        default=Decimal("0"), output_field=MONEY,
    )


@dataclasses.dataclass
class MonthRow:
    month: datetime.date
    changes: int
    conversions: int


@dataclasses.dataclass
class Transition:
    month: datetime.date
    from_status: str | None
    to_status: str
    count: int


@dataclasses.dataclass
class ConversionGroup:
    key: int | None
    label: str | None
    conversions: int
    median_days: float | None
    cost: Decimal

    @property
    def cost_per_conversion(self) -> Decimal | None:
        return money(self.cost / self.conversions) if self.conversions else None


@dataclasses.dataclass
class ConversionReport:
    months: list[MonthRow]
    transitions: list[Transition]
    by_representative: list[ConversionGroup]
    by_type: list[ConversionGroup]
    total: ConversionGroup


def conversion_report(*, user: User, filters: ConversionFilters) -> ConversionReport:
    """Four queries whatever the data: the changes from → to per month (with each month's totals by
    window); the conversions' counts and costs per representative and action type (with the totals per
    representative, per type and overall by window); the representatives' names; and the time each
    conversion took, for the medians."""
    changes = status_changes(user=user, filters=filters)
    buckets = filters.period.months("at")
    transition_rows = list(
        changes.annotate(month=buckets.expression)
        .values("month", "from_status__name", "from_status__order", "to_status__name", "to_status__order")
        .annotate(
            count=Count("id"),
            month_changes=total_over(Count("id"), partition_by=["month"]),
            month_conversions=total_over(Count("id", filter=CONVERSION), partition_by=["month"]),
        )
        .order_by("month", F("from_status__order").asc(nulls_first=True), "from_status__name",
                  "to_status__order", "to_status__name")
    )
    by_month = {r["month"]: (r["month_changes"], r["month_conversions"]) for r in transition_rows}
    months = [MonthRow(start, *by_month.get(i, (0, 0))) for i, start in enumerate(buckets.starts)]
    transitions = [
        Transition(buckets.starts[r["month"]], r["from_status__name"], r["to_status__name"], r["count"])
        for r in transition_rows
    ]

    conversions = changes.filter(CONVERSION)
    count, cost = Count("id", distinct=True), _cost_until_won()
    rows = list(
        conversions.values("rep", "activity__type_id", "activity__type__name", "activity__type__order")
        .annotate(
            n=count,
            rep_n=total_over(count, partition_by=["rep"]),
            rep_cost=total_over(cost, partition_by=["rep"], output_field=MONEY),
            type_n=total_over(count, partition_by=["activity__type_id"]),
            type_cost=total_over(cost, partition_by=["activity__type_id"], output_field=MONEY),
            all_n=total_over(count),
            all_cost=total_over(cost, output_field=MONEY),
        )
        .order_by(F("activity__type__order").asc(nulls_last=True), "activity__type__name", "rep")
    )
    names = {u.pk: str(u) for u in User.objects.filter(pk__in={r["rep"] for r in rows if r["rep"]})}

    # One duration per conversion, computed in SQL; only their medians are taken here (SQLite has no
    # percentile function).
    durations = conversions.annotate(first=_first_action_start()).annotate(took=F("at") - F("first"))
    per_rep, per_type, overall = defaultdict(list), defaultdict(list), []
    for rep, type_id, took in durations.values_list("rep", "activity__type_id", "took"):
        if took is not None:
            days = took.total_seconds() / 86400
            per_rep[rep].append(days)
            per_type[type_id].append(days)
            overall.append(days)

    # The query grouped by (representative, type); each group's window totals repeat on its rows.
    reps = {r["rep"]: r for r in rows}
    types = {r["activity__type_id"]: r for r in rows}
    by_rep = sorted(
        (ConversionGroup(rep, names.get(rep), r["rep_n"], _median(per_rep[rep]), money(r["rep_cost"]))
         for rep, r in reps.items()),
        key=lambda g: ((g.label or "").lower(), g.key or 0),
    )
    by_type = [
        ConversionGroup(type_id, r["activity__type__name"], r["type_n"], _median(per_type[type_id]),
                        money(r["type_cost"]))
        for type_id, r in types.items()
    ]
    first = rows[0] if rows else {}
    total = ConversionGroup(None, None, first.get("all_n") or 0, _median(overall), money(first.get("all_cost")))
    return ConversionReport(months, transitions, by_rep, by_type, total)


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None
