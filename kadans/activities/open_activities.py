"""A user's open activities ("my activities" and the counters in the navigation), read fast at any size.

They are two disjoint halves (the representative is never a participant): the activities the user is
the representative of, read from the (representative, status, start, end) index, and those the user takes
part in, read from the user's Participation rows. An OR of both halves in one WHERE makes the database
walk every planned activity: SQLite without statistics starts from the status index, PostgreSQL cannot
combine an index with a subquery inside an OR. That costs more than the whole page should, and grows
with the table.

A participation carries a copy of its activity's status, start and end (kept in step by triggers, see
migration activities 0007), so the participant half is read from the (user, activity_status,
activity_start, activity_end, activity) index alone: no look-up of each activity, which on PostgreSQL
cost a random heap page per participation (the benchmark user has about 5,000). The activity itself
is joined only when the list is narrowed by something the copies do not hold: a type, a relation name,
or the all-day flag of a period in another time zone than the company's. Each half then costs what the
user has, whatever the number of activities.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, Window

from kadans.accounts.models import User
from kadans.activities.models import Activity, Participation, due_before
from kadans.activities.rows import rows_of
from kadans.core.time import company_tz, today_bounds

COPIES = {"status": "activity_status", "start": "activity_start", "end": "activity_end"}
"""The activity's columns a Participation holds a copy of, by the name of its own column."""


def _prefixed(q: Q, prefix: str) -> Q:
    """The same conditions on an activity reached through `prefix` ("activity__", from a Participation):
    status, start and end are asked of the participation's copies, anything else of the activity."""
    if not prefix:
        return q
    children = []
    for child in q.children:
        if isinstance(child, Q):
            children.append(_prefixed(child, prefix))
        else:
            lookup, value = child
            field, separator, rest = lookup.partition("__")
            children.append((COPIES[field] + separator + rest if field in COPIES else prefix + lookup, value))
    return Q(*children, _connector=q.connector, _negated=q.negated)


def _starts_before(day: datetime.date, tz, prefix: str) -> Q:
    """models.due_before; when the user's midnight is the company's (the user has no time zone of
    their own, or the same one) all-day and timed activities share one bound, and the condition on the
    start alone is answered from each half's index without reading rows."""
    company = company_tz()
    midnight = datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)
    if midnight == datetime.datetime.combine(day, datetime.time.min, tzinfo=company):
        return _prefixed(Q(start__lt=midnight), prefix)
    return _prefixed(due_before(day, tz), prefix)


def _open_participations(user: User):
    """The user's participations in planned activities, from the participation's copy of the status."""
    return Participation.objects.filter(user=user, activity_status=Activity.Status.PLANNED)


def _counts(prefix: str, base: Q, *, today_start: datetime.datetime) -> dict:
    today, tz = today_start.date(), today_start.tzinfo
    before_today = _starts_before(today, tz, prefix)
    before_tomorrow = _starts_before(today + datetime.timedelta(days=1), tz, prefix)
    # counted: a column of the index each half is read from (start of (representative, status, start, end),
    # activity of the participation's (user, activity_status, activity_start, activity_end, activity)),
    # not the id, so that PostgreSQL need not visit the rows for it
    counted = "activity_id" if prefix else "start"
    return {
        "overdue": Count(counted, filter=base & before_today),
        "today": Count(counted, filter=base & ~before_today & before_tomorrow),
        "upcoming": Count(counted, filter=base & ~before_tomorrow),
    }


