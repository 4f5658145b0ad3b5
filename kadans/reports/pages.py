"""What each report page shows, built from the selectors' numbers: its tables (which the exports write
as they are), its charts and its drill-down links."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from kadans.activities.models import ActivityType
from kadans.reports.analysis import average_days, rep_label
from kadans.reports.charts import PALETTE, Series, column_chart, hbar_chart
from kadans.reports.conversions import ConversionGroup, ConversionReport
from kadans.reports.costs import CostReport
from kadans.reports.dashboard import Dashboard
from kadans.reports.forms import GROUPINGS, NO_PRODUCT
from kadans.reports.periods import Period
from kadans.reports.tables import COUNT, DAYS, MONEY, MONTH, TEXT, WEEK, Column, Row, Table


def url(name: str, **params) -> str:
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return reverse(name) + ("?" + urlencode(params) if params else "")


def period_params(period: Period) -> dict:
    return {"start": period.start.isoformat(), "end": period.end.isoformat()}


def month_label(day: datetime.date, *, with_year: bool = True) -> str:
    return date_format(day, "M Y" if with_year else "M")


# -- CRM costs ---------------------------------------------------------------------------------------------


def cost_params(data: dict) -> dict:
    """The costs report's filters as query parameters, to carry into drill-down links."""
    params = period_params(data["period"])
    for name in ("representative", "team", "relation", "status", "type"):
        if data.get(name) is not None:
            params[name] = data[name].pk
    if data.get("product") is not None:
        params["product"] = data["product"]
    return params


def _group_label(name: str, label, key):
    if name == "product" and key is None:
        return _("No product (other costs)")
    return label


def _narrowed(params: dict, keys: dict, report: CostReport) -> dict:
    params = dict(params)
    for name, key in keys.items():
        if name == "month":
            params |= period_params(report.month_parts[key])
        elif name == "product":
            params["product"] = NO_PRODUCT if key is None else key
        else:
            params[name] = key
    return params


def costs_table(report: CostReport, *, params: dict) -> Table:
    groups = report.groups
    columns = [Column(str(GROUPINGS[g]), MONTH if g == "month" else TEXT) for g in groups] + [
        Column(_("Actions"), COUNT), Column(_("Samples"), MONEY), Column(_("Other costs"), MONEY),
        Column(_("Total"), MONEY),
    ]
    rows = []
    for r in report.rows:
        if r.kind == "total":
            labels = [_("Total")] + [""] * (len(groups) - 1)
        elif r.kind == "subtotal":
            labels = [_group_label(groups[0], r.labels[0], r.keys[groups[0]]), _("Subtotal")]
        else:
            labels = [_group_label(g, label, r.keys[g]) for g, label in zip(groups, r.labels, strict=True)]
        link = url("reports:costs_activities", **_narrowed(params, r.keys, report))
        rows.append(Row([*labels, r.actions, r.samples, r.other, r.total], r.kind, link))
    note = _("An action with costs for several products counts once under each of them.") if "product" in groups else ""
    return Table("costs", _("CRM costs"), columns, rows, note=note, truncated=report.truncated)


def costs_chart(report: CostReport):
    """The first grouping's totals: columns over the months, bars for anything else."""
    first = report.groups[0]
    kind = "row" if len(report.groups) == 1 else "subtotal"
    rows = [r for r in report.rows if r.kind == kind]
    title = _("Total costs per %(group)s") % {"group": str(GROUPINGS[first]).lower()}
    if first == "month":
        totals = {r.keys["month"]: r.total for r in rows}
        several_years = report.months[0].year != report.months[-1].year
        return column_chart(
            [month_label(m, with_year=several_years) for m in report.months],
            [Series(_("Total"), [totals.get(i, 0) for i in range(len(report.months))])],
            title=title, kind=MONEY,
        )
    return hbar_chart(
        [(str(_group_label(first, r.labels[0], r.keys[first])), r.total) for r in rows], title=title, kind=MONEY,
    )


