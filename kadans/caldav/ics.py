"""Reading what a calendar app PUTs: an iCalendar object with one UID (RFC 4791 4.1), as plain values."""

from __future__ import annotations

import dataclasses
import datetime
import zoneinfo

from icalendar import Calendar as ICalendar
from icalendar import Event


class BadEvent(ValueError):
    pass


@dataclasses.dataclass
class EventData:
    uid: str
    all_day: bool
    start: datetime.date | datetime.datetime
    end: datetime.date | datetime.datetime
    """All-day: the last day (inclusive, unlike DTEND); timed: the end instant."""
    summary: str
    description: str | None
    """None when the event has no DESCRIPTION at all (nothing to compare)."""
    location: str
    status: str
    attendees: list[str]
    """The ATTENDEEs' e-mail addresses."""
    rrule: dict | None
    recurrence_id: datetime.date | datetime.datetime | None
    exdates: list


def _aware(value, tz):
    if isinstance(value, datetime.datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=tz)
    return value


def _dates(prop) -> list:
    if prop is None:
        return []
    props = prop if isinstance(prop, list) else [prop]
    return [d.dt for p in props for d in p.dts]


def event_data(component: Event, tz: zoneinfo.ZoneInfo) -> EventData:
    """The values of a VEVENT; floating times are read in `tz` (the user's zone)."""
    if component.get("dtstart") is None:
        raise BadEvent("DTSTART is required")
    start = _aware(component.decoded("dtstart"), tz)
    all_day = not isinstance(start, datetime.datetime)
    if component.get("dtend") is not None:
        end = _aware(component.decoded("dtend"), tz)
    elif component.get("duration") is not None:
        end = start + component.decoded("duration")
    else:
        end = start + datetime.timedelta(days=1) if all_day else start
    if all_day:
        end = end.date() if isinstance(end, datetime.datetime) else end
        end = max(start, end - datetime.timedelta(days=1))
    elif not isinstance(end, datetime.datetime):
        end = start
    end = max(start, end)
    attendees = component.get("attendee") or []
    if not isinstance(attendees, list):
        attendees = [attendees]
    emails = [str(a)[7:].strip().lower() for a in attendees if str(a).lower().startswith("mailto:")]
    rrule = component.get("rrule")
    recurrence_id = component.get("recurrence-id")
    return EventData(
        uid=str(component.get("uid", "")),
        all_day=all_day, start=start, end=end,
        summary=str(component.get("summary", "")).strip(),
        description=str(component["description"]) if component.get("description") is not None else None,
        location=str(component.get("location", "")).strip(),
        status=str(component.get("status", "")).upper(),
        attendees=emails,
        rrule=normal_rrule(rrule) if rrule is not None else None,
        recurrence_id=_aware(recurrence_id.dt, tz) if recurrence_id is not None else None,
        exdates=[_aware(d, tz) for d in _dates(component.get("exdate"))],
    )


def normal_rrule(rrule) -> dict:
    """An RRULE as a dict that compares equal however a client ordered or cased its parts."""
    return {key.upper(): tuple(str(v).upper() for v in (value if isinstance(value, list) else [value]))
            for key, value in rrule.items()}


def parse(body: bytes) -> tuple[ICalendar, list[Event]]:
    """The calendar and its VEVENTs, the master (no RECURRENCE-ID) first; BadEvent when it is not one
    event (one UID) of iCalendar."""
    try:
        cal = ICalendar.from_ical(body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, KeyError, IndexError) as e:
        raise BadEvent(str(e)) from None
    if isinstance(cal, list) or cal.name != "VCALENDAR":
        raise BadEvent("not one VCALENDAR")
    events = list(cal.walk("VEVENT"))
    if not events:
        raise BadEvent("no VEVENT (only events are supported)")
    if len({str(e.get("uid", "")) for e in events}) != 1 or not str(events[0].get("uid", "")):
        raise BadEvent("one UID per resource")
    events.sort(key=lambda e: e.get("recurrence-id") is not None)
    return cal, events
