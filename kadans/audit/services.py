"""Writing the audit trail where model signals cannot: a conditional UPDATE, a bulk_create, an erasure.

Model-level registration (kadans.audit.tracking) records every save() and delete(); these functions are
for the writes that bypass it. Each writes django-auditlog entries (kadans.audit.models.AuditEntry), so
the trail reads the same whichever way a change was made.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from auditlog.context import auditlog_value, disable_auditlog, set_actor
from auditlog.diff import model_instance_diff
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from kadans.accounts.models import User
from kadans.audit.middleware import BARE_CONTEXT, REQUEST_KEY
from kadans.audit.models import AuditEntry, relation_id_of

Action = AuditEntry.Action
ERASED = "[erased]"


def current_actor() -> User | None:
    """The user changes are put on now: the one named by audit_actor(), else the request's."""
    context = auditlog_value.get(None) or {}
    if isinstance(context.get("actor"), User):
        return context["actor"]
    user = getattr(context.get(REQUEST_KEY), "user", None)
    return user if isinstance(user, User) and user.is_authenticated else None


def _value(value: Any) -> str:
    return "None" if value is None else str(value)


def _actor_fields(actor: User | int | None) -> dict:
    if actor is None:
        return {}
    if isinstance(actor, User):
        return {"actor": actor, "actor_email": actor.email}
    current = current_actor()
    if current is not None and current.pk == actor:  # the request's own user: already read
        return {"actor": current, "actor_email": current.email}
    return {"actor_id": actor, "actor_email": User.objects.filter(pk=actor).values_list("email", flat=True).first()}


def audit_record(
    *,
    instance: Model,
    changes: Mapping[str, tuple[Any, Any]],
    actor: User | int | None = None,
    action: int = Action.UPDATE,
    additional_data: dict | None = None,
) -> AuditEntry | None:
    """Record that `instance` changed: `changes` maps a field name to its (old, new) values. Nothing is
    written when nothing changed. Without an actor, the current request's user (if any) is taken."""
    recorded = {field: [_value(old), _value(new)] for field, (old, new) in changes.items() if old != new}
    if not recorded and action == Action.UPDATE:
        return None
    extra = {"additional_data": additional_data} if additional_data is not None else {}
    return AuditEntry.objects.log_create(instance, force_log=True, action=action, changes=recorded,
                                         **extra, **_actor_fields(actor))


def audit_record_created(*, instances: Iterable[Model], actor: User | int | None = None) -> list[AuditEntry]:
    """Record rows made by bulk_create (which sends no signals) as created, with all their tracked values,
    in one INSERT."""
    entries = []
    actor_fields = _actor_fields(actor)
    for instance in instances:
        changes = model_instance_diff(None, instance)
        entries.append(AuditEntry(
            content_type=ContentType.objects.get_for_model(instance), object_pk=str(instance.pk),
            object_id=instance.pk, object_repr=str(instance), action=Action.CREATE, changes=changes,
            relation_id=relation_id_of(instance), **actor_fields,
        ))
    if actor is None and (current := current_actor()) is not None:
        for entry in entries:
            entry.actor, entry.actor_email = current, current.email
    return AuditEntry.objects.bulk_create(entries)


@contextlib.contextmanager
def audit_actor(user: User | None) -> Iterator[None]:
    """Put the changes made inside on `user` (a command, an import), unless a request already names its
    user. auditlog's own set_actor leaves its context behind; this restores the one it replaced."""
    previous = auditlog_value.get(None)
    if user is None or (previous is not None and previous.get("actor") is not None):
        yield
        return
    try:
        with set_actor(user):
            yield
    finally:
        # back to what was there; a bare context (no actor, matching no receiver) when there was none
        auditlog_value.set(previous if previous is not None else BARE_CONTEXT)


@contextlib.contextmanager
def audit_paused() -> Iterator[None]:
    """No automatic entries inside (an erasure records itself, without the values it removes)."""
    with disable_auditlog():
        yield
