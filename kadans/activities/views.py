import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kadans.activities import selectors, services
from kadans.activities.forms import (
    ActivityForm,
    CancelForm,
    CompleteForm,
    CostLineFormSet,
    cost_lines_initial,
)
from kadans.activities.models import Activity, Product
from kadans.relations.models import Relation
from kadans.web.access import activity_for_edit, add_service_errors

PAGE_SIZE = 50


def _next_url(request, default: str) -> str:
    url = request.POST.get("next") or request.GET.get("next")
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, require_https=request.is_secure()):
        return url
    return default


def _form_context(request, form, formset, activity=None):
    products = Product.objects.filter(active=True)
    relation = None
    relation_id = form["relation"].value()
    if activity is not None:
        relation = activity.relation
    elif relation_id:
        relation = Relation.objects.filter(pk=relation_id).select_related("representative").first()
    return {
        "form": form, "formset": formset, "activity": activity, "relation": relation,
        "product_prices": {p.pk: str(p.cost_price) for p in products},
        "next": _next_url(request, ""),
    }


def activity_create(request):
    initial = {"start_date": timezone.localdate(), "all_day": True, "status": Activity.Status.PLANNED}
    if relation_id := request.GET.get("relation", "").strip():
        relation = Relation.objects.filter(pk=relation_id).select_related("representative").first() \
            if relation_id.isdigit() else None
        if relation is not None:
            initial["relation"] = relation.pk
            initial["representative"] = relation.representative_id
    form = ActivityForm(request.POST or None, initial=initial)
    formset = CostLineFormSet(request.POST or None, prefix="costs")
    if request.method == "POST" and form.is_valid() & formset.is_valid():
        try:
            activity = services.activity_create(
                user=request.user, relation=form.cleaned_data["relation"], activity_type=form.cleaned_data["type"],
                status=form.cleaned_data["status"],
                cost_lines=[f.line() for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")],
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
            services.activity_update(
                activity=activity, user=request.user, type=form.cleaned_data["type"],
                status=form.cleaned_data["status"],
                cost_lines=[f.line() for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")],
                **form.service_kwargs(),
            )
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
    """When a relation is chosen on the action form: its contacts, and its representative as default."""
    relation = get_object_or_404(Relation.objects.select_related("representative"), pk=request.GET.get("relation") or 0)
    form = ActivityForm(initial={"relation": relation.pk, "representative": relation.representative_id})
    return render(request, "activities/activity_form.html#relation-fields", {"form": form, "relation": relation})


def _row_response(request, activity: Activity):
    activity = selectors.list_related(Activity.objects.filter(pk=activity.pk)).get()
    return render(request, "activities/my_activities.html#activity-row", {"activity": activity})


@require_POST
def activity_complete(request, pk: int):
    activity = activity_for_edit(request, pk)
    form = CompleteForm(request.POST)
    feedback = form.cleaned_data["feedback"] if form.is_valid() else ""
    result = services.activity_complete(activity=activity, user=request.user, feedback=feedback)
    if result.completed:
        messages.success(request, _("Done: %(activity)s.") % {"activity": activity})
    else:
        messages.warning(request, _("This action was already %(status)s; nothing changed.")
                         % {"status": activity.get_status_display().lower()})
    if request.htmx:
        return _row_response(request, result.activity)
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
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    today_start = datetime.datetime.combine(today, datetime.time.min, tzinfo=tz)
    counters = selectors.activity_counters(
        request.user, today_start=today_start, tomorrow_start=today_start + datetime.timedelta(days=1)
    )
    page = Paginator(selectors.user_open_activities(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "activities/my_activities.html", {"page": page, "counters": counters, "today": today})


def activity_detail(request, pk: int):
    """Everyone may read an activity (as its relation); only those who may change it get the form."""
    activity = get_object_or_404(Activity, pk=pk)
    return redirect(f"{activity.relation.get_absolute_url()}#activity-{activity.pk}")
