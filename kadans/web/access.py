"""Small access helpers shared by the views: fetch an object and refuse what the user may not do."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as ModelValidationError
from django.shortcuts import get_object_or_404

from kadans.accounts.permissions import can_change_settings, can_edit_activity, can_edit_relation
from kadans.activities.models import Activity
from kadans.relations.models import Relation


def relation_for_edit(request, pk: int) -> Relation:
    relation = get_object_or_404(Relation.objects.select_related("representative"), pk=pk)
    if not can_edit_relation(request.user, relation):
        raise PermissionDenied
    return relation


def activity_for_edit(request, pk: int) -> Activity:
    activity = get_object_or_404(
        Activity.objects.select_related("relation", "type", "representative", "contact"), pk=pk
    )
    if not can_edit_activity(request.user, activity):
        raise PermissionDenied
    return activity


def require_settings_access(request) -> None:
    if not can_change_settings(request.user):
        raise PermissionDenied


def add_service_errors(form, error: ModelValidationError) -> None:
    """Show a service's ValidationError on the form: on the field it names when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def is_id(value: str) -> bool:
    """Whether a query or form value can be a database id: ASCII digits only (str.isdigit() also accepts
    '²', which int() refuses) and short enough for a 64-bit integer."""
    return value.isascii() and value.isdigit() and len(value) <= 18
