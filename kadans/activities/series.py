"""Writes on repeating activities: change "this and following" occurrences (a series is made by
kadans.activities.occurrences).

The design is on ActivitySeries: every occurrence is a real Activity row, made at once. Changing one
occurrence only is an ordinary activity_update; this module handles the changes that reach further.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kadans.accounts.models import User
from kadans.activities import recurrence as rec
from kadans.activities.models import Activity, ActivitySeries, Participation
from kadans.activities.occurrences import create_occurrences, period_at, recurrence_from, series_zone, slots_before
from kadans.activities.services import UPDATABLE_FIELDS, activity_update
from kadans.core import events

PROPAGATED_FIELDS = sorted(UPDATABLE_FIELDS)
"""What "this and following" copies from the edited occurrence to the later ones, when it changed."""


def _end_series_before(series: ActivitySeries, slot: datetime.datetime) -> None:
    """Cut the series' rule so that its last occurrence is the one before `slot`."""
    rule = series.recurrence
    if rule.count is not None:
        rule = rule.with_count(slots_before(series, slot))
    else:
        # one occurrence per day at most (no BYHOUR), so ending the day before is exact
        rule = rec.Recurrence(
            freq=rule.freq, interval=rule.interval, weekdays=rule.weekdays,
            until=slot.astimezone(series.tzinfo).date() - datetime.timedelta(days=1),
        )
    series.rrule = rule.to_rrule()
    series.save(update_fields=["rrule"])


def _snapshot(activity: Activity) -> dict:
    values = {f: getattr(activity, f + "_id" if f not in ("summary", "note") else f) for f in PROPAGATED_FIELDS}
    values["participants"] = set(Participation.objects.filter(activity=activity).values_list("user_id", flat=True))
    values["period"] = (activity.all_day, activity.start, activity.end)
    return values


@transaction.atomic
def activity_update_following(
    *, activity: Activity, user: User, recurrence: rec.Recurrence | None, **changes
) -> Activity:
    """Change this occurrence and every later one of its series ("this and following"), or make a
    single activity repeat, or stop a series here (`recurrence` None).

    `changes` are activity_update's arguments, applied to this occurrence. Fields that changed are copied
    to the later planned occurrences. When the period or the rule changed, the series is split here: the
    old rule ends before this occurrence and a new series starts with it; later planned occurrences are
    moved onto the new rule's dates (made or removed as the new rule needs), later done or cancelled
    ones stay as they are, outside any series. Without a rule, later planned occurrences are removed.
    """
    old_series = None
    if activity.series_id:
        # one split at a time per series: two browsers splitting at once would interleave their rows
        old_series = ActivitySeries.objects.select_for_update().get(pk=activity.series_id)
        activity.series = old_series
    before = _snapshot(activity)
    old_rule = recurrence_from(activity)
    activity_update(activity=activity, user=user, **changes)
    after = _snapshot(activity)
    changed = {f for f in [*PROPAGATED_FIELDS, "participants"] if before[f] != after[f]}

    later = Activity.objects.none()
    if old_series is not None:
        later = Activity.objects.filter(series=old_series, recurrence_id__gt=activity.recurrence_id)

    if old_series is not None and recurrence == old_rule and before["period"] == after["period"]:
        _propagate(activity, later.filter(status=Activity.Status.PLANNED), changed, by=user)
        return activity

    slot = activity.recurrence_id
    is_first = old_series is not None and slots_before(old_series, slot) == 0
    later_rows = list(later.order_by("recurrence_id"))
    later.update(series=None, recurrence_id=None)  # free the slots before they are handed out again
    if old_series is not None and not is_first:
        _end_series_before(old_series, slot)
    planned = [a for a in later_rows if a.status == Activity.Status.PLANNED]

    if recurrence is None:
        Activity.objects.filter(pk__in=[a.pk for a in planned]).delete()
        activity.series, activity.recurrence_id = None, None
        activity.save(update_fields=["series", "recurrence_id", "updated_at"])
        if is_first:
            old_series.delete()
        return activity
    if activity.status != Activity.Status.PLANNED:
        raise ValidationError({"repeat": _("Only a planned action can repeat.")})

    tz = series_zone(all_day=activity.all_day, user=user)
    slots = rec.validate(recurrence, first=activity.start, tz=tz)
    if is_first:
        series = old_series
        series.rrule, series.dtstart, series.all_day, series.time_zone = (
            recurrence.to_rrule(), slots[0], activity.all_day, str(tz)
        )
        series.save()
    else:
        series = ActivitySeries.objects.create(
            rrule=recurrence.to_rrule(), dtstart=slots[0], all_day=activity.all_day, time_zone=str(tz)
        )
    activity.start, activity.end = period_at(activity, slots[0], tz)
    activity.series, activity.recurrence_id = series, slots[0]
    activity.save(update_fields=["start", "end", "series", "recurrence_id", "updated_at"])

    rest = slots[1:]
    reused, surplus = planned[: len(rest)], planned[len(rest):]
    now = timezone.now()
    for row, s in zip(reused, rest, strict=False):
        row.start, row.end = period_at(activity, s, tz)
        row.all_day, row.series, row.recurrence_id, row.updated_at = activity.all_day, series, s, now
    Activity.objects.bulk_update(reused, ["start", "end", "all_day", "series", "recurrence_id", "updated_at"])
    _propagate(activity, Activity.objects.filter(pk__in=[a.pk for a in reused]), changed, by=user)
    Activity.objects.filter(pk__in=[a.pk for a in surplus]).delete()
    create_occurrences(activity, series=series, slots=rest[len(reused):], tz=tz)
    return activity


def _propagate(source: Activity, targets, changed: set[str], *, by: User) -> None:
    """Copy the changed fields (and participants) of `source` to the `targets` queryset; the values each
    target had are published (events.OccurrencesChanged), as no model signal tells of an UPDATE."""
    fields = {f: getattr(source, f) for f in changed if f in PROPAGATED_FIELDS}
    if fields:
        columns = {f: f if f in ("summary", "note") else f"{f}_id" for f in fields}
        before = list(targets.values("pk", *columns.values()))
        targets.update(**fields, updated_at=timezone.now())
        after = {f: getattr(source, column) for f, column in columns.items()}
        events.publish(events.OccurrencesChanged(by_id=by.pk, changes={
            row["pk"]: {f: (row[column], after[f]) for f, column in columns.items() if row[column] != after[f]}
            for row in before
        }))
    if "participants" in changed or "representative" in changed:
        wanted = set(Participation.objects.filter(activity=source).values_list("user_id", flat=True))
        rows = list(targets.values_list("pk", "representative_id"))
        Participation.objects.filter(activity_id__in=[pk for pk, _rep in rows]).delete()
        Participation.objects.bulk_create(
            [Participation(activity_id=pk, user_id=u) for pk, rep in rows for u in wanted if u != rep]
        )
        # a participant who joins or leaves changes the calendar feeds: their versions follow updated_at
        Activity.objects.filter(pk__in=[pk for pk, _rep in rows]).update(updated_at=timezone.now())