# -- conversions -------------------------------------------------------------------------------------------


def _conversion_columns(first: str) -> list[Column]:
    return [
        Column(first), Column(_("Conversions"), COUNT), Column(_("Median days to convert"), DAYS),
        Column(_("Cost"), MONEY), Column(_("Cost per conversion"), MONEY),
    ]


def _conversion_row(group: ConversionGroup, label: str, kind: str = "row") -> Row:
    return Row([label, group.conversions, group.median_days, group.cost, group.cost_per_conversion], kind)


def conversion_tables(report: ConversionReport) -> list[Table]:
    total = _conversion_row(report.total, _("Total"), "total")
    return [
        Table("per-month", _("Status changes per month"),
              [Column(_("Month"), MONTH), Column(_("Status changes"), COUNT), Column(_("Conversions"), COUNT)],
              [Row([m.month, m.changes, m.conversions]) for m in report.months]),
        Table("transitions", _("From → to"),
              [Column(_("Month"), MONTH), Column(_("From")), Column(_("To")), Column(_("Relations"), COUNT)],
              [Row([t.month, t.from_status or _("(new)"), t.to_status, t.count]) for t in report.transitions]),
        Table("per-representative", _("Conversions per representative"), _conversion_columns(_("Representative")),
              [_conversion_row(g, g.label or "—") for g in report.by_representative] + [total]),
        Table("per-type", _("Conversions per action type"), _conversion_columns(_("Action type")),
              [_conversion_row(g, g.label or _("By hand")) for g in report.by_type] + [total]),
    ]


def conversion_chart(report: ConversionReport):
    several_years = report.months[0].month.year != report.months[-1].month.year
    return column_chart(
        [month_label(m.month, with_year=several_years) for m in report.months],
        [Series(_("Conversions"), [m.conversions for m in report.months], PALETTE[1])],
        title=_("Conversions per month"),
    )


# -- activity analysis -------------------------------------------------------------------------------------


def done_per_week_table(weeks: list[datetime.date], rows: list[dict], types: list[ActivityType]) -> Table:
    return Table(
        "done-per-week", _("Done per representative and week"),
        [Column(_("Representative")), Column(_("Week"), WEEK)]
        + [Column(t.name, COUNT) for t in types] + [Column(_("Total"), COUNT)],
        [Row([rep_label(r), weeks[r["week"]], *(r[f"type_{t.pk}"] for t in types), r["done"]]) for r in rows],
    )


def done_per_week_chart(rows: list[dict], types: list[ActivityType]):
    return column_chart(
        [date_format(r["monday"], "j M") for r in rows],
        [Series(t.name, [r.get(f"type_{t.pk}", 0) for r in rows], t.color) for t in types],
        title=_("Done per week, by action type"),
    )


def overdue_table(rows: list[dict]) -> Table:
    return Table(
        "overdue", _("Overdue now"), [Column(_("Representative")), Column(_("Overdue"), COUNT)],
        [Row([rep_label(r), r["overdue"]]) for r in rows],
    )


def overdue_chart(rows: list[dict]):
    return hbar_chart([(rep_label(r), r["overdue"]) for r in rows], title=_("Overdue now"), color=PALETTE[3])


