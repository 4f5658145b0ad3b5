"""Reads for calendars: whose calendar a user may open, and the activities in a period or a feed.

A calendar shows the activities of a user as representative or participant, or of a team's members.
Planned, done and cancelled activities all show (cancelled ones greyed out and struck through, so that
the calendar tells the same story as the history). Each read is two queries, one per half, so that each
half runs on its own index: the activity's (representative, status, start, end), and the participation's
(user, activity_status, activity_start, activity_end, activity), whose copies of the activity's status,
start and end (see Participation) find the user's activities in the period without looking up any
other. An OR of both in one query would make the database scan one of them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Count, Max, QuerySet

from kadans.accounts.models import Team, User
from kadans.activities.models import Activity, Participation

CALENDAR_STATUSES = [Activity.Status.PLANNED, Activity.Status.DONE, Activity.Status.CANCELLED]
"""Named explicitly: `status IN (...)` lets the (representative, status, start, end) index range over start."""

MAX_SPAN = datetime.timedelta(days=92)
"""Activities are found by their start, from this long before the period: an activity that lasts longer
than three months shows only in periods that begin within three months of its start."""

FEED_PAST = datetime.timedelta(days=92)
"""The iCalendar feed covers about three months back and all of the future."""

EVENT_FIELDS = [
    "pk", "start", "end", "all_day", "status", "summary", "series_id", "type__name", "type__color",
    "relation__name", "representative_id", "representative__first_name", "representative__last_name",
    "representative__username", "representative__team_id",
]
"""What an event of the calendar shows and its editable flag needs: read as rows, not model instances."""


def _halves(*, user: User | None, team: Team | None, **where) -> tuple[QuerySet[Activity], QuerySet[Activity]]:
    """The representative half and the participant half of a calendar, with the conditions `where`
    (lookups on the activity's status, start and end): on the activity in the first half, on the
    participation's copies of them in the second, in the same filter() as its user so that both are
    asked of one participation (one join)."""
    copies = {f"participation__activity_{lookup}": value for lookup, value in where.items()}
    if team is not None:
        members = User.objects.filter(team=team).values("pk")
        return (
            Activity.objects.filter(representative_id__in=members, **where),
            Activity.objects.filter(participation__user_id__in=members, **copies),
        )
    return (
        Activity.objects.filter(representative=user, **where),
        Activity.objects.filter(participation__user=user, **copies),
    )


def _unique(*parts: Iterable) -> list:
    seen: set[int] = set()
    result = []
    for part in parts:
        for activity in part:
            if activity.pk not in seen:
                seen.add(activity.pk)
                result.append(activity)
    return result


def calendar_activities(
    *, start: datetime.datetime, end: datetime.datetime, user: User | None = None, team: Team | None = None
) -> tuple[list, set[int]]:
    """The activities of `user` (or of `team`) that overlap [start, end), as rows of EVENT_FIELDS (named
    tuples: `row.pk`, `row.type__name` …); and the ids of those found through a participation. Two queries.

    An all-day activity ends at midnight of its last day, so it is looked for until a day after its end.
    """
    halves = _halves(
        user=user, team=team, status__in=CALENDAR_STATUSES, start__gte=start - MAX_SPAN, start__lt=end,
        end__gt=start - datetime.timedelta(days=1),
    )
    by_rep, by_participation = (qs.order_by().values_list(*EVENT_FIELDS, named=True) for qs in halves)
    participations = list(by_participation)
    return _unique(by_rep, participations), {a.pk for a in participations}


def participating_ids(user: User, activity_ids: Iterable[int]) -> set[int]:
    return set(
        Participation.objects.filter(user=user, activity_id__in=list(activity_ids))
        .values_list("activity_id", flat=True)
    )


def feed_activities(*, since: datetime.datetime, user: User | None = None, team: Team | None = None) -> list[Activity]:
    """What a feed exports: activities from `since` on, with what the event text needs. Two queries."""
    halves = _halves(user=user, team=team, status__in=CALENDAR_STATUSES, start__gte=since)
    return _unique(*(
        qs.select_related("type", "relation", "contact", "representative", "series").order_by() for qs in halves
    ))


def feed_version(*, since: datetime.datetime, user: User | None = None, team: Team | None = None) -> tuple:
    """What changes when the feed's content changes: the latest change and the number of its activities
    (a removed occurrence lowers it). Two small aggregate queries, for the 304 answer to calendar apps
    that poll every few minutes."""
    result = []
    for qs in _halves(user=user, team=team, status__in=CALENDAR_STATUSES, start__gte=since):
        row = qs.aggregate(changed=Max("updated_at"), count=Count("id"))
        result.append((row["changed"], row["count"]))
    return tuple(result)
