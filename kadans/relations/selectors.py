"""Reads on relations: the list with its search, filters and sort; a relation's history."""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from kadans.accounts.models import User
from kadans.accounts.permissions import relation_read_filter, visible_relations
from kadans.activities.models import Activity, CostLine, PlanRun
from kadans.relations.models import BusinessStatus, Contact, Priority, Relation, StatusChange

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


@dataclasses.dataclass
class HistoryEntry:
    at: datetime.datetime
    kind: str  # "activity", "change" or "plan"
    item: Any


def with_history_sources(qs: QuerySet[Relation]) -> QuerySet[Relation]:
    """Whether each relation has plan runs, sent e-mails and documents (EXISTS, from their indexes), so
    that relation_history reads only the sources that have something: most relations have none of these,
    and the relation page stays within 10 queries (tests/test_query_counts.py)."""
    from kadans.documents.models import Document
    from kadans.notifications.models import SentMail

    return qs.annotate(
        has_plan_runs=Exists(PlanRun.objects.filter(relation=OuterRef("pk"))),
        has_sent_mails=Exists(SentMail.objects.filter(relation=OuterRef("pk"))),
        has_documents=Exists(Document.objects.filter(activity__relation=OuterRef("pk"))),
    )


HISTORY_ACTIVITY_FIELDS = [
    "relation", "status", "start", "all_day", "summary", "note", "cancel_reason",
    "type__name", "type__color", "contact__first_name", "contact__last_name",
    "representative__username", "representative__first_name", "representative__last_name",
]
"""What a history entry shows of an activity (kadans/relations/jinja2/relations/history.html)."""


def relation_history(relation: Relation, *, limit: int = 100) -> list[HistoryEntry]:
    """The relation's timeline, newest first: done and cancelled activities with their remarks, and
    status and priority changes, plans started. Three queries, whatever the length."""
    activities = list(
        Activity.objects.filter(relation=relation)
        .exclude(status=Activity.Status.PLANNED)
        .select_related("type", "representative", "contact")
        .only(*HISTORY_ACTIVITY_FIELDS)
        .order_by("-start", "-id")[:limit]
    )
    # the cost lines with their product in one query, attached by hand: prefetch_related's machinery cost
    # more than the query (the relation page, benchmark operation c)
    lines: dict[int, list[CostLine]] = {a.pk: [] for a in activities}
    for line in CostLine.objects.filter(activity_id__in=list(lines)).select_related("product").order_by("id"):
        lines[line.activity_id].append(line)
    for activity in activities:
        activity.history_cost_lines = lines[activity.pk]
    changes = list(
        StatusChange.objects.filter(relation=relation).select_related("user", "activity__type")
        .order_by("-at", "-id")[:limit]
    )
    _attach_statuses_and_priorities(changes)
    plan_runs = PlanRun.objects.filter(relation=relation).select_related("plan", "user").order_by("-at")[:limit]
    if getattr(relation, "has_plan_runs", True) is False:  # see with_history_sources
        plan_runs = []
    entries = [HistoryEntry(a.start, "activity", a) for a in activities]
    entries += [HistoryEntry(r.at, "plan", r) for r in plan_runs]
    for change in changes:
        if change.activity is not None:
            # shown as "through <activity>", whose name may be "<type> — <relation>": no query for either
            change.activity.relation = relation
    entries += [HistoryEntry(c.at, "change", c) for c in changes]
    from kadans.notifications.history import history_entries  # sent e-mails and documents

    if getattr(relation, "has_sent_mails", True) is not False or getattr(relation, "has_documents", True) is not False:
        entries += history_entries(relation, limit=limit)
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:limit]


def _attach_statuses_and_priorities(changes: list[StatusChange]) -> None:
    """The statuses and priorities the changes name, read apart (a query per kind there is, of a table of
    a few rows) rather than joined: PostgreSQL took 6 ms to plan the query with four more joins, thirty
    times what it takes to run it (the relation page, benchmark operation c)."""
    for field, model in (("status", BusinessStatus), ("priority", Priority)):
        ids = {getattr(c, f"{end}_{field}_id") for c in changes for end in ("from", "to")} - {None}
        if not ids:
            continue
        found = model.objects.in_bulk(ids)
        for change in changes:
            for end in ("from", "to"):
                if (pk := getattr(change, f"{end}_{field}_id")) is not None:
                    setattr(change, f"{end}_{field}", found[pk])


def relation_open_activities(relation: Relation) -> list:
    """Its planned activities as list rows (kadans.activities.rows)."""
    from kadans.activities.rows import rows_of

    return rows_of(Activity.objects.filter(relation=relation, status=Activity.Status.PLANNED).order_by("start", "id"))


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
