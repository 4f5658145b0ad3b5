"""Fetch an activity for a page that changes it, refusing what the user may not do."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from kadans.accounts.permissions import can_edit_activity
from kadans.activities.models import Activity


def activity_for_edit(request, pk: int) -> Activity:
    activity = get_object_or_404(
        Activity.objects.select_related("relation", "type", "representative", "contact"), pk=pk
    )
    if not can_edit_activity(request.user, activity):
        raise PermissionDenied
    return activity
