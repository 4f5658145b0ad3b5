"""The planner's pages: a representative's week (list per day and map), its actions (plan, drop, move,
accept) and the planning settings of representatives and relations."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kadans.accounts.models import User
from kadans.accounts.permissions import can_edit_relation
from kadans.planner import selectors, services
from kadans.planner.forms import (
    FIRST_WEEK,
    LAST_WEEK,
    MoveForm,
    OpeningHoursFormSet,
    VisitLengthForm,
    WeekForm,
    WorkingDayFormSet,
)
from kadans.planner.models import WEEKDAYS, OpeningHours, Proposal, RelationPlanning, WeekPlan, WorkingDay
from kadans.relations.models import Relation

WEEKDAY_NAMES = [name for _n, name in WEEKDAYS]


def next_week(user: User) -> datetime.date:
    return services.week_start(timezone.localdate(timezone.now(), user.tzinfo)) + datetime.timedelta(days=7)


def _representative(request, value) -> User:
    """The representative whose week is asked (?representative=<id>, else the user), if the user may plan it."""
    if not value:
        return request.user
    representative = get_object_or_404(User, pk=int(value) if str(value).isascii() and str(value).isdigit() else 0)
    if not selectors.can_plan_for(request.user, representative):
        raise PermissionDenied
    return representative


def _week_url(representative: User, week: datetime.date) -> str:
    return f"{reverse('planner:week')}?representative={representative.pk}&week={week.isoformat()}"


def _board_context(representative: User, week: datetime.date) -> dict:
    plan = selectors.week_plan(representative, week)
    days = selectors.planned_days(plan, representative, week)
    return {
        "representative": representative, "week": week, "plan": plan, "days": days,
        "week_end": week + datetime.timedelta(days=6),
        "map": selectors.map_data(days, representative.tzinfo),
        "open_count": sum(1 for d in days for p in d.proposals if p.status == Proposal.Status.PROPOSED),
        "working_days": [d.date for d in days],
    }


def week(request):
    form = WeekForm(request.GET or None, representatives=selectors.plannable_representatives(request.user))
    representative = _representative(request, request.GET.get("representative"))
    week_ = next_week(representative)
    if form.is_bound and form.is_valid() and form.cleaned_data["week"]:
        week_ = services.week_start(form.cleaned_data["week"])
    context = _board_context(representative, week_) | {"form": form}
    if request.htmx:
        return render(request, "planner/week.html#board", context)
    return render(request, "planner/week.html", context)


def _plan_of(request, plan_id: int) -> WeekPlan:
    plan = get_object_or_404(WeekPlan.objects.select_related("representative"), pk=plan_id)
    if not selectors.can_plan_for(request.user, plan.representative):
        raise PermissionDenied
    return plan


@require_POST
def plan(request):
    representative = _representative(request, request.POST.get("representative"))
    try:
        week_ = services.week_start(datetime.date.fromisoformat(request.POST.get("week", "")))
    except ValueError:
        week_ = next_week(representative)
    if not FIRST_WEEK <= week_ <= LAST_WEEK:
        week_ = next_week(representative)
    services.plan_week(representative=representative, week=week_, user=request.user)
    return redirect(_week_url(representative, week_))


@require_POST
def accept(request, plan_id: int):
    plan_ = _plan_of(request, plan_id)
    try:
        created = services.week_plan_accept(plan=plan_, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, ngettext("%(count)d visit planned.", "%(count)d visits planned.", len(created))
                         % {"count": len(created)})
    return redirect(_week_url(plan_.representative, plan_.week))


def _proposal_of(request, proposal_id: int) -> Proposal:
    proposal = get_object_or_404(Proposal.objects.select_related("plan__representative"), pk=proposal_id)
    if not selectors.can_plan_for(request.user, proposal.plan.representative):
        raise PermissionDenied
    return proposal


def _board_response(request, plan_: WeekPlan, error: str = ""):
    if request.htmx:
        context = _board_context(plan_.representative, plan_.week) | {"error": error}
        return render(request, "planner/week.html#board", context)
    if error:
        messages.error(request, error)
    return redirect(_week_url(plan_.representative, plan_.week))


@require_POST
def drop(request, proposal_id: int):
    proposal = _proposal_of(request, proposal_id)
    error = ""
    try:
        services.proposal_drop(proposal=proposal, user=request.user)
    except ValidationError as e:
        error = " ".join(e.messages)
    return _board_response(request, proposal.plan, error)


@require_POST
def move(request, proposal_id: int):
    proposal = _proposal_of(request, proposal_id)
    form = MoveForm(request.POST)
    error = ""
    if not form.is_valid():
        error = _("Choose a day.")
    else:
        try:
            services.proposal_move(proposal=proposal, user=request.user, day=form.cleaned_data["day"])
        except ValidationError as e:
            error = " ".join(e.messages)
    return _board_response(request, proposal.plan, error)


# Settings --------------------------------------------------------------------------------------------


def working_days(request):
    representative = _representative(request, request.GET.get("representative"))
    rows = {w.weekday: w for w in WorkingDay.objects.filter(representative=representative)}
    initial = []
    for weekday in range(7):
        row = rows.get(weekday)
        initial.append({"weekday": weekday, "works": row is not None} | ({
            "starts": row.starts, "ends": row.ends, "start_latitude": row.start_latitude,
            "start_longitude": row.start_longitude, "end_latitude": row.end_latitude,
            "end_longitude": row.end_longitude,
        } if row else {}))
    formset = WorkingDayFormSet(request.POST or None, initial=initial, prefix="days")
    if request.method == "POST" and formset.is_valid():
        try:
            services.working_days_update(
                representative=representative, days=[r for f in formset if (r := f.as_row()) is not None]
            )
        except ValidationError as error:
            formset._non_form_errors = formset.error_class(error.messages)
        else:
            messages.success(request, _("Working days saved."))
            return redirect(f"{reverse('planner:working_days')}?representative={representative.pk}")
    return render(request, "planner/working_days.html", {
        "representative": representative, "formset": formset, "rows": zip(formset, WEEKDAY_NAMES, strict=True),
    })


def relation_planning(request, relation_id: int):
    relation = get_object_or_404(Relation.objects.select_related("representative"), pk=relation_id)
    if not can_edit_relation(request.user, relation):
        raise PermissionDenied
    rows = {h.weekday: h for h in OpeningHours.objects.filter(relation=relation)}
    initial = [
        {"weekday": d, "open": d in rows} | ({
            "opens": rows[d].opens, "closes": rows[d].closes, "lunch_from": rows[d].lunch_from,
            "lunch_until": rows[d].lunch_until,
        } if d in rows else {})
        for d in range(7)
    ]
    planning = RelationPlanning.objects.filter(relation=relation).first()
    length = VisitLengthForm(request.POST or None, initial={"visit_minutes": planning and planning.visit_minutes})
    formset = OpeningHoursFormSet(request.POST or None, initial=initial, prefix="hours")
    if request.method == "POST" and length.is_valid() and formset.is_valid():
        try:
            services.relation_planning_update(
                relation=relation, visit_minutes=length.cleaned_data["visit_minutes"],
                opening_hours=[r for f in formset if (r := f.as_row()) is not None],
            )
        except ValidationError as error:
            formset._non_form_errors = formset.error_class(error.messages)
        else:
            messages.success(request, _("Opening hours saved."))
            return redirect(relation.get_absolute_url())
    return render(request, "planner/relation_planning.html", {
        "relation": relation, "length": length, "formset": formset, "rows": zip(formset, WEEKDAY_NAMES, strict=True),
    })
