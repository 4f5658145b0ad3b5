"""Writes on relations, contacts and their status history."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from kadans.accounts.models import User
from kadans.core import events
from kadans.relations.models import BusinessStatus, Contact, Priority, Relation, StatusChange

RELATION_FIELDS = {
    "kind", "name", "vat_number", "street", "postal_code", "city", "country", "phone", "email", "website",
    "representative", "business_status", "priority", "notes", "cadence_days", "latitude", "longitude",
}
CONTACT_FIELDS = {"first_name", "last_name", "function", "email", "phone"}


def _check_fields(data: dict[str, Any], allowed: set[str]) -> None:
    unknown = set(data) - allowed
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(sorted(unknown))}")


def relation_change_status(
    *,
    relation: Relation,
    user: User | None,
    new_status: BusinessStatus | None = None,
    new_priority: Priority | None = None,
    activity=None,
    at: datetime.datetime | None = None,
) -> list[StatusChange]:
    """Give the relation a new business status and/or priority and write each real change down.

    The caller holds a transaction; the relation row is locked so that two activities completed at
    once record a consistent "from" for each change.
    """
    locked = Relation.objects.select_for_update().get(pk=relation.pk)
    at = at or timezone.now()
    changes = []
    update_fields = []
    if new_status is not None and locked.business_status_id != new_status.pk:
        changes.append(
            StatusChange(
                relation=locked, field=StatusChange.Field.STATUS, from_status_id=locked.business_status_id,
                to_status=new_status, activity=activity, user=user, at=at,
            )
        )
        locked.business_status = new_status
        update_fields.append("business_status")
    if new_priority is not None and locked.priority_id != new_priority.pk:
        changes.append(
            StatusChange(
                relation=locked, field=StatusChange.Field.PRIORITY, from_priority_id=locked.priority_id,
                to_priority=new_priority, activity=activity, user=user, at=at,
            )
        )
        locked.priority = new_priority
        update_fields.append("priority")
    if changes:
        locked.save(update_fields=[*update_fields, "updated_at"])
        StatusChange.objects.bulk_create(changes)
        relation.business_status_id = locked.business_status_id
        relation.priority_id = locked.priority_id
    for c in changes:
        if c.field == StatusChange.Field.STATUS:
            events.publish(events.RelationStatusChanged(
                by_id=user.pk if user else None, relation_id=locked.pk, from_status_id=c.from_status_id,
                to_status_id=c.to_status_id, at=c.at,
            ))
    return changes


@transaction.atomic
def relation_create(*, user: User, **data: Any) -> Relation:
    """Create a relation; its first status is recorded as a change from nothing, so conversion reports
    know when it entered the funnel. Without a status it gets the default one."""
    _check_fields(data, RELATION_FIELDS)
    status = data.pop("business_status", None) or BusinessStatus.objects.filter(is_default=True).first()
    priority = data.pop("priority", None)
    relation = Relation(**data)
    relation.full_clean()
    relation.save()
    relation_change_status(relation=relation, user=user, new_status=status, new_priority=priority)
    return relation


@transaction.atomic
def relation_update(*, relation: Relation, user: User, **data: Any) -> Relation:
    """Update a relation; a status or priority changed by hand is recorded like one changed by an action."""
    _check_fields(data, RELATION_FIELDS)
    status = data.pop("business_status", None)
    priority = data.pop("priority", None)
    for field, value in data.items():
        setattr(relation, field, value)
    relation.full_clean(exclude=["business_status", "priority"])
    relation.save()
    relation_change_status(relation=relation, user=user, new_status=status, new_priority=priority)
    return relation


def contact_create(*, relation: Relation, **data: Any) -> Contact:
    _check_fields(data, CONTACT_FIELDS)
    contact = Contact(relation=relation, **data)
    contact.full_clean()
    contact.save()
    return contact


def contact_update(*, contact: Contact, **data: Any) -> Contact:
    _check_fields(data, CONTACT_FIELDS)
    for field, value in data.items():
        setattr(contact, field, value)
    contact.full_clean()
    contact.save()
    return contact
