"""Changes the activity services make without a model signal, recorded from the domain's events.

Completing and cancelling are a conditional `UPDATE … WHERE status = 'planned'` (so that two browsers
complete once); cost lines are replaced with bulk_create; participants are rows of a through model made
with bulk_create. None of these sends a signal, so auditlog's registration does not see them: the events
of kadans.core.events (delivered on commit) tell us, and we read the row as it is now.

Each handler first checks whether the change is already in the trail, so that it writes nothing twice
when a service some day records it itself (through save(), or audit_record()).
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


def _sync_cost_lines(activity_id: int, actor_id: int | None) -> None:
    """Record the activity's cost lines that the trail has not seen created (bulk_create). Their
    removal needs nothing: a queryset delete() sends post_delete for registered models."""
    lines = list(CostLine.objects.filter(activity_id=activity_id).select_related("activity"))
    if not lines:
        return
    seen = set(AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(CostLine), action=AuditEntry.Action.CREATE,
        object_id__in=[line.pk for line in lines],
    ).values_list("object_id", flat=True))
    audit_record_created(instances=[line for line in lines if line.pk not in seen], actor=actor_id)


def _ids(ids) -> str:
    return ",".join(str(pk) for pk in sorted(ids))


def on_activity_created(event: events.ActivityCreated) -> None:
    # an activity made with bulk_create (a repeating series) has no entry of its own yet
    if not AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(Activity),
                                     object_id=event.activity_id, action=AuditEntry.Action.CREATE).exists():
        audit_record_created(instances=Activity.objects.filter(pk=event.activity_id).select_related("type", "relation"),
                             actor=event.by_id)
    _sync_cost_lines(event.activity_id, event.by_id)
    if not event.participant_ids:
        return
    activity = Activity.objects.filter(pk=event.activity_id).first()
    if activity is not None:
        audit_record(instance=activity, actor=event.by_id,
                     changes={"participants": ("", _ids(event.participant_ids))})


def on_activity_changed(event: events.ActivityChanged) -> None:
    _sync_cost_lines(event.activity_id, event.by_id)
    if event.participant_ids == event.participants_before:
        return
    activity = Activity.objects.filter(pk=event.activity_id).first()
    if activity is not None:
        audit_record(instance=activity, actor=event.by_id, changes={
            "participants": (_ids(event.participants_before), _ids(event.participant_ids)),
        })
