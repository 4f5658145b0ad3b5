"""What the notifications app adds to a relation's timeline: the e-mails sent to its contacts."""

from __future__ import annotations

from kadans.activities.history import HistoryEntry, HistorySource
from kadans.notifications.models import SentMail
from kadans.relations.models import Relation


def _entries(relation: Relation, limit: int) -> list[HistoryEntry]:
    mails = SentMail.objects.filter(relation=relation).order_by("-sent_at", "-id")[:limit]
    return [HistoryEntry(m.sent_at, "mail", m) for m in mails]


SENT_MAILS = HistorySource(
    name="sent_mails", rows=lambda relation: SentMail.objects.filter(relation=relation), entries=_entries
)
