import datetime
from urllib.parse import urlsplit

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kadans.accounts.models import User
from kadans.accounts.permissions import can_edit_activity
from kadans.activities import series, services
from kadans.activities.access import activity_for_edit
from kadans.activities.filters import MyActivitiesFilterSet
from kadans.activities.forms import (
    ActivityForm,
    CancelForm,
    CompleteForm,
    CostLineFormSet,
    RescheduleForm,
    cost_lines_initial,
)
from kadans.activities.models import Activity, ActivityType, Product
from kadans.activities.open_activities import OpenActivities, open_activity_counts
from kadans.activities.rows import render_rows, rows_of
from kadans.core.filters import conditions
from kadans.core.forms import add_service_errors, is_id
from kadans.core.time import today_bounds
from kadans.relations.models import Relation

PAGE_SIZE = 50


def _next_url(request, default: str) -> str:
    url = request.POST.get("next") or request.GET.get("next")
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, require_https=request.is_secure()):
        return url
    return default


def _form_context(request, form, formset, activity=None):
    products = Product.objects.filter(active=True)
    relation = None
    relation_id = str(form["relation"].value() or "")
    if activity is not None:
        relation = activity.relation
    elif is_id(relation_id):
        relation = Relation.objects.filter(pk=relation_id).select_related("representative").first()
    return {
        "form": form, "formset": formset, "activity": activity, "relation": relation,
        "product_prices": {p.pk: str(p.cost_price) for p in products},
        "defaults_url": reverse("activities:defaults"),
        "next": _next_url(request, ""),
    }


def _chosen_relation_and_type(get) -> tuple[Relation | None, ActivityType | None]:
    """The relation and the (active) type a query string names; None for what it does not name well."""
    relation = activity_type = None
    if is_id(relation_id := get.get("relation", "")):
        relation = Relation.objects.filter(pk=relation_id).select_related("representative").first()
    if is_id(type_id := get.get("type", "")):
        activity_type = ActivityType.objects.filter(pk=type_id, active=True).select_related("default_user").first()
    return relation, activity_type


def _initial_from_query(request) -> dict:
    """Pre-fill a new action from the query string: relation, type, start date and time, end date and
    time, previous activity (as "done & schedule next" and the calendar send them). Bad values are ignored."""
    initial = {"start_date": timezone.localdate(), "status": Activity.Status.PLANNED}
    get = request.GET
    relation, activity_type = _chosen_relation_and_type(get)
    defaults = services.activity_defaults(user=request.user, activity_type=activity_type, relation=relation)
    initial.update(representative=defaults.representative.pk, summary=defaults.summary, note=defaults.note,
                   all_day=defaults.all_day)
    if relation is not None:
        initial["relation"] = relation.pk
    if activity_type is not None:
        initial["type"] = activity_type.pk
    try:
        if get.get("start"):
            initial["start_date"] = datetime.date.fromisoformat(get["start"])
        if get.get("time"):
            initial["start_time"] = datetime.time.fromisoformat(get["time"])
            initial["all_day"] = False
        if get.get("end_time"):
            initial["end_time"] = datetime.time.fromisoformat(get["end_time"])
        if get.get("end"):
            initial["end_date"] = datetime.date.fromisoformat(get["end"])
    except ValueError:
        pass
    if get.get("all_day") in ("0", "1"):
        initial["all_day"] = get["all_day"] == "1"
    if is_id(previous_id := get.get("previous", "")):
        initial["previous"] = int(previous_id)
    return initial


