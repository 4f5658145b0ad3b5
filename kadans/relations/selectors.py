"""Reads on relations: the lists (filtered by kadans.relations.filters), a relation's history."""

from __future__ import annotations

import dataclasses
import datetime
import types
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from kadans.accounts.models import User
from kadans.accounts.permissions import relation_read_filter, visible_relations
from kadans.activities.models import Activity, CostLine, PlanRun, local_moment
from kadans.relations.models import BusinessStatus, Contact, Priority, Relation, StatusChange


def relation_list(*, user: User) -> QuerySet[Relation]:
    """The relations the user may read, with what a list shows of them; narrowed and ordered by
    kadans.relations.filters.RelationFilterSet."""
    return visible_relations(user).select_related("representative", "business_status", "priority")


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


@dataclasses.dataclass(slots=True)
class HistoryCostLine:
    description: str
    product: str  # as Product.__str__ says it, or ""
    quantity: Decimal
    unit_price: Decimal

    def __str__(self) -> str:  # as CostLine.__str__
        return self.description or self.product


@dataclasses.dataclass(slots=True)
class HistoryActivity:
    """A done or cancelled activity as the timeline shows it (kadans/relations/jinja2/relations/
    history.html). Read as values: an activity with its type, representative, contact and cost lines as
    model instances took longer to build than the page takes to render (benchmark, operation c)."""

    pk: int
    status: str
    start: datetime.datetime
    all_day: bool
    summary: str
    note: str
    cancel_reason: str
    type: types.SimpleNamespace  # name, color
    representative: str
    contact_id: int | None
    contact: str
    cost_lines: list[HistoryCostLine] = dataclasses.field(default_factory=list)

    @property
    def due_date(self) -> datetime.date:
        return local_moment(self.start, all_day=self.all_day).date()


def _history_activities(relation: Relation, limit: int) -> list[HistoryActivity]:
    """Its done and cancelled activities, newest first, with their cost lines: two queries."""
    activities = {}
    for (pk, status, start, all_day, summary, note, cancel_reason, type_name, type_color, rep_username,
         rep_first, rep_last, contact_id, contact_first, contact_last) in (
        Activity.objects.filter(relation=relation).exclude(status=Activity.Status.PLANNED)
        .order_by("-start", "-id")[:limit]
        .values_list(
            "pk", "status", "start", "all_day", "summary", "note", "cancel_reason", "type__name", "type__color",
            "representative__username", "representative__first_name", "representative__last_name",
            "contact_id", "contact__first_name", "contact__last_name",
        )
    ):
        activities[pk] = HistoryActivity(
            pk=pk, status=status, start=start, all_day=all_day, summary=summary, note=note,
            cancel_reason=cancel_reason, type=types.SimpleNamespace(name=type_name, color=type_color),
            # as User.__str__ and Contact.__str__ say them
            representative=f"{rep_first} {rep_last}".strip() or rep_username, contact_id=contact_id,
            contact=f"{contact_first or ''} {contact_last or ''}".strip(),
        )
    lines = CostLine.objects.filter(activity_id__in=list(activities)).order_by("id").values_list(
        "activity_id", "description", "product__name", "product__code", "quantity", "unit_price"
    )
    for activity_id, description, product, code, quantity, unit_price in lines:
        activities[activity_id].cost_lines.append(HistoryCostLine(
            description=description, product=(f"{product} ({code})" if code else product) if product else "",
            quantity=quantity, unit_price=unit_price,
        ))
    return list(activities.values())


def relation_history(relation: Relation, *, limit: int = 100) -> list[HistoryEntry]:
    """The relation's timeline, newest first: done and cancelled activities with their remarks, and
    status and priority changes, plans started. Three queries, whatever the length."""
    activities = _history_activities(relation, limit)
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
