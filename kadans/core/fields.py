"""Form fields shared by the apps."""

from django import forms
from django.forms.models import ModelChoiceIterator


class _ListedChoiceIterator(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:  # a plain query, not queryset.iterator()
            yield self.choice(obj)


class ModelChoiceField(forms.ModelChoiceField):
    """A choice of a few rows (types, statuses) read in one plain query. Django's own reads its choices
    through queryset.iterator(), which on PostgreSQL opens a server-side cursor: DECLARE, FETCH and CLOSE,
    three round trips, and a cursor WITH HOLD outside a transaction, for a handful of rows (1 ms of
    "my activities", benchmark operation b). Not for long lists that should stream."""

    iterator = _ListedChoiceIterator
