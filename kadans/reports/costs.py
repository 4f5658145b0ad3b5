"""The CRM-costs report: what the done actions cost, in samples (cost lines with a product) and other
expenses (lunches, parking, ...), grouped by one or two of representative, month, relation, action type
and product, with subtotals and a total.

All adding up happens in one SQL query: GROUP BY gives the rows, window functions over the groups
(SUM(SUM(x)) OVER (PARTITION BY ...)) their subtotals and the total, so a page cut short still shows the
true totals. The rows are ordered in SQL by the names the page shows.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum

from kadans.accounts.models import Team, User, display_name
from kadans.accounts.permissions import visible_representatives_q
from kadans.activities.models import Activity, ActivityType, CostLine, cost_amount
from kadans.relations.models import BusinessStatus, Relation
from kadans.reports.forms import NO_PRODUCT
from kadans.reports.periods import Period
from kadans.reports.sql import MONEY, money, total_over


@dataclasses.dataclass(frozen=True)
class CostFilters:
    period: Period
    representative: User | None = None
    team: Team | None = None
    relation: Relation | None = None
    status: BusinessStatus | None = None
    activity_type: ActivityType | None = None
    product: int | str | None = None
    """A product id, NO_PRODUCT for the lines without one, or None for all lines."""


def cost_lines(*, user: User, filters: CostFilters) -> QuerySet[CostLine]:
    """The cost lines the report adds up: those of done actions dated (by their start) in the period,
    whose representative's numbers the user may see, narrowed by the filters."""
    lines = CostLine.objects.filter(
        filters.period.q("activity__start"),
        visible_representatives_q(user, "activity__representative"),
        activity__status=Activity.Status.DONE,
    )
    if filters.representative is not None:
        lines = lines.filter(activity__representative=filters.representative)
    if filters.team is not None:
        lines = lines.filter(activity__representative__in=User.objects.filter(team=filters.team).values("pk"))
    if filters.relation is not None:
        lines = lines.filter(activity__relation=filters.relation)
    if filters.status is not None:
        lines = lines.filter(activity__relation__business_status=filters.status)
    if filters.activity_type is not None:
        lines = lines.filter(activity__type=filters.activity_type)
    if filters.product == NO_PRODUCT:
        lines = lines.filter(product__isnull=True)
    elif filters.product is not None:
        lines = lines.filter(product_id=filters.product)
    return lines


MEASURES = ("actions", "samples", "other", "total")


def _measures() -> dict:
    amount = cost_amount()
    return {
        "actions": Count("activity_id", distinct=True),
        "samples": Sum(amount, filter=Q(product__isnull=False), default=Decimal("0"), output_field=MONEY),
        "other": Sum(amount, filter=Q(product__isnull=True), default=Decimal("0"), output_field=MONEY),
        "total": Sum(amount, default=Decimal("0"), output_field=MONEY),
    }


@dataclasses.dataclass(frozen=True)
class Dimension:
    """One way to group: the column(s) it groups on, what names its groups, and the order they show in."""

    name: str
    key: str
    label_fields: tuple[str, ...] = ()
    order: tuple = ()

    def label(self, row: dict, months: list):
        """How a group reads: a name, or for a month the first day of that month."""
        if self.name == "month":
            return months[row["month"]]
        if self.name == "representative":
            return display_name(*(row[f] for f in self.label_fields))
        if self.name == "product":
            name, code = (row[f] for f in self.label_fields)
            return "" if name is None else (f"{name} ({code})" if code else name)
        return row[self.label_fields[0]]


REP = "activity__representative__"
DIMENSIONS = {
    d.name: d
    for d in [
        Dimension("representative", "activity__representative_id",
                  (f"{REP}first_name", f"{REP}last_name", f"{REP}username"),
                  (f"{REP}first_name", f"{REP}last_name", f"{REP}username", "activity__representative_id")),
        Dimension("month", "month", (), ("month",)),
        Dimension("relation", "activity__relation_id", ("activity__relation__name",),
                  ("activity__relation__name", "activity__relation_id")),
        Dimension("type", "activity__type_id", ("activity__type__name",),
                  ("activity__type__order", "activity__type__name", "activity__type_id")),
        Dimension("product", "product_id", ("product__name", "product__code"),
                  (F("product__name").asc(nulls_last=True), "product_id")),
    ]
}


