"""Repeating activities: the rule (an RFC 5545 RRULE) and its expansion into occurrence starts.

A rule is daily, weekly on chosen days, or monthly (on the day of the month of the first occurrence,
skipping months that lack that day, as RFC 5545 says), every `interval` periods, and always ends: after
`count` occurrences or on the `until` day. Expansion runs in the series' wall-clock time zone with
python-dateutil, so a weekly 09:00 meeting stays at 09:00 across daylight saving.

The stored text is the RRULE value with UNTIL as a DATE in the series' time zone
(`FREQ=WEEKLY;BYDAY=MO,TH;UNTIL=20261231`); the iCalendar feed turns UNTIL into the form RFC 5545
demands for timed series (a UTC date-time).
"""

from __future__ import annotations

import dataclasses
import datetime
import zoneinfo

from dateutil import rrule as du
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kadans.core.time import local_datetime

MAX_OCCURRENCES = 500
"""All occurrences of a series are created at once (so lists, states and reports need nothing special);
this bounds how many: a working-day series for about two years."""

WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
WEEKDAY_CHOICES = [
    ("MO", gettext_lazy("Mon")), ("TU", gettext_lazy("Tue")), ("WE", gettext_lazy("Wed")),
    ("TH", gettext_lazy("Thu")), ("FR", gettext_lazy("Fri")), ("SA", gettext_lazy("Sat")),
    ("SU", gettext_lazy("Sun")),
]
FREQUENCIES = {"DAILY": du.DAILY, "WEEKLY": du.WEEKLY, "MONTHLY": du.MONTHLY}


@dataclasses.dataclass(frozen=True)
class Recurrence:
    freq: str
    """DAILY, WEEKLY or MONTHLY."""
    interval: int = 1
    weekdays: tuple[str, ...] = ()
    """For WEEKLY: MO … SU; empty means the weekday of the first occurrence."""
    count: int | None = None
    until: datetime.date | None = None
    """The last day an occurrence may fall on (inclusive), in the series' time zone."""

    def __post_init__(self):
        if self.freq not in FREQUENCIES:
            raise ValueError(f"unknown frequency {self.freq!r}")
        if (self.count is None) == (self.until is None):
            raise ValueError("a recurrence ends either after a count or on a date")

    def to_rrule(self) -> str:
        """The stored RRULE value (UNTIL as a DATE)."""
        parts = [f"FREQ={self.freq}"]
        if self.interval != 1:
            parts.append(f"INTERVAL={self.interval}")
        if self.freq == "WEEKLY" and self.weekdays:
            parts.append("BYDAY=" + ",".join(sorted(self.weekdays, key=WEEKDAYS.index)))
        if self.count is not None:
            parts.append(f"COUNT={self.count}")
        else:
            parts.append(f"UNTIL={self.until:%Y%m%d}")
        return ";".join(parts)

    @classmethod
    def from_rrule(cls, value: str) -> Recurrence:
        """Parse what to_rrule wrote."""
        fields = dict(part.split("=", 1) for part in value.strip().split(";") if part)
        until = fields.get("UNTIL")
        return cls(
            freq=fields["FREQ"],
            interval=int(fields.get("INTERVAL", 1)),
            weekdays=tuple(d for d in fields.get("BYDAY", "").split(",") if d),
            count=int(fields["COUNT"]) if "COUNT" in fields else None,
            until=datetime.datetime.strptime(until[:8], "%Y%m%d").date() if until else None,
        )

    def ical_parts(self, *, all_day: bool, tz: zoneinfo.ZoneInfo) -> dict:
        """The rule as icalendar's vRecur wants it. UNTIL is a DATE for all-day series and, as RFC 5545
        requires when DTSTART has a TZID, the end of the until day as a UTC date-time for timed ones."""
        parts: dict = {"FREQ": self.freq}
        if self.interval != 1:
            parts["INTERVAL"] = self.interval
        if self.freq == "WEEKLY" and self.weekdays:
            parts["BYDAY"] = sorted(self.weekdays, key=WEEKDAYS.index)
        if self.count is not None:
            parts["COUNT"] = self.count
        elif all_day:
            parts["UNTIL"] = self.until
        else:
            end_of_day = datetime.datetime.combine(self.until, datetime.time(23, 59, 59), tzinfo=tz)
            parts["UNTIL"] = end_of_day.astimezone(datetime.UTC)
        return parts

    def with_count(self, count: int | None) -> Recurrence:
        return dataclasses.replace(self, count=count)

    def describe(self) -> str:
        """A short human description, for the lists and the form."""
        names = dict(WEEKDAY_CHOICES)
        if self.freq == "DAILY":
            text = _("daily") if self.interval == 1 else _("every %(n)s days") % {"n": self.interval}
        elif self.freq == "WEEKLY":
            text = _("weekly") if self.interval == 1 else _("every %(n)s weeks") % {"n": self.interval}
            if self.weekdays:
                text += " (" + ", ".join(str(names[d]) for d in sorted(self.weekdays, key=WEEKDAYS.index)) + ")"
        else:
            text = _("monthly") if self.interval == 1 else _("every %(n)s months") % {"n": self.interval}
        if self.count is not None:
            return _("%(rule)s, %(count)s times") % {"rule": text, "count": self.count}
        return _("%(rule)s, until %(date)s") % {"rule": text, "date": self.until.strftime("%d/%m/%Y")}


