"""A relation's timeline: its done and cancelled activities with their remarks and costs, its status and
priority changes, the plans started on it, and what the apps above this one register (sent e-mails,
documents: HistorySource); and its open activities as list rows. The relation page shows both."""

from __future__ import annotations

import dataclasses
import datetime
import types
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.template import engines
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from kadans.accounts.models import display_name
from kadans.activities.models import Activity, CostLine, PlanRun, local_moment
from kadans.activities.rows import rows_of
from kadans.relations.models import BusinessStatus, Priority, Relation, StatusChange


@dataclasses.dataclass
class HistoryEntry:
    at: datetime.datetime
    kind: str  # "activity", "change", "plan", or a source's kind ("mail", "document")
    item: Any


@dataclasses.dataclass(frozen=True)
class HistorySource:
    """Entries that an app above this one adds to a relation's timeline (sent e-mails, documents).

    `rows` gives its rows of one relation, as a queryset (`rows(relation_id)`; with an OuterRef it tells
    whether a relation has any), `entries(relation, limit)` the timeline's entries of one relation."""

    name: str
    rows: Callable[[Any], QuerySet]
    entries: Callable[[Relation, int], list[HistoryEntry]]


_sources: dict[str, HistorySource] = {}


def register_history_source(source: HistorySource) -> None:
    """Called by the apps that add to the timeline, in their AppConfig.ready()."""
    _sources[source.name] = source


def with_history_sources(qs: QuerySet[Relation]) -> QuerySet[Relation]:
    """Whether each relation has plan runs and entries of each registered source (EXISTS, from their
    indexes), so that relation_history reads only the sources that have something: most relations have
    none of these, and the relation page stays within its query pin (tests/web/test_query_counts.py)."""
    return qs.annotate(
        has_plan_runs=Exists(PlanRun.objects.filter(relation=OuterRef("pk"))),
        **{f"has_{name}": Exists(source.rows(OuterRef("pk"))) for name, source in _sources.items()},
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
            representative=display_name(rep_first, rep_last, rep_username), contact_id=contact_id,
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
    for name, source in _sources.items():
        if getattr(relation, f"has_{name}", True) is not False:  # see with_history_sources
            entries += source.entries(relation, limit)
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:limit]


def _attach_statuses_and_priorities(changes: list[StatusChange]) -> None:
    """The statuses and priorities the changes name, read apart (a query per kind there is, of a table of
    a few rows) rather than joined: PostgreSQL took far longer to plan the query with four more joins than
    to run it (the relation page, docs/benchmark.md, operation c)."""
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
    return rows_of(Activity.objects.filter(relation=relation, status=Activity.Status.PLANNED).order_by("start", "id"))


LABELS = {
    Activity.Status.PLANNED: Activity.Status.PLANNED.label,
    Activity.Status.DONE: Activity.Status.DONE.label,
    Activity.Status.CANCELLED: Activity.Status.CANCELLED.label,
    "with": _("with"),
    "reason": _("Reason"),
    "costs": _("Costs"),
    "from": _("from"),
    "to": _("to"),
    "plan_started": _("Plan %(plan)s started (plan date %(date)s)."),
    "business_status": _("Business status"),
    "priority": _("Priority"),
    "through": _("through"),
}


def render_history(entries: list[HistoryEntry]) -> SafeString:
    """The timeline as HTML (kadans/activities/jinja2/activities/history.html), the <li> of each entry;
    empty when there are none. Its labels are translated here, so that makemessages finds them."""
    if not entries:
        return SafeString("")
    html = engines["jinja2"].get_template("activities/history.html").render({
        "history": entries, "labels": {key: str(label) for key, label in LABELS.items()},
    })
    return mark_safe(html)
