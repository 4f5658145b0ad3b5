"""Refusals for the pages: raise PermissionDenied when the permissions module says no."""

from django.core.exceptions import PermissionDenied

from kadans.accounts.permissions import can_change_settings


def require_settings_access(request) -> None:
    if not can_change_settings(request.user):
        raise PermissionDenied
