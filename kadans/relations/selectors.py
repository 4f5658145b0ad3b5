"""Reads on relations: the list with its search, filters and sort; a relation's history."""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from kadans.activities.models import Activity, PlanRun
from kadans.relations.models import Contact, Relation, StatusChange

SORT_FIELDS = {
    "name": ["name", "id"],
    "-name": ["-name", "-id"],
    "city": ["city", "name", "id"],
    "status": ["business_status__order", "name", "id"],
    "priority": ["priority__order", "name", "id"],
    "-updated": ["-updated_at", "-id"],
}


def relation_list(
    *, q: str = "", status=None, priority=None, representative=None, sort: str = "name"
) -> QuerySet[Relation]:
    """Relations matching a search on name, city or contact name, and the chosen filters."""
    qs = Relation.objects.select_related("representative", "business_status", "priority")
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


@dataclasses.dataclass
class HistoryEntry:
    at: datetime.datetime
    kind: str  # "activity", "change" or "plan"
    item: Any


def relation_history(relation: Relation, *, limit: int = 100) -> list[HistoryEntry]:
    """The relation's timeline, newest first: done and cancelled activities with their remarks, and
    status and priority changes, plans started. Three queries, whatever the length."""
    activities = (
        Activity.objects.filter(relation=relation)
        .exclude(status=Activity.Status.PLANNED)
        .select_related("type", "representative", "contact", "done_by")
        .prefetch_related("cost_lines__product")
        .order_by("-start", "-id")[:limit]
    )
    changes = (
        StatusChange.objects.filter(relation=relation)
        .select_related("from_status", "to_status", "from_priority", "to_priority", "user", "activity")
        .order_by("-at", "-id")[:limit]
    )
    plan_runs = PlanRun.objects.filter(relation=relation).select_related("plan", "user").order_by("-at")[:limit]
    entries = [HistoryEntry(a.start, "activity", a) for a in activities]
    entries += [HistoryEntry(r.at, "plan", r) for r in plan_runs]
    entries += [HistoryEntry(c.at, "change", c) for c in changes]
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:limit]


def relation_open_activities(relation: Relation) -> QuerySet[Activity]:
    return (
        Activity.objects.filter(relation=relation, status=Activity.Status.PLANNED)
        .select_related("type", "representative", "contact")
        .order_by("start", "id")
    )