def open_activity_counts(
    user: User, *, today_start: datetime.datetime, tomorrow_start: datetime.datetime | None = None,
    where: Q | None = None,
) -> dict:
    """How many open activities the user has overdue, today and later (by due date in the user's time
    zone, see models.due_before), optionally narrowed by `where` (conditions on the activity, as
    kadans.activities.filters.MyActivitiesFilterSet gives them). One query: both halves in a UNION ALL of
    two aggregates."""
    where = where or Q()
    rep = (
        Activity.objects.filter(where, representative=user, status=Activity.Status.PLANNED)
        .order_by().values("representative_id")
        .annotate(**_counts("", Q(), today_start=today_start))
        .values_list("overdue", "today", "upcoming")
    )
    part = (
        _open_participations(user).filter(_prefixed(where, "activity__")).order_by().values("user_id")
        .annotate(**_counts("activity__", Q(), today_start=today_start))
        .values_list("overdue", "today", "upcoming")
    )
    result = {"overdue": 0, "today": 0, "upcoming": 0}
    for row in rep.union(part, all=True):
        for key, value in zip(result, row, strict=True):
            result[key] += value
    return result


class OpenActivities:
    """The user's open activities, overdue first then by due date, as a sequence for Paginator.

    Reading a page takes four queries, each bounded by the user's own activities: the first `stop` keys
    (start, id) of each half and their counts (overdue, today, later) — the participant half counted in a
    window over the same scan, the representative half from its index — and the rows of the page with
    their joins. The counts are the counters above the list and the paginator's length; `prefetch` (the
    end of the page about to be shown) lets the first read fetch the keys that page needs, so that
    counting costs no scan of the participations of its own.
    """

    def __init__(
        self, user: User, *, today_start: datetime.datetime, tomorrow_start: datetime.datetime | None = None,
        prefetch: int = 50, where: Q | None = None,
    ):
        """`where`: conditions on the activity that narrow the list (MyActivitiesFilterSet's, as a Q: each
        half applies them on its own path to the activity)."""
        self.user = user
        self.today_start = today_start
        self.where = where or Q()
        self._prefetch = max(1, prefetch)
        self._keys: list[tuple] = []
        self._fetched = 0
        self._counts: dict | None = None

    def _read_keys(self, stop: int) -> None:
        mine = Activity.objects.filter(self.where, representative=self.user, status=Activity.Status.PLANNED)
        rep_keys = list(mine.order_by("start", "id").values_list("start", "id")[:stop])
        # counted apart: both come from the (representative, status, start, end) index alone, where a window
        # over the keys would make SQLite sort the whole half
        counts = mine.order_by().aggregate(**_counts("", Q(), today_start=self.today_start))
        part_counts = _counts("activity__", Q(), today_start=self.today_start)
        part = list(
            _open_participations(self.user)
            .filter(_prefixed(self.where, "activity__"))
            .annotate(**{name: Window(count) for name, count in part_counts.items()})
            .order_by("activity_start", "activity_id")
            .values_list("activity_start", "activity_id", *part_counts)[:stop]
        )
        if part:  # the window counts the whole half, whatever the limit
            for name, value in zip(counts, part[0][2:], strict=True):
                counts[name] += value
        self._keys = sorted(rep_keys + [(when, pk) for when, pk, *_counted in part])
        self._fetched, self._counts = stop, counts

    def counts(self) -> dict:
        """Overdue, today and later, as open_activity_counts counts them."""
        if self._counts is None:
            self._read_keys(self._prefetch)
        return self._counts

    def count(self) -> int:
        return sum(self.counts().values())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list:  # of kadans.activities.rows.Row
        if not isinstance(index, slice) or index.step not in (None, 1) or (index.start or 0) < 0:
            raise TypeError("OpenActivities supports forward slices only")
        start = index.start or 0
        stop = self.count() if index.stop is None else index.stop
        if stop <= start:
            return []
        if self._counts is None or stop > self._fetched:
            self._read_keys(stop)
        ids = [pk for _when, pk in self._keys[start:stop]]
        if not ids:
            return []
        return rows_of(Activity.objects.filter(pk__in=ids).order_by("start", "id"))


def nav_counters(user: User) -> dict:
    """Overdue, today and upcoming for the navigation, by the user's today: shown by "my activities" with
    its list, and fetched with the notification bell on every other page (when it loads and each minute),
    so that a page does not wait for them."""
    today_start, tomorrow_start = today_bounds()
    return open_activity_counts(user, today_start=today_start, tomorrow_start=tomorrow_start)
