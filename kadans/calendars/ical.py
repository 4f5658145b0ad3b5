"""The private iCalendar feed (RFC 5545), built with the `icalendar` package.

- UIDs are stable: `activity-<id>@kadans` for a single activity, `series-<id>@kadans` for a series.
- Timed activities carry a TZID with its VTIMEZONE (the feed owner's zone; a series its own zone, so that
  clients expand its RRULE in wall-clock time across daylight saving); all-day ones are DATE values
  with an exclusive DTEND, as RFC 5545 wants.
- STATUS: RFC 5545 gives a VEVENT no "done": planned and done activities are CONFIRMED, done ones get a
  "✓ " before their summary; cancelled ones are CANCELLED (clients strike them through or hide them).
- A series is one VEVENT with its RRULE, starting at its first occurrence inside the feed's window (a
  COUNT shortened to match), EXDATEs for occurrences that are cancelled or not in this calendar, and a
  RECURRENCE-ID override for each occurrence that differs from the rule (moved, done, edited).
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from kadans.activities import recurrence as rec
from kadans.activities.models import Activity, ActivitySeries

PRODID = "-//Kadans//Kadans CRM//EN"


class Links:
    def __init__(self, base_url: str):
        self.base = base_url.rstrip("/")
        self.activity_path = reverse("activities:detail", args=[0])
        self.relation_path = reverse("relations:detail", args=[0])

    def activity(self, activity: Activity) -> str:
        return self.base + self.activity_path.replace("/0/", f"/{activity.pk}/")

    def relation(self, activity: Activity) -> str:
        return self.base + self.relation_path.replace("/0/", f"/{activity.relation_id}/")


def activity_uid(activity: Activity) -> str:
    return f"activity-{activity.pk}@kadans"


def _uid_series(series: ActivitySeries) -> str:
    return f"series-{series.pk}@kadans"


def _summary(activity: Activity) -> str:
    text = activity.summary or str(activity.type)
    text = f"{text} — {activity.relation.name}"
    if activity.status == Activity.Status.DONE:
        text = f"✓ {text}"
    return text


def event_description(activity: Activity, url: str) -> str:
    lines = [f"{_('Relation')}: {activity.relation.name}"]
    if activity.contact_id:
        contact = activity.contact
        detail = ", ".join(p for p in [contact.phone, contact.email] if p)
        lines.append(f"{_('Contact')}: {contact}" + (f" ({detail})" if detail else ""))
    lines.append(f"{_('Action type')}: {activity.type.name}")
    lines.append(f"{_('Representative')}: {activity.representative}")
    if activity.note:
        lines += ["", activity.note]
    lines += ["", url]
    return "\n".join(lines)


def event_location(activity: Activity) -> str:
    return activity.relation.address


def _status(activity: Activity) -> str:
    return "CANCELLED" if activity.status == Activity.Status.CANCELLED else "CONFIRMED"


def _when(activity: Activity, tz) -> tuple:
    if activity.all_day:
        return activity.due_date, activity.end_date + datetime.timedelta(days=1)
    return timezone.localtime(activity.start, tz), timezone.localtime(activity.end, tz)


def slot_value(series: ActivitySeries, slot: datetime.datetime):
    local = slot.astimezone(series.tzinfo)
    return local.date() if series.all_day else local


def _content(activity: Activity) -> tuple:
    """What an occurrence shows besides its time and its link: equal contents need no override."""
    return (
        _summary(activity), event_description(activity, ""), event_location(activity), _status(activity),
        activity.type.name, activity.all_day, activity.end - activity.start,
    )


def activity_event(activity: Activity, *, uid: str, tz, url: str, stamp: datetime.datetime) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    start, end = _when(activity, tz)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", _summary(activity))
    event.add("description", event_description(activity, url))
    if location := event_location(activity):
        event.add("location", location)
    event.add("status", _status(activity))
    event.add("categories", [activity.type.name])
    event.add("url", url)
    event.add("last-modified", activity.updated_at)
    event.add("transp", "OPAQUE" if not activity.all_day else "TRANSPARENT")
    return event


def series_events(
    series: ActivitySeries, rows: list[Activity], *, since: datetime.datetime, links: Links, stamp
) -> tuple[list[Event], list[Activity]]:
    """The series' master VEVENT and its overrides; and the rows the rule cannot place (moved from a slot
    before the window), which go out as single events."""
    tz = series.tzinfo
    rule = series.recurrence
    all_slots = rec.expand(rule, first=series.dtstart, tz=tz)
    slots = [s for s in all_slots if s >= since]
    by_slot = {a.recurrence_id: a for a in rows}
    loose = [a for a in rows if a.recurrence_id not in set(slots)]
    if not slots:
        return [], loose
    if rule.count is not None:
        rule = rule.with_count(len(slots))
    # The master carries what most planned occurrences show, so that few need an override.
    plain = [by_slot[s] for s in slots if s in by_slot and by_slot[s].status == Activity.Status.PLANNED]
    contents = Counter(_content(a) for a in plain if a.start == a.recurrence_id)
    base_content = contents.most_common(1)[0][0] if contents else None
    template = next((a for a in plain if _content(a) == base_content), None)
    if template is None:
        template = next((by_slot[s] for s in slots if s in by_slot), None)
    if template is None:
        return [], loose

    # the occurrences the rule makes link to the relation page, which lists them all
    master = activity_event(template, uid=_uid_series(series), tz=tz, url=links.relation(template), stamp=stamp)
    first = slot_value(series, slots[0])
    del master["dtstart"]
    del master["dtend"]
    master.add("dtstart", first)
    if series.all_day:
        master.add("dtend", first + datetime.timedelta(days=(template.end_date - template.due_date).days + 1))
    else:
        master.add("dtend", first + (template.end - template.start))
    master.add("rrule", rule.ical_parts(all_day=series.all_day, tz=tz))
    master.pop("status")
    master.add("status", "CONFIRMED")

    exdates, overrides = [], []
    for slot in slots:
        row = by_slot.get(slot)
        if row is None or row.status == Activity.Status.CANCELLED:
            exdates.append(slot_value(series, slot))
        elif row.start != slot or _content(row) != base_content:
            override = activity_event(row, uid=_uid_series(series), tz=tz, url=links.activity(row), stamp=stamp)
            override.add("recurrence-id", slot_value(series, slot))
            overrides.append(override)
    if exdates:
        master.add("exdate", exdates)
    return [master, *overrides], loose


def build_feed(
    activities: list[Activity], *, name: str, tz, since: datetime.datetime, base_url: str
) -> bytes:
    """The feed of `activities` (as feed_activities returns them), timed ones in `tz`; links start with
    `base_url` (scheme and host)."""
    links = Links(base_url)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", str(tz))
    cal.add("refresh-interval", datetime.timedelta(minutes=15), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT15M")
    stamp = max((a.updated_at for a in activities), default=since)

    series_rows: dict[int, list[Activity]] = {}
    singles = []
    for activity in activities:
        if activity.series_id:
            series_rows.setdefault(activity.series_id, []).append(activity)
        else:
            singles.append(activity)
    for rows in series_rows.values():
        events, loose = series_events(rows[0].series, rows, since=since, links=links, stamp=stamp)
        for event in events:
            cal.add_component(event)
        singles += loose
    for activity in sorted(singles, key=lambda a: (a.start, a.pk)):
        cal.add_component(activity_event(activity, uid=activity_uid(activity), tz=tz, url=links.activity(activity),
                                 stamp=stamp))
    today = timezone.now().date()
    cal.add_missing_timezones(first_date=since.date() - datetime.timedelta(days=366),
                              last_date=datetime.date(today.year + 12, 1, 1))
    return cal.to_ical()
