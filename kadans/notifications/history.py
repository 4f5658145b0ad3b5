"""What the notifications and documents apps add to a relation's history: sent e-mails and documents."""

from __future__ import annotations


def history_entries(relation, *, limit: int) -> list:
    """Two queries, whatever the length."""
    from kadans.documents.models import Document
    from kadans.notifications.models import SentMail
    from kadans.relations.selectors import HistoryEntry

    mails = SentMail.objects.filter(relation=relation).order_by("-sent_at", "-id")[:limit]
    documents = (
        Document.objects.filter(activity__relation=relation).select_related("uploaded_by", "activity__type")
        .order_by("-created_at", "-id")[:limit]
    )
    entries = [HistoryEntry(m.sent_at, "mail", m) for m in mails]
    for d in documents:
        d.activity.relation = relation  # its name is "<type> — <relation>": no query for it
    entries += [HistoryEntry(d.created_at, "document", d) for d in documents]
    return entries