def activity_create(request):
    initial = _initial_from_query(request)
    form = ActivityForm(request.POST or None, initial=initial)
    formset = CostLineFormSet(request.POST or None, prefix="costs")
    if request.method == "POST" and form.is_valid() & formset.is_valid():
        try:
            activity = services.activity_create(
                user=request.user, relation=form.cleaned_data["relation"], activity_type=form.cleaned_data["type"],
                status=form.cleaned_data["status"],
                cost_lines=[f.line() for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")],
                recurrence=form.cleaned_data["recurrence"],
                **form.service_kwargs(),
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Action saved."))
            return redirect(_next_url(request, activity.relation.get_absolute_url()))
    return render(request, "activities/activity_form.html", _form_context(request, form, formset))


def activity_edit(request, pk: int):
    activity = activity_for_edit(request, pk)
    form = ActivityForm(request.POST or None, initial=ActivityForm.initial_for(activity), activity=activity)
    formset = CostLineFormSet(request.POST or None, prefix="costs", initial=cost_lines_initial(activity))
    if request.method == "POST" and form.is_valid() & formset.is_valid():
        try:
            changes = dict(
                type=form.cleaned_data["type"], status=form.cleaned_data["status"],
                cost_lines=[f.line() for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")],
                **form.service_kwargs(),
            )
            recurrence = form.cleaned_data["recurrence"]
            following = form.cleaned_data.get("scope") == "following"
            if recurrence != series.recurrence_from(activity) and activity.series_id and not following:
                raise ValidationError({"scope": _("A new repetition applies to this and the following actions.")})
            if following or recurrence != series.recurrence_from(activity):
                series.activity_update_following(
                    activity=activity, user=request.user, recurrence=recurrence, **changes
                )
            else:
                services.activity_update(activity=activity, user=request.user, **changes)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Action saved."))
            return redirect(_next_url(request, activity.relation.get_absolute_url()))
    context = _form_context(request, form, formset, activity)
    context["cancel_form"] = CancelForm()
    return render(request, "activities/activity_form.html", context)


@require_GET
def relation_fields(request):
    """When a relation is chosen on the action form: its contacts, and the representative by
    activity_defaults for the chosen type (the one the user picked, when they picked one)."""
    relation, activity_type = _chosen_relation_and_type(request.GET)
    if relation is None:
        raise Http404
    chosen = request.GET.get("representative", "")
    explicit = User.objects.filter(pk=chosen, is_active=True).first() if is_id(chosen) else None
    defaults = services.activity_defaults(
        user=request.user, activity_type=activity_type, relation=relation, representative=explicit
    )
    form = ActivityForm(initial={"relation": relation.pk, "representative": defaults.representative.pk})
    return render(request, "activities/activity_form.html#relation-fields", {"form": form, "relation": relation})


@require_GET
def activity_defaults(request):
    """What a new activity gets for the type and relation chosen so far (services.activity_defaults), as
    JSON for the action form's script; it fills only what the user has not filled in."""
    relation, activity_type = _chosen_relation_and_type(request.GET)
    defaults = services.activity_defaults(user=request.user, activity_type=activity_type, relation=relation)
    return JsonResponse(defaults.as_json())


@require_GET
def activity_row_menu(request, pk: int):
    """A list row's "More" menu, fetched when it is opened (see activities/jinja2/activities/rows.html); nothing
    (204) for someone who may not change the activity."""
    activity = get_object_or_404(Activity.objects.select_related("relation", "representative"), pk=pk)
    if not can_edit_activity(request.user, activity):
        return HttpResponse(status=204)
    return render(request, "activities/row_menu.html", {
        "activity": activity, "here": _next_url(request, activity.relation.get_absolute_url()),
    })


def _row_response(request, activity: Activity):
    """The row again, as the list the htmx request came from shows it: that page (HX-Current-URL) is
    where its forms return to, and a relation's own page has no relation column."""
    relation_url = reverse("relations:detail", args=[activity.relation_id])
    here = request.htmx.current_url_abs_path or _next_url(request, relation_url)
    on_relation_page = urlsplit(here).path == relation_url
    return HttpResponse(render_rows(
        request, rows_of(Activity.objects.filter(pk=activity.pk)), hide_relation=on_relation_page, here=here,
    ))


@require_POST
def activity_complete(request, pk: int):
    """Done, in one click; with `schedule_next`, "done & schedule next": the suggestions page follows."""
    activity = activity_for_edit(request, pk)
    form = CompleteForm(request.POST)
    feedback = form.cleaned_data["feedback"] if form.is_valid() else ""
    result = services.activity_complete(activity=activity, user=request.user, feedback=feedback)
    if not result.completed:
        messages.warning(request, _("This action was already %(status)s; nothing changed.")
                         % {"status": activity.get_status_display().lower()})
    else:
        messages.success(request, _("Done: %(activity)s.") % {"activity": activity})
        if result.next_activity is not None:
            messages.info(request, _("Next: %(type)s on %(date)s, for %(user)s.") % {
                "type": result.next_activity.type, "date": formats.date_format(result.next_activity.due_date),
                "user": result.next_activity.representative,
            })
    if request.POST.get("schedule_next") and result.completed and result.next_activity is None:
        context = {"activity": result.activity, "suggestions": result.suggestions}
        return render(request, "activities/schedule_next.html", context)
    if request.htmx:
        response = _row_response(request, result.activity)
        response["HX-Trigger"] = "activityChanged"
        return response
    return redirect(_next_url(request, activity.relation.get_absolute_url()))


@require_POST
def activity_reschedule(request, pk: int):
    """Reschedule from a list: "+1 day", "+1 week" or a chosen date."""
    activity = activity_for_edit(request, pk)
    form = RescheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    elif services.activity_reschedule(activity=activity, user=request.user, **form.service_kwargs()):
        messages.success(request, _("Rescheduled to %(date)s.") % {"date": formats.date_format(activity.due_date)})
    else:
        messages.warning(request, _("This action was already %(status)s; nothing changed.")
                         % {"status": activity.get_status_display().lower()})
    if request.htmx:
        return _row_response(request, activity)
    return redirect(_next_url(request, activity.relation.get_absolute_url()))


@require_POST
def activity_cancel(request, pk: int):
    activity = activity_for_edit(request, pk)
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    if services.activity_cancel(activity=activity, user=request.user, reason=reason):
        messages.success(request, _("Cancelled: %(activity)s.") % {"activity": activity})
    else:
        messages.warning(request, _("This action was already %(status)s; nothing changed.")
                         % {"status": activity.get_status_display().lower()})
    if request.htmx:
        return _row_response(request, activity)
    return redirect(_next_url(request, activity.relation.get_absolute_url()))


def my_activities(request):
    today_start, tomorrow_start = today_bounds()
    filterset = MyActivitiesFilterSet(request.GET or None, today_start=today_start, tomorrow_start=tomorrow_start)
    number = request.GET.get("page", "")
    activities = OpenActivities(
        request.user, today_start=today_start, tomorrow_start=tomorrow_start, where=conditions(filterset),
        prefetch=PAGE_SIZE * min(int(number), 1000) if is_id(number) and int(number) > 0 else PAGE_SIZE,
    )
    # the counters at the top (and in the navigation) come with the list's keys when nothing is narrowed
    counters = activities.counts() if not filterset.narrowed() else open_activity_counts(
        request.user, today_start=today_start, tomorrow_start=tomorrow_start
    )
    page = Paginator(activities, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "activities/my_activities.html", {
        "page": page, "filters": filterset.form, "query": query.urlencode(), "nav_counters": counters,
    })


def activity_detail(request, pk: int):
    """Everyone may read an activity (as its relation); only those who may change it get the form."""
    activity = get_object_or_404(Activity, pk=pk)
    return redirect(f"{activity.relation.get_absolute_url()}#activity-{activity.pk}")
