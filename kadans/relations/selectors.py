"""Reads on relations: the lists (filtered by kadans.relations.filters), contacts, status changes."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from kadans.accounts.models import User
from kadans.accounts.permissions import relation_read_filter
from kadans.relations.models import Contact, Relation, StatusChange


def visible_relations(user: User) -> QuerySet[Relation]:
    """The relations the user may list and read (permissions.relation_read_filter)."""
    return Relation.objects.filter(relation_read_filter(user))


def relation_list(*, user: User) -> QuerySet[Relation]:
    """The relations the user may read, with what a list shows of them; narrowed and ordered by
    kadans.relations.filters.RelationFilterSet."""
    return visible_relations(user).select_related("representative", "business_status", "priority")


def contact_list(*, user: User) -> QuerySet[Contact]:
    """The contacts of the relations the user may read; narrowed and ordered by
    kadans.relations.filters.ContactFilterSet."""
    return Contact.objects.filter(relation_read_filter(user, "relation"))


def status_change_list(
    *,
    user: User,
    relation=None,
    field: str = "",
    since: datetime.datetime | None = None,
    until: datetime.datetime | None = None,
) -> QuerySet[StatusChange]:
    """Status and priority changes of the relations the user may read, newest first."""
    qs = StatusChange.objects.filter(relation_read_filter(user, "relation"))
    if relation is not None:
        qs = qs.filter(relation=relation)
    if field:
        qs = qs.filter(field=field)
    if since is not None:
        qs = qs.filter(at__gte=since)
    if until is not None:
        qs = qs.filter(at__lt=until)
    return qs.order_by("-at", "-id")