@dataclasses.dataclass
class CostRow:
    kind: str
    """row, subtotal or total"""
    keys: dict
    """Per grouping, the group's key: a representative's id, a month's number in the period, ..."""
    labels: list[str]
    actions: int
    samples: Decimal
    other: Decimal
    total: Decimal


@dataclasses.dataclass
class CostReport:
    groups: tuple[str, ...]
    months: list
    """The first day of each month of the period: the labels of the month grouping."""
    month_parts: list[Period]
    rows: list[CostRow]
    truncated: bool = False


def cost_report(*, user: User, filters: CostFilters, groups: tuple[str, ...], limit: int | None = None) -> CostReport:
    """Rows per group with their amounts; with two groupings a subtotal after each first-level group;
    the total last. One query; `limit` cuts the rows (not the totals) short for the page."""
    dims = [DIMENSIONS[g] for g in groups]
    buckets = filters.period.months("activity__start")
    lines = cost_lines(user=user, filters=filters)
    if "month" in groups:
        lines = lines.annotate(month=buckets.expression)
    windows = {f"grand_{name}": total_over(expr) for name, expr in _measures().items()}
    if len(dims) == 2:
        windows |= {f"sub_{name}": total_over(expr, partition_by=[dims[0].key]) for name, expr in _measures().items()}
    qs = (
        lines.values(*[f for d in dims for f in (d.key, *d.label_fields)])
        .annotate(**_measures(), **windows)
        .order_by(*[o for d in dims for o in d.order])
    )
    if limit is not None:
        qs = qs[: limit + 1]
    report = CostReport(groups=groups, months=buckets.starts, month_parts=buckets.parts, rows=[])
    rows = list(qs)
    if limit is not None and len(rows) > limit:
        rows, report.truncated = rows[:limit], True
    report.rows = list(_with_subtotals(rows, dims, buckets.starts, complete=not report.truncated))
    grand = rows[0] if rows else None
    report.rows.append(CostRow("total", {}, [], *(_measure(grand, f"grand_{m}") for m in MEASURES)))
    return report


def _measure(row: dict | None, name: str):
    value = row[name] if row else 0
    return int(value or 0) if name.endswith("actions") else money(value)


def _with_subtotals(rows: list[dict], dims: list[Dimension], months: list, *, complete: bool) -> Iterator[CostRow]:
    """The grouped rows, each followed (with two groupings) by its first-level group's subtotal, which the
    query's window computed. A group cut off by the page's limit gets no subtotal."""
    first = dims[0]
    for i, row in enumerate(rows):
        yield CostRow(
            "row", {d.name: row[d.key] for d in dims}, [d.label(row, months) for d in dims],
            *(_measure(row, m) for m in MEASURES),
        )
        last_of_group = i + 1 == len(rows) or rows[i + 1][first.key] != row[first.key]
        if len(dims) == 2 and last_of_group and (complete or i + 1 < len(rows)):
            yield CostRow(
                "subtotal", {first.name: row[first.key]}, [first.label(row, months)],
                *(_measure(row, f"sub_{m}") for m in MEASURES),
            )


def cost_activities(*, user: User, filters: CostFilters) -> QuerySet:
    """The drill-down: per done action in the selection, its samples, other costs and total, newest
    first; its amounts count only the cost lines the filters keep (a product filter keeps that
    product's lines)."""
    return (
        cost_lines(user=user, filters=filters)
        .values("activity_id")
        .annotate(**_measures())
        .order_by("-activity__start", "-activity_id")
    )


def cost_totals(*, user: User, filters: CostFilters) -> dict:
    totals = cost_lines(user=user, filters=filters).aggregate(**_measures())
    return {name: _measure(totals, name) for name in totals}
