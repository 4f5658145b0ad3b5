"""Reads on relations: the list with its search, filters and sort; contacts; status changes."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet

from kadans.accounts.models import User
from kadans.accounts.permissions import relation_read_filter
from kadans.relations.models import Contact, Relation, StatusChange


def visible_relations(user: User) -> QuerySet[Relation]:
    """The relations the user may list and read (permissions.relation_read_filter)."""
    return Relation.objects.filter(relation_read_filter(user))


SORT_FIELDS = {
    "name": ["name", "id"],
    "-name": ["-name", "-id"],
    "city": ["city", "name", "id"],
    "status": ["business_status__order", "name", "id"],
    "priority": ["priority__order", "name", "id"],
    "-updated": ["-updated_at", "-id"],
}


def relation_list(
    *, q: str = "", status=None, priority=None, representative=None, sort: str = "name", user: User | None = None
) -> QuerySet[Relation]:
    """Relations matching a search on name, city or contact name, and the chosen filters; with a user, only
    those the user may read."""
    base = Relation.objects.all() if user is None else visible_relations(user)
    qs = base.select_related("representative", "business_status", "priority")
    if q := q.strip():
        contact_match = Contact.objects.filter(relation=OuterRef("pk")).filter(
            Q(last_name__icontains=q) | Q(first_name__icontains=q)
        )
        qs = qs.filter(Q(name__icontains=q) | Q(city__icontains=q) | Exists(contact_match))
    if status is not None:
        qs = qs.filter(business_status=status)
    if priority is not None:
        qs = qs.filter(priority=priority)
    if representative is not None:
        qs = qs.filter(representative=representative)
    return qs.order_by(*SORT_FIELDS.get(sort or "name", SORT_FIELDS["name"]))


def contact_list(*, user: User, relation=None, q: str = "") -> QuerySet[Contact]:
    """The contacts of the relations the user may read, optionally of one relation or matching a name."""
    qs = Contact.objects.filter(relation_read_filter(user, "relation"))
    if relation is not None:
        qs = qs.filter(relation=relation)
    if q := q.strip():
        qs = qs.filter(Q(last_name__icontains=q) | Q(first_name__icontains=q) | Q(email__icontains=q))
    return qs.order_by("last_name", "first_name", "id")


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
