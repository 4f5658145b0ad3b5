"""The dashboard and the report pages. Filters that do not validate show their message on the page (an
export asked with them answers 400 with the same page); nothing here adds numbers up itself."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kadans.accounts.permissions import can_add_activity_to
from kadans.activities.models import Activity, ActivityType
from kadans.activities.selectors import list_related
from kadans.activities.services import activity_create
from kadans.core.exports import export_sheets_response
from kadans.core.time import today_bounds
from kadans.relations.models import Relation
from kadans.reports import analysis, cadence, conversions, costs, dashboard, pages
from kadans.reports.forms import (
    GROUPINGS,
    ActivityAnalysisForm,
    ConversionsForm,
    CostsForm,
    ToScheduleForm,
)
from kadans.reports.sql import report_view
from kadans.reports.tables import export_sheets

SCREEN_ROWS = 500
"""The costs page shows this many grouped rows at most; totals and exports cover them all."""
PAGE_SIZE = 50


def _invalid(request, template: str, form, context=None):
    status = 400 if request.GET.get("export") else 200
    return render(request, template, {"form": form, "errors": form.messages(), **(context or {})}, status=status)


def _filename(name: str, period) -> str:
    return f"kadans-{name}-{period.start.isoformat()}-{period.end.isoformat()}"


def _export(tables, fmt: str, filename: str):
    return export_sheets_response(export_sheets(tables), format=fmt, filename=filename)


@report_view
def dashboard_page(request):
    today_start, tomorrow_start = today_bounds()
    data = dashboard.dashboard(
        user=request.user, today=timezone.localdate(), today_start=today_start, tomorrow_start=tomorrow_start
    )
    return render(request, "reports/dashboard.html", {
        "data": data, "tables": pages.dashboard_tables(data), "charts": pages.dashboard_charts(data),
    })


def reports_index(request):
    return redirect("reports:costs")


def _cost_filters(data: dict) -> costs.CostFilters:
    return costs.CostFilters(
        period=data["period"], representative=data.get("representative"), team=data.get("team"),
        relation=data.get("relation"), status=data.get("status"), activity_type=data.get("type"),
        product=data.get("product"),
    )


@report_view
def costs_page(request):
    form = CostsForm(request.GET, user=request.user)
    valid = form.is_valid()
    context = {"groupings": GROUPINGS, "groups": form.selected_groups()}
    if not valid:
        return _invalid(request, "reports/costs.html", form, context)
    data = form.cleaned_data
    fmt = data["export"]
    report = costs.cost_report(
        user=request.user, filters=_cost_filters(data), groups=data["group"], limit=None if fmt else SCREEN_ROWS
    )
    table = pages.costs_table(report, params=pages.cost_params(data))
    if fmt:
        return _export([table], fmt, _filename("costs", data["period"]))
    return render(request, "reports/costs.html", context | {
        "form": form, "table": table, "chart": pages.costs_chart(report),
    })


@report_view
def costs_activities_page(request):
    """The drill-down from a row of the costs report: its actions, each with its costs."""
    form = CostsForm(request.GET, user=request.user)
    if not form.is_valid():
        return _invalid(request, "reports/costs_activities.html", form)
    filters = _cost_filters(form.cleaned_data)
    page = Paginator(costs.cost_activities(user=request.user, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    activities = list_related(Activity.objects.all()).in_bulk([row["activity_id"] for row in page])
    rows = [row | {"activity": activities[row["activity_id"]]} for row in page]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "reports/costs_activities.html", {
        "form": form, "page": page, "rows": rows, "query": query.urlencode(),
        "totals": costs.cost_totals(user=request.user, filters=filters),
    })


@report_view
def conversions_page(request):
    form = ConversionsForm(request.GET, user=request.user)
    if not form.is_valid():
        return _invalid(request, "reports/conversions.html", form)
    data = form.cleaned_data
    report = conversions.conversion_report(
        user=request.user,
        filters=conversions.ConversionFilters(
            period=data["period"], representative=data["representative"], activity_type=data["type"]
        ),
    )
    tables = pages.conversion_tables(report)
    if data["export"]:
        return _export(tables, data["export"], _filename("conversions", data["period"]))
    return render(request, "reports/conversions.html", {
        "form": form, "tables": tables, "chart": pages.conversion_chart(report), "report": report,
    })


@report_view
def activity_analysis_page(request):
    form = ActivityAnalysisForm(request.GET, user=request.user)
    if not form.is_valid():
        return _invalid(request, "reports/activities.html", form)
    data = form.cleaned_data
    filters = analysis.AnalysisFilters(period=data["period"], representative=data["representative"])
    today_start, _tomorrow = today_bounds()
    types = list(ActivityType.objects.order_by("order", "name"))
    chart_weeks, used_types = analysis.done_per_week_all(user=request.user, filters=filters, types=types)
    weeks, weekly = analysis.done_per_week(user=request.user, filters=filters, types=used_types)
    overdue = analysis.overdue_per_representative(
        user=request.user, representative=data["representative"], today_start=today_start
    )
    tables = [
        pages.done_per_week_table(weeks, weekly, used_types),
        pages.overdue_table(overdue),
        pages.planned_versus_done_table(
            analysis.planned_versus_done(user=request.user, filters=filters, today_start=today_start)
        ),
    ]
    if data["export"]:
        return _export(tables, data["export"], _filename("activities", data["period"]))
    return render(request, "reports/activities.html", {
        "form": form, "tables": tables,
        "week_chart": pages.done_per_week_chart(chart_weeks, used_types),
        "overdue_chart": pages.overdue_chart(overdue),
    })


@report_view
def to_schedule_page(request):
    form = ToScheduleForm(request.GET, user=request.user)
    if not form.is_valid():
        return render(request, "reports/to_schedule.html", {"form": form, "errors": form.messages()})
    today = timezone.localdate()
    types_with_interval = cadence.interval_types()
    relations = cadence.relations_to_schedule(
        user=request.user, today=today, types_with_interval=types_with_interval,
        representative=form.cleaned_data["representative"], priority=form.cleaned_data["priority"],
    )
    page = Paginator(relations, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "reports/to_schedule.html", {
        "form": form, "page": page, "query": query.urlencode(), "today": today,
        "suggestions": cadence.suggestions_for(list(page), today=today, types_with_interval=types_with_interval),
    })


class PlanForm(forms.Form):
    relation = forms.ModelChoiceField(Relation.objects.select_related("representative"))
    type = forms.ModelChoiceField(ActivityType.objects.filter(active=True))
    start = forms.DateField()


@require_POST
def plan_suggestion(request):
    """The one-click plan of the list: the suggested action, planned through the same service as the form."""
    form = PlanForm(request.POST)
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        next_url = ""
    if not form.is_valid():
        messages.error(request, _("This suggestion can no longer be planned: %(errors)s") % {
            "errors": " ".join(e for errors in form.errors.values() for e in errors)
        })
        return redirect(next_url or "reports:to_schedule")
    relation = form.cleaned_data["relation"]
    if not can_add_activity_to(request.user, relation):
        messages.error(request, _("You may not plan an action on %(relation)s.") % {"relation": relation})
        return redirect(next_url or "reports:to_schedule")
    try:
        activity = activity_create(
            user=request.user, relation=relation, activity_type=form.cleaned_data["type"],
            start=form.cleaned_data["start"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Planned: %(type)s with %(relation)s on %(date)s.") % {
            "type": activity.type, "relation": relation, "date": formats.date_format(activity.due_date),
        })
    return redirect(next_url or "reports:to_schedule")