def planned_versus_done_table(rows: list[dict]) -> Table:
    columns = [
        Column(_("Representative")), Column(_("Due in the period"), COUNT), Column(_("Done on time"), COUNT),
        Column(_("Done late"), COUNT), Column(_("Cancelled"), COUNT), Column(_("Overdue"), COUNT),
        Column(_("Still planned"), COUNT), Column(_("Average delay (days)"), DAYS),
    ]
    names = ("due", "on_time", "late", "cancelled", "overdue", "open")

    def cells(r: dict, prefix: str = "") -> list:
        done = r[f"{prefix}on_time"] + r[f"{prefix}late"]
        return [*(r[f"{prefix}{n}"] for n in names), average_days(r[f"{prefix}delay"], done)]

    body = [Row([rep_label(r), *cells(r)]) for r in rows]
    total = rows[0] if rows else {f"all_{n}": 0 for n in names} | {"all_delay": None}
    return Table(
        "planned-versus-done", _("Planned versus done"), columns,
        body + [Row([_("Total"), *cells(total, "all_")], "total")],
        note=_("Of the actions due in the period. Done late: marked done on a day after the due date (Kadans "
               "keeps no log of reschedules, so a rescheduled action counts by its current due date). The "
               "delay is negative for an action done early."),
    )


# -- dashboard ---------------------------------------------------------------------------------------------


def dashboard_tables(data: Dashboard) -> dict[str, Table]:
    costs_params = period_params(data.this_year) | {"group": "type"}
    month_params = period_params(data.this_month) | {"group": "type"}
    return {
        "week": Table(
            "week", _("This week: done versus planned"),
            [Column(_("Representative")), Column(_("Done"), COUNT), Column(_("Due this week"), COUNT)],
            [Row([r["label"], r["done"], r["planned"]]) for r in data.week_by_rep],
        ),
        "overdue": Table(
            "overdue", _("Overdue per representative"),
            [Column(_("Representative")), Column(_("Overdue"), COUNT)],
            [Row([r["label"], r["overdue"]]) for r in data.overdue_by_rep],
        ),
        "costs": Table(
            "costs", _("Costs by action type"),
            [Column(_("Action type")), Column(_("This month"), MONEY), Column(_("This year"), MONEY)],
            [Row([r["activity__type__name"], r["month"], r["year"]],
                 link=url("reports:costs", **costs_params, type=r["activity__type_id"]))
             for r in data.costs_by_type]
            + [Row([_("Total"), data.costs_total["month"], data.costs_total["year"]], "total",
                   link=url("reports:costs", **month_params))],
        ),
        "conversions": Table(
            "conversions", _("Conversions this quarter"),
            [Column(_("Month"), MONTH), Column(_("Conversions"), COUNT)],
            [Row([r["month"], r["conversions"]]) for r in data.conversions]
            + [Row([_("Total"), data.conversions_total], "total",
                   link=url("reports:conversions", **period_params(data.this_quarter)))],
        ),
        "without_next": Table(
            "without-next", _("Relations without a next action"),
            [Column(_("Priority")), Column(_("Relations"), COUNT)],
            [Row([r["priority__name"] or _("No priority"), r["relations"]],
                 link=url("reports:to_schedule", priority=r["priority_id"]))
             for r in data.without_next],
        ),
    }


def dashboard_charts(data: Dashboard) -> dict:
    return {
        "week": column_chart(
            [r["label"] for r in data.week_by_rep],
            [Series(_("Done"), [r["done"] for r in data.week_by_rep], PALETTE[1]),
             Series(_("Still planned"), [r["planned"] - r["done"] for r in data.week_by_rep], PALETTE[2])],
            title=_("This week: done versus planned"),
        ),
        "overdue": hbar_chart([(r["label"], r["overdue"]) for r in data.overdue_by_rep],
                              title=_("Overdue per representative"), color=PALETTE[3]),
        "costs": hbar_chart([(r["activity__type__name"], r["year"]) for r in data.costs_by_type],
                            title=_("Costs this year by action type"), kind=MONEY),
        "conversions": column_chart(
            [month_label(r["month"], with_year=False) for r in data.conversions],
            [Series(_("Conversions"), [r["conversions"] for r in data.conversions], PALETTE[1])],
            title=_("Conversions this quarter"),
        ),
        "without_next": hbar_chart(
            [(r["priority__name"] or _("No priority"), r["relations"]) for r in data.without_next],
            title=_("Relations without a next action"), color=PALETTE[6],
        ),
    }

