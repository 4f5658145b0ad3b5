"""What the documents app adds to a relation's timeline: the documents of its activities."""

from __future__ import annotations

from kadans.activities.history import HistoryEntry, HistorySource
from kadans.documents.models import Document
from kadans.relations.models import Relation


def _entries(relation: Relation, limit: int) -> list[HistoryEntry]:
    documents = (
        Document.objects.filter(activity__relation=relation).select_related("uploaded_by", "activity__type")
        .order_by("-created_at", "-id")[:limit]
    )
    for d in documents:
        d.activity.relation = relation  # its name is "<type> — <relation>": no query for it
    return [HistoryEntry(d.created_at, "document", d) for d in documents]


DOCUMENTS = HistorySource(
    name="documents", rows=lambda relation: Document.objects.filter(activity__relation=relation), entries=_entries
)
