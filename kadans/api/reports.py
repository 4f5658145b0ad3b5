"""The CRM-costs and conversions reports, as the report pages compute them.

The query goes through the report page's own form (kadans.reports.forms), so the API accepts and refuses
what the page does, with the same messages, and shows each user the numbers the page shows them: an
administrator everyone's, a sales manager their team's, a representative their own.
"""

import datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import ValidationError as ModelValidationError
from django.http import QueryDict
from ninja import Query, Router, Schema
from pydantic import Field

from kadans.api.common import Day, Id, responses
from kadans.reports import conversions, costs
from kadans.reports.forms import GROUPINGS, NO_PRODUCT, ConversionsForm, CostsForm

router = Router(tags=["reports"])

MAX_COST_ROWS = 10_000


def _form_query(params: Schema) -> QueryDict:
    query = QueryDict(mutable=True)
    for name, value in params.model_dump(exclude_none=True, exclude={"limit"}).items():
        query[name] = value.isoformat() if isinstance(value, datetime.date) else str(value)
    return query


def _valid(form) -> dict:
    if not form.is_valid():
        raise ModelValidationError(form.errors.as_data())
    return form.cleaned_data


class ReportParams(Schema):
    start: Day | None = Field(None, description="First day of the period; without start and end: this year.")
    end: Day | None = Field(None, description="Last day of the period (at most ten years after the start).")
    representative: Id | None = Field(None, description="A user whose numbers the caller may see.")


class CostParams(ReportParams):
    team: Id | None = Field(None, description="Administrators and sales managers: a team's numbers.")
    relation: Id | None = None
    status: Id | None = Field(None, description="Relations with this business status.")
    type: Id | None = Field(None, description="Actions of this type.")
    product: Annotated[str, Field(pattern=rf"^({NO_PRODUCT}|[1-9][0-9]{{0,17}})$")] | None = Field(
        None, description=f"A product id, or '{NO_PRODUCT}' for the costs without a product."
    )
    group: Annotated[str, Field(pattern=r"^[a-z]+(,[a-z]+)?$", max_length=40)] | None = Field(
        None, description=f"One or two of {', '.join(GROUPINGS)}, comma separated; default representative,month."
    )
    limit: int = Field(1000, ge=1, le=MAX_COST_ROWS, description="At most this many rows (the totals stay whole).")


class CostRowOut(Schema):
    kind: Literal["row", "subtotal", "total"]
    keys: dict[str, int | None] = Field(
        description="Per grouping, the group's key: a user, relation, type or product id, or the month's "
        "index in `months`."
    )
    labels: list[str]
    actions: int
    samples: Decimal
    other: Decimal
    total: Decimal


class CostReportOut(Schema):
    groups: list[str]
    months: list[datetime.date] = Field(description="The first day of each month of the period.")
    rows: list[CostRowOut]
    truncated: bool = Field(description="Whether rows were left out by `limit`.")


@router.get("/reports/costs", response=responses({200: CostReportOut}),
            summary="CRM costs: done actions' samples and other costs, grouped")
def cost_report(request, params: Query[CostParams]):
    data = _valid(CostsForm(_form_query(params), user=request.user))
    report = costs.cost_report(
        user=request.user,
        filters=costs.CostFilters(
            period=data["period"], representative=data.get("representative"), team=data.get("team"),
            relation=data.get("relation"), status=data.get("status"), activity_type=data.get("type"),
            product=data.get("product"),
        ),
        groups=data["group"], limit=params.limit,
    )
    return {
        "groups": list(report.groups), "months": report.months, "truncated": report.truncated,
        "rows": [
            {"kind": row.kind, "keys": row.keys, "labels": [str(label) for label in row.labels],
             "actions": row.actions, "samples": row.samples, "other": row.other, "total": row.total}
            for row in report.rows
        ],
    }


class ConversionParams(ReportParams):
    type: Id | None = Field(None, description="Conversions made by an action of this type.")


class MonthOut(Schema):
    month: datetime.date
    changes: int
    conversions: int


class TransitionOut(Schema):
    month: datetime.date
    from_status: str | None
    to_status: str
    count: int


class ConversionGroupOut(Schema):
    key: int | None = Field(description="The representative or action type id; empty for the total.")
    label: str | None
    conversions: int
    median_days: float | None = Field(description="Median days from the first done action to the conversion.")
    cost: Decimal
    cost_per_conversion: Decimal | None


class ConversionReportOut(Schema):
    months: list[MonthOut]
    transitions: list[TransitionOut]
    by_representative: list[ConversionGroupOut]
    by_type: list[ConversionGroupOut]
    total: ConversionGroupOut


def _group(group: conversions.ConversionGroup) -> dict:
    return {"key": group.key, "label": group.label, "conversions": group.conversions,
            "median_days": group.median_days, "cost": group.cost, "cost_per_conversion": group.cost_per_conversion}


@router.get("/reports/conversions", response=responses({200: ConversionReportOut}),
            summary="Conversions: status changes over time, time to convert, cost per conversion")
def conversion_report(request, params: Query[ConversionParams]):
    data = _valid(ConversionsForm(_form_query(params), user=request.user))
    report = conversions.conversion_report(
        user=request.user,
        filters=conversions.ConversionFilters(
            period=data["period"], representative=data["representative"], activity_type=data["type"]
        ),
    )
    return {
        "months": [{"month": m.month, "changes": m.changes, "conversions": m.conversions} for m in report.months],
        "transitions": [
            {"month": t.month, "from_status": t.from_status, "to_status": t.to_status, "count": t.count}
            for t in report.transitions
        ],
        "by_representative": [_group(g) for g in report.by_representative],
        "by_type": [_group(g) for g in report.by_type],
        "total": _group(report.total),
    }
