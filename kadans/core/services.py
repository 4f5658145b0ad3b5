"""Writes that every app's settings pages share: a validated model form saved, a row deleted.

The domain's own writes have their services (activities, relations, documents …); what is left for the
pages are plain settings rows (statuses, types, products, plans, web forms, webhooks, preferences), and
they are written here, in one transaction each, never by a view itself.
"""

from collections.abc import Iterable

from django import forms
from django.db import models, transaction


@transaction.atomic
def form_save(*, form: forms.ModelForm, formsets: Iterable[forms.BaseInlineFormSet] = ()) -> models.Model:
    """Save a valid model form and the inline formsets of its instance, all or nothing."""
    instance = form.save()
    for formset in formsets:
        formset.instance = instance
        formset.save()
    return instance


@transaction.atomic
def instance_delete(*, instance: models.Model) -> None:
    """Delete a row; a row still in use raises ProtectedError and nothing is deleted."""
    instance.delete()
