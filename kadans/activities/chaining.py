"""When the next activity is due, and what a completed activity suggests or triggers.

The due-date rule lives in one function, `next_start`, so that completion, the suggestion list, plans
and the API all agree.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime
import zoneinfo

from kadans.activities.models import Activity, ActivityType
from kadans.core.time import local_datetime

DEFAULT_TIME_OF_DAY = datetime.time(9, 0)


def add_delay(day: datetime.date, count: int, unit: str) -> datetime.date:
    """`day` plus `count` days, weeks or months (count may be negative). Months clamp to the month's
    end: 31 January + 1 month is 28 February, or 29 in a leap year."""
    if unit == ActivityType.DelayUnit.DAYS:
        return day + datetime.timedelta(days=count)
    if unit == ActivityType.DelayUnit.WEEKS:
        return day + datetime.timedelta(weeks=count)
    if unit == ActivityType.DelayUnit.MONTHS:
        months = day.year * 12 + (day.month - 1) + count
        year, month = divmod(months, 12)
        month += 1
        return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
    raise ValueError(f"unknown delay unit {unit!r}")


@dataclasses.dataclass(frozen=True)
class NextSchedule:
    activity_type: ActivityType
    due_date: datetime.date
    all_day: bool
    start: datetime.datetime | None
    """The start for a timed activity (None when all-day)."""

    @property
    def start_value(self) -> datetime.date | datetime.datetime:
        return self.due_date if self.all_day else self.start


def next_start(
    *,
    after: Activity,
    next_type: ActivityType,
    completed_at: datetime.datetime,
    tz: zoneinfo.ZoneInfo,
) -> NextSchedule:
    """When the activity that follows `after` is due, by the delay settings of `after`'s type.

    The delay counts from the day `after` was completed (in the completing user's time zone `tz`) or
    from `after`'s own due date, as the type says. The next activity is timed when its type is a call
    or a meeting, at the time of day `after` had when that was timed, else at 09:00, in `tz`; otherwise
    it is all-day.
    """
    rule = after.type
    if rule.delay_from == ActivityType.DelayFrom.DEADLINE:
        # an all-day deadline is a date in the company time zone; a timed one is read in `tz`
        base = after.due_date if after.all_day else after.start.astimezone(tz).date()
    else:
        base = completed_at.astimezone(tz).date()
    due = add_delay(base, rule.delay_count, rule.delay_unit)
    if not next_type.is_calendar_item:
        return NextSchedule(next_type, due, True, None)
    time_of_day = DEFAULT_TIME_OF_DAY if after.all_day else after.start.astimezone(tz).time()
    start = local_datetime(due, time_of_day, tz)
    return NextSchedule(next_type, start.date(), False, start)


def suggestions_for(activity: Activity, *, completed_at: datetime.datetime, tz) -> list[NextSchedule]:
    """The next activities a completed activity's type suggests, each with its computed date."""
    if activity.type.chaining != ActivityType.Chaining.SUGGEST:
        return []
    return [
        next_start(after=activity, next_type=t, completed_at=completed_at, tz=tz)
        for t in activity.type.suggested_types.filter(active=True)
    ]


@dataclasses.dataclass(frozen=True)
class ChainEdge:
    source: ActivityType
    target: ActivityType
    kind: str  # "suggest" or "trigger"
    in_cycle: bool


def chain_edges(types: list[ActivityType]) -> list[ChainEdge]:
    """Which type suggests or triggers which, each edge marked when it lies on a cycle (a chain that
    comes back to where it started: allowed, and shown as such on the settings page)."""
    by_id = {t.pk: t for t in types}
    raw: list[tuple[int, int, str]] = []
    for t in types:
        if t.chaining == ActivityType.Chaining.TRIGGER and t.triggered_type_id in by_id:
            raw.append((t.pk, t.triggered_type_id, "trigger"))
        elif t.chaining == ActivityType.Chaining.SUGGEST:
            raw.extend((t.pk, s.pk, "suggest") for s in t.suggested_types.all() if s.pk in by_id)
    successors: dict[int, set[int]] = {}
    for source, target, _kind in raw:
        successors.setdefault(source, set()).add(target)

    def reaches(start: int, goal: int) -> bool:
        seen, stack = set(), [start]
        while stack:
            node = stack.pop()
            if node == goal:
                return True
            if node not in seen:
                seen.add(node)
                stack.extend(successors.get(node, ()))
        return False

    return [ChainEdge(by_id[s], by_id[t], kind, reaches(t, s)) for s, t, kind in raw]
