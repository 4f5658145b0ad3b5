"""What happened in the domain, told to the apps that react to it.

Domain services (activities, relations, documents) publish an event once their change is made; the event
is delivered after the surrounding transaction commits, so nothing reacts to a change that was rolled
back. The apps that react (notifications, meeting invitations, webhooks, calendars, the audit trail)
subscribe in their `AppConfig.ready()`; the services never import them. Events carry ids and the few
values a subscriber cannot read back afterwards (who was assigned *before* a change), never model
instances: a subscriber reads what it needs itself.

A subscriber that raises is logged and does not keep the others from running (robust on-commit).
"""

from __future__ import annotations

import dataclasses
import datetime
import itertools
import logging
import threading
from collections import defaultdict
from collections.abc import Callable

from django.db import connection, transaction

logger = logging.getLogger(__name__)

_subscribers: dict[type, list[Callable]] = defaultdict(list)


@dataclasses.dataclass(frozen=True)
class Event:
    by_id: int | None
    """The user who made the change; None for the system (imports, the worker)."""


@dataclasses.dataclass(frozen=True)
class ActivityCreated(Event):
    activity_id: int
    representative_id: int
    participant_ids: frozenset[int] = frozenset()
    cost_line_ids: frozenset[int] = frozenset()
    """Its cost lines, made in bulk (no model signal tells of them)."""


@dataclasses.dataclass(frozen=True)
class ActivityChanged(Event):
    """The activity's fields, time or people changed (edit, reschedule, a calendar drag)."""

    activity_id: int
    representative_id: int
    representative_before: int | None = None
    participant_ids: frozenset[int] = frozenset()
    participants_before: frozenset[int] = frozenset()
    cost_line_ids: frozenset[int] = frozenset()
    """Its cost lines when this change replaced them (made in bulk); empty when they stayed."""


@dataclasses.dataclass(frozen=True)
class OccurrencesCreated(Event):
    """The other occurrences of a repeating activity, made in bulk (no model signal tells of them)."""

    activity_ids: tuple[int, ...]


@dataclasses.dataclass(frozen=True)
class OccurrencesChanged(Event):
    """Later occurrences of a series took the changed fields of one ("this and following"), in one UPDATE:
    for each occurrence's id, each field's (old, new) value (ids for related rows)."""

    changes: dict[int, dict[str, tuple[object, object]]]


@dataclasses.dataclass(frozen=True)
class ActivityCompleted(Event):
    activity_id: int


@dataclasses.dataclass(frozen=True)
class ActivityCancelled(Event):
    activity_id: int


@dataclasses.dataclass(frozen=True)
class RelationStatusChanged(Event):
    """The relation's business status changed (a priority change alone publishes nothing)."""

    relation_id: int
    from_status_id: int | None
    to_status_id: int
    at: datetime.datetime


@dataclasses.dataclass(frozen=True)
class DocumentUploaded(Event):
    document_id: int
    activity_id: int


@dataclasses.dataclass(frozen=True)
class DocumentSigned(Event):
    document_id: int
    activity_id: int


def subscribe(event_type: type[Event], handler: Callable[[Event], object]) -> None:
    """Call `handler(event)` after the commit of every change that publishes an `event_type`."""
    if handler not in _subscribers[event_type]:
        _subscribers[event_type].append(handler)


def publish(event: Event) -> None:
    """Deliver `event` to its subscribers once the current transaction commits (at once outside one)."""
    commit = _commit_id()
    for handler in list(_subscribers[type(event)]):
        transaction.on_commit(_deliver(handler, event, commit), robust=True)


def commit_memo(key: str, factory: Callable[[], object]) -> object:
    """A value read once for all the deliveries of one commit: completing an activity publishes
    "completed" and the triggered "created" in one transaction, and a subscriber that needs the same rows
    for both (the webhook subscriptions) reads them once. Outside a delivery it is just `factory()`."""
    memo = _delivering.memo
    if memo is None:
        return factory()
    if key not in memo:
        memo[key] = factory()
    return memo[key]


class _Delivering(threading.local):
    commit: int | None = None
    memo: dict | None = None


_delivering = _Delivering()
_commit_ids = itertools.count(1)


def _commit_id() -> int:
    """The same number for every event published inside one outermost transaction."""
    blocks = connection.atomic_blocks
    if not blocks:
        return next(_commit_ids)
    outermost = blocks[0]
    if not hasattr(outermost, "kadans_commit_id"):
        outermost.kadans_commit_id = next(_commit_ids)
    return outermost.kadans_commit_id


def _deliver(handler: Callable[[Event], object], event: Event, commit: int) -> Callable[[], None]:
    def deliver() -> None:
        if _delivering.commit != commit:
            _delivering.commit, _delivering.memo = commit, {}
        handler(event)

    deliver.__qualname__ = f"deliver {type(event).__name__} to {getattr(handler, '__qualname__', handler)}"
    return deliver
