"""Fetch a relation for a page that changes it, refusing what the user may not do."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from kadans.accounts.permissions import can_edit_relation
from kadans.relations.models import Relation


def relation_for_edit(request, pk: int) -> Relation:
    relation = get_object_or_404(Relation.objects.select_related("representative"), pk=pk)
    if not can_edit_relation(request.user, relation):
        raise PermissionDenied
    return relation