def _dateutil_rule(recurrence: Recurrence, first: datetime.datetime) -> du.rrule:
    """`first` is naive wall-clock time in the series' zone."""
    kwargs: dict = {"dtstart": first, "interval": recurrence.interval}
    if recurrence.freq == "WEEKLY" and recurrence.weekdays:
        kwargs["byweekday"] = [WEEKDAYS.index(d) for d in recurrence.weekdays]
    if recurrence.count is not None:
        kwargs["count"] = recurrence.count
    else:
        kwargs["until"] = datetime.datetime.combine(recurrence.until, datetime.time.max)
    return du.rrule(FREQUENCIES[recurrence.freq], **kwargs)


def expand(
    recurrence: Recurrence, *, first: datetime.datetime, tz: zoneinfo.ZoneInfo, limit: int = MAX_OCCURRENCES + 1
) -> list[datetime.datetime]:
    """The starts of the occurrences, as aware datetimes, the first one included when the rule matches it.

    Expanded in wall-clock time in `tz`, then each start is placed in `tz` (a wall time that does not
    exist, in the hour skipped in spring, moves forward by the gap). At most `limit` starts.
    """
    local = first.astimezone(tz).replace(tzinfo=None)
    starts = []
    for naive in _dateutil_rule(recurrence, local):
        if len(starts) >= limit:
            break
        starts.append(local_datetime(naive.date(), naive.time(), tz))
    return starts


def validate(recurrence: Recurrence, *, first: datetime.datetime, tz: zoneinfo.ZoneInfo) -> list[datetime.datetime]:
    """Expand and refuse rules that make no occurrence or too many; returns the starts."""
    if recurrence.interval < 1:
        raise ValidationError({"repeat_interval": _("The interval is at least 1.")})
    if recurrence.count is not None and not 1 <= recurrence.count <= MAX_OCCURRENCES:
        raise ValidationError(
            {"repeat_count": _("Between 1 and %(max)s occurrences.") % {"max": MAX_OCCURRENCES}}
        )
    starts = expand(recurrence, first=first, tz=tz)
    if not starts:
        raise ValidationError({"repeat_until": _("This repetition has no occurrence: check its days and end.")})
    if len(starts) > MAX_OCCURRENCES:
        raise ValidationError(
            {"repeat_until": _("At most %(max)s occurrences: choose an earlier end.") % {"max": MAX_OCCURRENCES}}
        )
    return starts
