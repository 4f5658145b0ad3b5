"""The audit trail: who changed what, when, with the old and new values. Managers and administrators."""

import datetime
from typing import Literal

from ninja import Query, Router, Schema
from pydantic import Field

from kadans.accounts.permissions import can_view_audit_trail
from kadans.api.common import Id, Moment, PageParams, aware, forbid, page_of, paginate, responses
from kadans.audit import selectors
from kadans.audit.models import AuditEntry

router = Router(tags=["audit"])

ModelLabel = Literal[tuple(selectors.model_choices())]


class ChangeOut(Schema):
    field: str
    old: str = Field(description="The value before, as text; empty when there was none.")
    new: str = Field(description="The value after, as text; empty when there is none.")


class AuditEntryOut(Schema):
    id: int
    timestamp: datetime.datetime
    action: Literal["create", "update", "delete", "access"]
    model: str = Field(description='App label and model, e.g. "relations.contact".')
    object_id: int | None
    object_repr: str
    relation_id: int | None = Field(description="The relation the changed object belongs to, if any.")
    actor_id: int | None = Field(description="The user who made the change; null for a command or the system.")
    actor: str
    changes: list[ChangeOut]


def _raw(value) -> str:
    return "" if value in (None, "None") else str(value)


def entry_out(entry: AuditEntry) -> dict:
    changes = []
    for name, values in (entry.changes or {}).items():
        if isinstance(values, dict):  # many-to-many: the objects added or removed
            objects = ", ".join(values.get("objects", []))
            old, new = ("", objects) if values.get("operation") == "add" else (objects, "")
        else:
            old, new = (_raw(v) for v in values)
        changes.append({"field": name, "old": old, "new": new})
    return {
        "id": entry.pk, "timestamp": entry.timestamp, "action": selectors.ACTIONS.get(entry.action, "update"),
        "model": f"{entry.content_type.app_label}.{entry.content_type.model}", "object_id": entry.object_id,
        "object_repr": entry.object_repr, "relation_id": entry.relation_id, "actor_id": entry.actor_id,
        "actor": str(entry.actor) if entry.actor else "", "changes": changes,
    }


class AuditFilters(PageParams):
    relation: Id | None = Field(None, description="Only the changes of this relation, its contacts, "
                                                  "activities and cost lines.")
    model: ModelLabel | None = Field(None, description="Only changes of this kind of object.")
    since: Moment | None = Field(None, description="Only changes at or after this moment (ISO 8601).")


@router.get("/audit", response=responses({200: page_of(AuditEntryOut)}), summary="List audit trail entries")
def list_audit_entries(request, filters: Query[AuditFilters]):
    """Newest first. Managers and administrators only."""
    if not can_view_audit_trail(request.user):
        forbid()
    qs = selectors.audit_entries(
        relation_id=filters.relation, model=filters.model,
        since=aware(filters.since) if filters.since else None,
    )
    return paginate(qs, filters, entry_out)
