"""Resources as iCalendar text (RFC 5545), with the feed's own event builder (kadans.calendars.ical), so
that the feed and CalDAV show an activity the same way. One VCALENDAR per resource (RFC 4791 4.1): a
single activity's VEVENT, or a series' master with its overrides; timed events carry the owner's
VTIMEZONE (a series its own zone), made once per request.
"""

from __future__ import annotations

import datetime
import zoneinfo

from django.conf import settings
from icalendar import Calendar as ICalendar
from icalendar import Event

from kadans.activities.models import Activity
from kadans.caldav.selectors import Calendar, Resource
from kadans.calendars import ical

PRODID = ical.PRODID


class Renderer:
    def __init__(self, calendar: Calendar, *, base_url: str):
        self.calendar = calendar
        self.tz = calendar.owner.tzinfo
        self.links = ical.Links(base_url)
        self._timezones: dict[str, bytes] = {}

    def _vtimezone(self, tz_name: str) -> bytes:
        if tz_name not in self._timezones:
            holder = ICalendar()
            event = Event()
            event.add("dtstart", datetime.datetime(2020, 1, 1, tzinfo=zoneinfo.ZoneInfo(tz_name)))
            holder.add_component(event)
            today = datetime.date.today()
            holder.add_missing_timezones(
                first_date=datetime.date(today.year - 5, 1, 1), last_date=datetime.date(today.year + 12, 1, 1)
            )
            self._timezones[tz_name] = b"".join(tz.to_ical() for tz in holder.walk("VTIMEZONE"))
        return self._timezones[tz_name]

    def _wrap(self, events: list[Event], tz_names: set[str]) -> bytes:
        head = (
            b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:" + PRODID.encode() + b"\r\nCALSCALE:GREGORIAN\r\n"
        )
        body = b"".join(self._vtimezone(name) for name in sorted(tz_names))
        return head + body + b"".join(e.to_ical() for e in events) + b"END:VCALENDAR\r\n"

    def render(self, resource: Resource, activities: dict[int, Activity]) -> bytes:
        if resource.is_unlinked:
            return resource.client_event.ical.encode()
        rows = [activities[pk] for pk in resource.activity_ids if pk in activities]
        if resource.series_id is not None:
            series = rows[0].series
            stamp = max(a.updated_at for a in rows)
            events, _loose = ical.series_events(series, rows, since=series.dtstart, links=self.links, stamp=stamp)
            tz_names = set() if series.all_day else {series.time_zone}
        else:
            activity = rows[0]
            events = [ical.activity_event(activity, uid=resource.uid, tz=self.tz, url=self.links.activity(activity),
                                  stamp=activity.updated_at)]
            tz_names = set() if activity.all_day else {str(self.tz)}
        for event in events:
            if str(event["uid"]) != resource.uid:
                del event["uid"]
                event.add("uid", resource.uid)
        if resource.alarms and events:
            for alarm in ICalendar.from_ical(f"BEGIN:VCALENDAR\r\n{resource.alarms}END:VCALENDAR\r\n").walk("VALARM"):
                events[0].add_component(alarm)
        return self._wrap(events, tz_names)


def company_tz() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)
