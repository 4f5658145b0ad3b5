"""Changes the activity services make without a model signal, recorded from the domain's events.

Completing and cancelling are a conditional `UPDATE … WHERE status = 'planned'` (so that two browsers
complete once); cost lines are replaced with bulk_create; participants are rows of a through model made
with bulk_create. None of these sends a signal, so auditlog's registration does not see them: the events
of kadans.core.events (delivered on commit) tell us, and we read the row as it is now.

Completing and cancelling first check whether the change is already in the trail, so that they write
nothing twice when a service some day records it itself (through save(), or audit_record()).
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef

from kadans.activities.models import Activity, CostLine
from kadans.audit.models import AuditEntry
from kadans.audit.services import audit_record, audit_record_created
from kadans.core import events


def _activity_unless_recorded(activity_id: int, status: str) -> Activity | None:
    """The activity if it now has `status` and the trail does not say so yet: one query."""
    recorded = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Activity), object_id=OuterRef("pk"),
        changes__status__1=status,
    )
    # type and relation: the entry names the activity by them (Activity.__str__)
    activity = (Activity.objects.select_related("type", "relation").annotate(recorded=Exists(recorded))
                .filter(pk=activity_id, status=status).first())
    return None if activity is None or activity.recorded else activity


def on_activity_completed(event: events.ActivityCompleted) -> None:
    activity = _activity_unless_recorded(event.activity_id, Activity.Status.DONE)
    if activity is None:
        return
    audit_record(instance=activity, actor=event.by_id, changes={
        "status": (Activity.Status.PLANNED.value, activity.status),
        "done_at": (None, activity.done_at),
        "done_by": (None, activity.done_by_id),
    })


def on_activity_cancelled(event: events.ActivityCancelled) -> None:
    activity = _activity_unless_recorded(event.activity_id, Activity.Status.CANCELLED)
    if activity is None:
        return
    audit_record(instance=activity, actor=event.by_id, changes={
        "status": (Activity.Status.PLANNED.value, activity.status),
        "cancelled_at": (None, activity.cancelled_at),
        "cancel_reason": ("", activity.cancel_reason),
    })


def _record_cost_lines(cost_line_ids, actor_id: int | None) -> None:
    """Record the cost lines a service made in bulk (the event names them). Their removal needs nothing: a
    queryset delete() sends post_delete for registered models."""
    if cost_line_ids:
        lines = CostLine.objects.filter(pk__in=cost_line_ids).select_related("activity__type", "activity__relation")
        audit_record_created(instances=list(lines), actor=actor_id)


def _ids(ids) -> str:
    return ",".join(str(pk) for pk in sorted(ids))


def _record_participants(activity_id: int, actor_id: int | None, before: frozenset[int], after: frozenset[int]):
    """Participants are rows of a through model made in bulk: record the change of who takes part."""
    if before == after:
        return
    activity = Activity.objects.filter(pk=activity_id).select_related("type", "relation").first()
    if activity is not None:
        audit_record(instance=activity, actor=actor_id, changes={"participants": (_ids(before), _ids(after))})


def on_activity_created(event: events.ActivityCreated) -> None:
    """The activity itself was saved (auditlog's signal recorded it); its cost lines and participants were
    made in bulk: nothing to read when it has none, so creating an activity costs one INSERT here."""
    _record_cost_lines(event.cost_line_ids, event.by_id)
    _record_participants(event.activity_id, event.by_id, frozenset(), event.participant_ids)


def on_activity_changed(event: events.ActivityChanged) -> None:
    _record_cost_lines(event.cost_line_ids, event.by_id)
    _record_participants(event.activity_id, event.by_id, event.participants_before, event.participant_ids)


def on_occurrences_created(event: events.OccurrencesCreated) -> None:
    """The occurrences of a new series (or of "this and following") are made in bulk: record each."""
    occurrences = Activity.objects.filter(pk__in=event.activity_ids).select_related("type", "relation")
    audit_record_created(instances=list(occurrences), actor=event.by_id)


def on_occurrences_changed(event: events.OccurrencesChanged) -> None:
    """The fields "this and following" copied to the later occurrences, with each one's old value."""
    occurrences = Activity.objects.filter(pk__in=list(event.changes)).select_related("type", "relation")
    for occurrence in occurrences:
        audit_record(instance=occurrence, actor=event.by_id, changes=event.changes[occurrence.pk])
