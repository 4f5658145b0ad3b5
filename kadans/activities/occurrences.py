"""The occurrences of a repeating activity: starting a series from its first occurrence, and the rule as
seen from one occurrence. Changing "this and following" is in kadans.activities.series."""

from __future__ import annotations

import datetime
import zoneinfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kadans.accounts.models import User
from kadans.activities import recurrence as rec
from kadans.activities.models import Activity, ActivitySeries, Participation
from kadans.core import events
from kadans.core.time import company_tz, local_datetime


def series_zone(*, all_day: bool, user: User) -> zoneinfo.ZoneInfo:
    """All-day series repeat on company dates; timed ones at the creator's wall-clock time."""
    return company_tz() if all_day else user.tzinfo


def period_at(template: Activity, slot: datetime.datetime, tz: zoneinfo.ZoneInfo):
    """The (start, end) an occurrence at `slot` gets: the template's length, in days for all-day ones."""
    if template.all_day:
        days = (template.end_date - template.due_date).days
        return slot, local_datetime(slot.astimezone(tz).date() + datetime.timedelta(days=days), datetime.time.min, tz)
    return slot, slot + (template.end - template.start)


def _copy(template: Activity, *, series: ActivitySeries, slot: datetime.datetime, tz) -> Activity:
    start, end = period_at(template, slot, tz)
    return Activity(
        relation_id=template.relation_id, contact_id=template.contact_id, type_id=template.type_id,
        representative_id=template.representative_id, status=Activity.Status.PLANNED, start=start, end=end,
        all_day=template.all_day, summary=template.summary, note=template.note,
        new_status_id=template.new_status_id, new_priority_id=template.new_priority_id,
        plan_id=template.plan_id, created_by_id=template.created_by_id, series=series, recurrence_id=slot,
    )


def create_occurrences(template: Activity, *, series: ActivitySeries, slots, tz) -> list[Activity]:
    # The copies differ from the validated template only in their period, so no full_clean per row:
    # 500 occurrences would otherwise run thousands of foreign-key look-ups.
    copies = Activity.objects.bulk_create([_copy(template, series=series, slot=s, tz=tz) for s in slots])
    participant_ids = list(Participation.objects.filter(activity=template).values_list("user_id", flat=True))
    Participation.objects.bulk_create(
        [Participation(activity_id=a.pk, user_id=u) for a in copies for u in participant_ids]
    )
    if copies:
        events.publish(events.OccurrencesCreated(by_id=template.created_by_id,
                                                 activity_ids=tuple(a.pk for a in copies)))
    return copies


@transaction.atomic
def series_start(*, activity: Activity, recurrence: rec.Recurrence, user: User) -> ActivitySeries:
    """Make `activity` (planned, not yet in a series) the first occurrence of a new series and create the
    others. When the rule does not match its start (a Wednesday for "Mondays and Thursdays"), it moves to
    the rule's first occurrence, so that the series starts where its rule says (RFC 5545's DTSTART)."""
    if activity.status != Activity.Status.PLANNED:
        raise ValidationError({"repeat": _("Only a planned action can repeat.")})
    tz = series_zone(all_day=activity.all_day, user=user)
    slots = rec.validate(recurrence, first=activity.start, tz=tz)
    series = ActivitySeries.objects.create(
        rrule=recurrence.to_rrule(), dtstart=slots[0], all_day=activity.all_day, time_zone=str(tz)
    )
    activity.start, activity.end = period_at(activity, slots[0], tz)
    activity.series, activity.recurrence_id = series, slots[0]
    activity.save(update_fields=["start", "end", "series", "recurrence_id", "updated_at"])
    create_occurrences(activity, series=series, slots=slots[1:], tz=tz)
    return series


def slots_before(series: ActivitySeries, moment: datetime.datetime) -> int:
    """How many occurrences the series' rule gives before `moment`."""
    return sum(1 for s in rec.expand(series.recurrence, first=series.dtstart, tz=series.tzinfo) if s < moment)


def recurrence_from(activity: Activity) -> rec.Recurrence | None:
    """The rule as seen from this occurrence on: what the edit form shows. A count counts from here."""
    series = activity.series
    if series is None:
        return None
    rule = series.recurrence
    if rule.count is not None:
        rule = rule.with_count(max(rule.count - slots_before(series, activity.recurrence_id), 1))
    return rule
