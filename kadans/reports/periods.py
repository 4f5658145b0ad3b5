"""Report periods: whole days in the company time zone, and the months or weeks they split into.

A report reads the same for everyone, whatever their own time zone: an all-day action is a date in the
company time zone (see Activity), so its period is too. A period is split into months or weeks by a SQL
CASE over the boundaries computed here, rather than by TruncMonth/TruncWeek: the boundaries are exact
across daylight saving time, the expression is identical on SQLite and PostgreSQL, and SQLite needs no
per-row Python function to convert time zones.
"""

from __future__ import annotations

import dataclasses
import datetime

from django.db.models import Case, IntegerField, Q, Value, When

from kadans.core.time import company_tz

MAX_DAYS = 3661
"""The longest period a report accepts: ten years (and a leap day or two)."""


def midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=company_tz())


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


@dataclasses.dataclass(frozen=True)
class Buckets:
    """A period split into consecutive parts: `expression` numbers a row's part (0, 1, ...) in SQL,
    `starts[i]` is the first day of the calendar month or week of part i."""

    expression: Case | Value
    starts: list[datetime.date]
    parts: list[Period]


@dataclasses.dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    """The last day, included."""

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """From midnight of the first day up to (not including) midnight after the last day."""
        return midnight(self.start), midnight(self.end + datetime.timedelta(days=1))

    def q(self, field: str) -> Q:
        """Rows whose datetime `field` falls in the period."""
        lower, upper = self.bounds()
        return Q(**{f"{field}__gte": lower, f"{field}__lt": upper})

    def months(self, field: str) -> Buckets:
        starts = [month_start(self.start)]
        while (following := next_month(starts[-1])) <= self.end:
            starts.append(following)
        return self._buckets(field, starts, next_month)

    def weeks(self, field: str) -> Buckets:
        starts = [week_start(self.start)]
        while (following := starts[-1] + datetime.timedelta(days=7)) <= self.end:
            starts.append(following)
        return self._buckets(field, starts, lambda day: day + datetime.timedelta(days=7))

    def _buckets(self, field: str, starts: list[datetime.date], step) -> Buckets:
        # Only rows inside the period are bucketed, so the first part needs no lower bound and the
        # last one is the ELSE.
        whens = [When(**{f"{field}__lt": midnight(s)}, then=Value(i)) for i, s in enumerate(starts[1:])]
        expression = Case(*whens, default=Value(len(starts) - 1), output_field=IntegerField())
        parts = [
            Period(max(s, self.start), min(step(s) - datetime.timedelta(days=1), self.end)) for s in starts
        ]
        return Buckets(expression=expression, starts=starts, parts=parts)


def this_year(today: datetime.date) -> Period:
    return Period(today.replace(month=1, day=1), today.replace(month=12, day=31))


def this_month(today: datetime.date) -> Period:
    return Period(month_start(today), next_month(today) - datetime.timedelta(days=1))


def this_quarter(today: datetime.date) -> Period:
    first = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
    return Period(first, next_month(next_month(next_month(first))) - datetime.timedelta(days=1))


def this_week(today: datetime.date) -> Period:
    monday = week_start(today)
    return Period(monday, monday + datetime.timedelta(days=6))


def recent_weeks(today: datetime.date, count: int = 12) -> Period:
    """The last `count` weeks, this one included, Monday to Sunday."""
    monday = week_start(today)
    return Period(monday - datetime.timedelta(weeks=count - 1), monday + datetime.timedelta(days=6))
