"""What the lists' FilterSets (django-filter) share: each list has one FilterSet, which its page, its export
and its API list all run, so that the same query string gives the same rows everywhere
(kadans/relations/filters.py, kadans/activities/filters.py).

- `FilterSet` runs every filter whatever the form says: a value that does not validate is left out (and
  the page shows its error, the API answers 422), the others still apply, and a sort still orders.
- `IdChoiceFilter`: a choice of a few rows (statuses, types, users) shown as a select read in one plain
  query (kadans.core.fields), filtered on the id itself: no query to look the row up, and an id that
  names nothing matches nothing, as in the API.
- `SortFilter`: the list's sort, always applied (its default when none is asked).
- `conditions(filterset)`: the same filters as a Q, for a list read in parts (kadans.activities.
  open_activities reads each half of "my activities" on its own path to the activity).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import django_filters
from django import forms
from django.db.models import Q

from kadans.core.fields import ModelChoiceField

MAX_ID = 2**63 - 1
"""Ids are 64-bit integers in both databases."""


class IdChoiceField(ModelChoiceField):
    """A select of model rows whose cleaned value is the chosen id (an int), checked for its form only."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            pk = int(str(value).strip())
        except (TypeError, ValueError):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice") from None
        if not 1 <= pk <= MAX_ID:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return pk

    def validate(self, value):
        forms.Field.validate(self, value)

    def has_changed(self, initial, data):
        return str(initial or "") != str(data or "")


class IdFilter(django_filters.Filter):
    """`field_name` equal to an id given as a number."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class IdChoiceFilter(django_filters.Filter):
    """`field_name` equal to the chosen id; the choices come from `queryset` (a callable taking the
    request is allowed, as for django-filter's ModelChoiceFilter)."""

    field_class = IdChoiceField

    def __init__(self, *args, queryset, empty_label="---------", **kwargs):
        self.queryset = queryset
        kwargs["empty_label"] = empty_label
        super().__init__(*args, **kwargs)

    @property
    def field(self):
        if not hasattr(self, "_field"):
            queryset = self.queryset
            if callable(queryset):
                queryset = queryset(getattr(self.parent, "request", None))
            self.extra["queryset"] = queryset
        return super().field


class SortFilter(django_filters.ChoiceFilter):
    """Orders by the columns `orders` gives for the chosen key; by `default`'s when none is chosen."""

    def __init__(self, *args, orders: Mapping[str, Sequence[str]], default: str, **kwargs):
        self.orders, self.default = orders, default
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        return qs.order_by(*self.orders.get(value or self.default, self.orders[self.default]))


class FilterSet(django_filters.FilterSet):
    @property
    def qs(self):
        """The filtered queryset, also when no filter is given (the sort still applies)."""
        if not hasattr(self, "_qs"):
            self._qs = self.filter_queryset(self.queryset.all())
        return self._qs

    def filter_queryset(self, queryset):
        """Each filter with its cleaned value, None where the value did not validate (see the module)."""
        self.errors  # noqa: B018 (validates the form)
        data = getattr(self.form, "cleaned_data", {})
        for name, filter_ in self.filters.items():
            queryset = filter_.filter(queryset, data.get(name))
        return queryset

    def error_messages(self) -> dict[str, list[str]]:
        return {name: list(errors) for name, errors in self.errors.items()}


class _Recorder:
    """Stands in for a queryset and keeps the filter() and exclude() calls it gets as one Q."""

    def __init__(self):
        self.q = Q()

    def filter(self, *args, **kwargs):
        self.q &= Q(*args, **kwargs)
        return self

    def exclude(self, *args, **kwargs):
        self.q &= ~Q(*args, **kwargs)
        return self

    def distinct(self, *args):
        return self

    def order_by(self, *args):
        return self


def conditions(filterset: FilterSet) -> Q:
    """The filterset's filters as one Q (its sort left out)."""
    return filterset.filter_queryset(_Recorder()).q
