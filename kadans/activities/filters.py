"""The activity lists' filters (django-filter; kadans.core.filters says how they are run).

- `MyActivitiesFilterSet`: "my activities" — the page, its export, and (as a Q, for the two halves it is
  read in) kadans.activities.open_activities. Query parameters: period, type, relation (a name).
- `ActivityFilterSet`: the API's activity list. Query parameters: relation (an id), representative, user,
  mine, status, type, due_from, due_until, sort.

They are two FilterSets because the two lists take different parameters under the same names (the page's
`relation` is a name typed in the filter bar, the API's an id), and both keep theirs. What they share is
written once, here: the due-date range (`due_between`, on models.due_before: all-day activities
by their date in the company's time zone, timed ones by the caller's midnight) that both the page's
periods and the API's due_from/due_until are, and the type. So `?period=week&type=3` on the page gives
the rows of `?mine=true&status=planned&type=3&due_from=<today>&due_until=<today+6>` in the API.
"""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.db.models import QuerySet
from django.forms.renderers import Jinja2 as Jinja2Renderer
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kadans.activities.models import Activity, ActivityType, due_before
from kadans.activities.selectors import user_activities
from kadans.core.filters import FilterSet, IdChoiceFilter, IdFilter, SortFilter

ACTIVITY_SORTS = {
    "start": ["start", "id"],
    "-start": ["-start", "-id"],
    "updated": ["updated_at", "id"],
    "-updated": ["-updated_at", "-id"],
}
DAY = datetime.timedelta(days=1)
PERIOD_DAYS = {"week": 7, "month": 30}


def due_between(qs, *, first: datetime.date | None = None, last: datetime.date | None = None, tz):
    """Activities due on or after `first` and on or before `last` (days of a user in `tz`)."""
    if first is not None:
        qs = qs.exclude(due_before(first, tz))
    if last is not None:
        qs = qs.filter(due_before(last + DAY, tz))
    return qs


def period_days(period: str, today: datetime.date) -> tuple[datetime.date | None, datetime.date | None]:
    """The first and last due day of a period of "my activities" (None: open-ended)."""
    if period == "overdue":
        return None, today - DAY
    if period == "today":
        return today, today
    if period in PERIOD_DAYS:
        return today, today + datetime.timedelta(days=PERIOD_DAYS[period] - 1)
    return None, None


class MyActivitiesForm(forms.Form):
    # Django's Jinja2 widget templates: the same HTML as the Django template ones in a third of the time,
    # on a page where every millisecond shows (benchmark, operation b). Plain widgets only: the admin's
    # own widgets exist as Django templates alone, so this is no site-wide FORM_RENDERER.
    default_renderer = Jinja2Renderer()  # one instance: a new one would compile the templates again


class MyActivitiesFilterSet(FilterSet):
    """Narrows a user's open activities to a period (overdue, today, next 7 or 30 days, by due date in the
    user's time zone), a type, a relation name. `today_start` is the start of the user's today."""

    PERIODS = [
        ("", _("All open")),
        ("overdue", _("Overdue")),
        ("today", _("Today")),
        ("week", _("Next 7 days")),
        ("month", _("Next 30 days")),
    ]
    period = django_filters.ChoiceFilter(label=_("Period"), choices=PERIODS, empty_label=None, method="filter_period")
    type = IdChoiceFilter(field_name="type_id", queryset=ActivityType.objects.all(), label=_("Action type"))
    relation = django_filters.CharFilter(field_name="relation__name", lookup_expr="icontains", label=_("Relation"))

    class Meta:
        model = Activity
        fields = []
        form = MyActivitiesForm

    def __init__(self, data=None, queryset=None, *, today_start: datetime.datetime, tomorrow_start=None, **kwargs):
        self.today_start = today_start
        super().__init__(data, queryset if queryset is not None else Activity.objects.none(), **kwargs)

    def filter_period(self, qs, name, value):
        first, last = period_days(value, self.today_start.date())
        return due_between(qs, first=first, last=last, tz=self.today_start.tzinfo)

    def narrowed(self) -> bool:
        """Whether any filter is given (and valid)."""
        self.errors  # noqa: B018 (validates the form)
        data = getattr(self.form, "cleaned_data", {})
        return any(data.get(name) not in (None, "") for name in self.filters)


class ActivityFilterSet(FilterSet):
    """The API's activity list; the caller is `request.user` (for `mine`), days are in the current time
    zone (the caller's)."""

    relation = IdFilter(field_name="relation_id")
    representative = IdFilter(field_name="representative_id")
    user = IdFilter(method="filter_involving")
    mine = django_filters.BooleanFilter(method="filter_mine")
    status = django_filters.ChoiceFilter(choices=Activity.Status.choices)
    type = IdFilter(field_name="type_id")
    due_from = django_filters.DateFilter(method="filter_due_from")
    due_until = django_filters.DateFilter(method="filter_due_until")
    sort = SortFilter(choices=[(key, key) for key in ACTIVITY_SORTS], orders=ACTIVITY_SORTS, default="start")

    class Meta:
        model = Activity
        fields = []

    def _involving(self, qs: QuerySet, user) -> QuerySet:
        return qs.filter(pk__in=user_activities(user).values("pk"))

    def filter_involving(self, qs, name, value):
        if self.form.cleaned_data.get("mine"):
            return qs  # mine wins, as it always did
        return self._involving(qs, value)

    def filter_mine(self, qs, name, value):
        return self._involving(qs, self.request.user) if value else qs

    def filter_due_from(self, qs, name, value):
        return due_between(qs, first=value, tz=timezone.get_current_timezone())

    def filter_due_until(self, qs, name, value):
        return due_between(qs, last=value, tz=timezone.get_current_timezone())
