"""Reading the audit trail: the entries of a relation (its own, its contacts', activities' and cost
lines'), or of a kind of object since a moment, and their changes in words a reader understands."""

from __future__ import annotations

import dataclasses
import datetime
from collections import defaultdict

from django.core.exceptions import FieldDoesNotExist
from django.db.models import ForeignKey, QuerySet
from django.utils.translation import gettext as _

from kadans.audit.models import AuditEntry
from kadans.audit.tracking import tracked_labels

ACTIONS = {
    AuditEntry.Action.CREATE: "create", AuditEntry.Action.UPDATE: "update",
    AuditEntry.Action.DELETE: "delete", AuditEntry.Action.ACCESS: "access",
}


def audit_entries(
    *, relation_id: int | None = None, model: str | None = None, since: datetime.datetime | None = None
) -> QuerySet[AuditEntry]:
    """Entries newest first; `model` is an app label and model name ("relations.contact")."""
    qs = AuditEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-id")
    if relation_id is not None:
        qs = qs.filter(relation_id=relation_id)
    if model:
        app_label, _dot, model_name = model.lower().partition(".")
        qs = qs.filter(content_type__app_label=app_label, content_type__model=model_name)
    if since is not None:
        qs = qs.filter(timestamp__gte=since)
    return qs


def model_choices() -> list[str]:
    return [label.lower() for label in tracked_labels()]


@dataclasses.dataclass
class Change:
    field: str
    label: str
    old: str
    new: str


def _text(value) -> str:
    return "" if value in (None, "None") else str(value)


def changes_of(entries: list[AuditEntry]) -> dict[int, list[Change]]:
    """Each entry's changes with field labels, choice labels and related objects' names (one query per
    related model over all entries, not one per value)."""
    wanted: dict[type, set[str]] = defaultdict(set)
    for entry in entries:
        model = entry.content_type.model_class()
        for name, values in (entry.changes or {}).items():
            field = _field(model, name)
            if isinstance(field, ForeignKey) and isinstance(values, list):
                wanted[field.related_model].update(str(v) for v in values if str(v).isdigit())
    names = {
        related: {str(obj.pk): str(obj) for obj in related._base_manager.filter(pk__in=pks)}
        for related, pks in wanted.items()
    }
    result = {}
    for entry in entries:
        model = entry.content_type.model_class()
        rows = []
        for name, values in (entry.changes or {}).items():
            field = _field(model, name)
            label = str(field.verbose_name) if field is not None and hasattr(field, "verbose_name") else name
            if isinstance(values, dict):  # a many-to-many change
                objects = ", ".join(values.get("objects", []))
                old, new = ("", objects) if values.get("operation") == "add" else (objects, "")
            else:
                old, new = (_shown(field, names, v) for v in values)
            rows.append(Change(field=name, label=label, old=old, new=new))
        result[entry.pk] = rows
    return result


def _field(model, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _shown(field, names: dict, value) -> str:
    text = _text(value)
    if not text or field is None:
        return text
    if isinstance(field, ForeignKey):
        return names.get(field.related_model, {}).get(text, _("#%(id)s (deleted)") % {"id": text})
    if field.choices:
        return str(dict(field.flatchoices).get(text, text))
    if field.get_internal_type() == "BooleanField":
        return _("yes") if text == "True" else _("no")
    return text
