"""Reads for the CalDAV server: a user's calendars, the resources in each with their ETags, and the
activities behind them.

A calendar is a view on activities, never a copy:
- `own`: the activities the user is the representative of, plus the events a calendar app created there
  that wait for a relation (ClientEvent without activity). The only calendar a client may write to.
- `participations`: the activities the user takes part in (read-only).
- `user-<id>`: for a sales manager, each team member's own calendar; for an administrator, everyone's
  (kadans.accounts.permissions.visible_representatives); read-only.

Planned and done activities are resources; cancelled ones are not (a cancelled activity is removed from
the calendar, so that an event deleted in a calendar app, which cancels its activity, stays deleted
there). A single activity is one resource `activity-<id>.ics` (UID `activity-<id>@kadans`, as the
iCalendar feed); a repeating series is one resource `series-<id>.ics` holding its rule, its EXDATEs and
its RECURRENCE-ID overrides (UID `series-<id>@kadans`). An activity made from a client's event keeps the
client's resource name and UID.

The ETag of a resource is a hash of every value its rendering shows (and `updated_at`, which every write
of an activity service moves), read in one query for the whole calendar: whatever route changed the
activity, its ETag changes.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
from collections.abc import Iterable

from django.db.models import Q

from kadans.accounts.models import User
from kadans.accounts.permissions import visible_representatives
from kadans.activities.models import Activity
from kadans.caldav.models import ClientEvent, EventAlarm
from kadans.relations.selectors import visible_relations

SHOWN_STATUSES = [Activity.Status.PLANNED, Activity.Status.DONE]

ETAG_FIELDS = [
    "pk", "updated_at", "status", "start", "end", "all_day", "summary", "note", "series_id", "recurrence_id",
    "series__rrule", "type__name", "relation__name", "relation__street", "relation__postal_code",
    "relation__city", "contact__first_name", "contact__last_name", "contact__phone", "contact__email",
    "representative__first_name", "representative__last_name", "representative__username",
]
"""Everything the rendered event shows (see kadans.calendars.ical), read as rows: the ETag's input."""
_PK, _START, _END, _SERIES = 0, 3, 4, 8


@dataclasses.dataclass(frozen=True)
class Calendar:
    owner: User
    """The user whose calendar home this is: the one asking (nobody reads another's home)."""
    slug: str
    subject: User
    """Whose activities it shows."""

    @property
    def kind(self) -> str:
        return self.slug if self.slug in ("own", "participations") else "member"

    @property
    def writable(self) -> bool:
        return self.slug == "own"

    @property
    def key(self) -> str:
        return f"{self.owner.pk}:{self.slug}"

    def activities(self):
        if self.kind == "participations":
            # the participation's copy of the status (see Participation) keeps this on its index
            return Activity.objects.filter(
                participation__user=self.subject, participation__activity_status__in=SHOWN_STATUSES
            )
        return Activity.objects.filter(representative=self.subject, status__in=SHOWN_STATUSES)


@dataclasses.dataclass
class Resource:
    name: str
    uid: str
    etag: str
    start: datetime.datetime | None
    end: datetime.datetime | None
    activity_ids: list[int] = dataclasses.field(default_factory=list)
    series_id: int | None = None
    client_event: ClientEvent | None = None
    """For an event that waits for its relation: served as the client sent it."""
    alarms: str = ""
    """The VALARMs the owner's calendar app set on it (EventAlarm)."""

    @property
    def is_unlinked(self) -> bool:
        return self.client_event is not None and not self.activity_ids


def user_calendars(user: User) -> list[Calendar]:
    """The calendars in the user's home: their own, their participations, and those of the users whose
    numbers they see (a manager's team members, everyone for an administrator). Two queries at most."""
    calendars = [Calendar(user, "own", user), Calendar(user, "participations", user)]
    others = visible_representatives(user).filter(is_active=True).exclude(pk=user.pk).order_by("username")
    if not user.is_administrator and not user.is_manager:
        return calendars
    calendars += [Calendar(user, f"user-{other.pk}", other) for other in others]
    return calendars


def user_calendar(user: User, slug: str) -> Calendar | None:
    if slug in ("own", "participations"):
        return Calendar(user, slug, user)
    if slug.startswith("user-") and slug[5:].isdigit():
        other = visible_representatives(user).filter(is_active=True, pk=int(slug[5:])).exclude(pk=user.pk).first()
        if other is not None and (user.is_administrator or user.is_manager):
            return Calendar(user, slug, other)
    return None


def _hash(*parts) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def _resource_filter(calendar: Calendar, name: str) -> tuple[Q | None, bool]:
    """Which activities a resource name can be, and whether client events must be read too."""
    stem = name.removesuffix(".ics")
    for prefix, field in (("activity-", "pk"), ("series-", "series_id")):
        if stem.startswith(prefix) and stem[len(prefix):].isdigit():
            return Q(**{field: int(stem[len(prefix):])}), calendar.kind == "own"
    if calendar.kind != "own":
        return None, False
    event = (ClientEvent.objects.filter(user=calendar.owner, name=name)
             .values("activity_id", "activity__series_id").first())
    if event is None:
        return None, False
    if event["activity__series_id"]:
        return Q(series_id=event["activity__series_id"]), True
    return Q(pk=event["activity_id"] or 0), True


def calendar_resources(calendar: Calendar, *, name: str | None = None) -> dict[str, Resource]:
    """The calendar's resources by name, with their ETags and periods; only the one called `name` when
    given. Three queries (four for one name of a client's event), whatever the number of activities."""
    qs = calendar.activities()
    read_clients = calendar.kind == "own"
    if name is not None:
        where, read_clients = _resource_filter(calendar, name)
        if where is None:
            return {}
        qs = qs.filter(where)
    rows = list(qs.order_by().values_list(*ETAG_FIELDS))
    tz_name = calendar.owner.time_zone
    clients: dict = {}
    unlinked: list[ClientEvent] = []
    alarms: dict = {}
    if calendar.writable:
        for activity_id, series_id, text in EventAlarm.objects.filter(user=calendar.owner).values_list(
            "activity_id", "series_id", "ical"
        ):
            alarms[("s", series_id) if series_id else ("a", activity_id)] = text
    if read_clients:
        for event in ClientEvent.objects.filter(user=calendar.owner).select_related("activity"):
            if event.activity_id is None:
                unlinked.append(event)
            else:
                key = ("s", event.activity.series_id) if event.activity.series_id else ("a", event.activity_id)
                clients[key] = event

    groups: dict[tuple, list] = {}
    for row in rows:
        key = ("s", row[_SERIES]) if row[_SERIES] else ("a", row[_PK])
        groups.setdefault(key, []).append(row)
    resources = {}
    for key, group in groups.items():
        kind, pk = key
        default = f"activity-{pk}" if kind == "a" else f"series-{pk}"
        client = clients.get(key)
        resource = Resource(
            name=client.name if client else f"{default}.ics",
            uid=client.uid if client else f"{default}@kadans",
            etag=_hash(tz_name, sorted(group), alarms.get(key, "")),
            start=min(r[_START] for r in group), end=max(r[_END] for r in group),
            activity_ids=[r[_PK] for r in group], series_id=pk if kind == "s" else None,
            client_event=client, alarms=alarms.get(key, ""),
        )
        resources[resource.name] = resource
    for event in unlinked:
        resources[event.name] = Resource(
            name=event.name, uid=event.uid, etag=_hash(event.pk, event.updated_at, event.ical),
            start=event.start, end=event.start, client_event=event,
        )
    if name is not None:
        return {name: resources[name]} if name in resources else {}
    return resources


def overlapping(resources: Iterable[Resource], start: datetime.datetime | None, end: datetime.datetime | None):
    """The resources with an occurrence in [start, end) (a calendar-query's time-range); an unlinked
    event is taken by its start (a day long at least), and always matches without one."""
    for resource in resources:
        if resource.start is None:
            yield resource
            continue
        last_end = resource.end + datetime.timedelta(days=1)  # all-day ends are midnights of the last day
        if (start is None or last_end > start) and (end is None or resource.start < end):
            yield resource


MAX_IDS = 500
"""Past this many activities the whole calendar is read instead of a list of ids (which SQLite and the
query planner handle badly at thousands of parameters)."""


def activities_for(calendar: Calendar, resources: Iterable[Resource]) -> dict[int, Activity]:
    """The activities behind `resources`, with everything their rendering reads: one query."""
    ids = [pk for r in resources for pk in r.activity_ids]
    if not ids:
        return {}
    qs = calendar.activities() if len(ids) > MAX_IDS else Activity.objects.filter(pk__in=ids)
    qs = qs.select_related("type", "relation", "contact", "representative", "series").order_by()
    wanted = set(ids)
    return {a.pk: a for a in qs if a.pk in wanted}


def unlinked_events(user: User) -> list[ClientEvent]:
    """The events a calendar app created in the user's calendar that wait for their relation."""
    return list(ClientEvent.objects.filter(user=user, activity__isnull=True).order_by("start", "id"))


def unlinked_count(user: User) -> int:
    return ClientEvent.objects.filter(user=user, activity__isnull=True).count()


def relation_names(user: User, limit: int = 500) -> list[str]:
    """Names to suggest when linking: the user's own relations first (at most `limit`)."""
    qs = visible_relations(user).filter(representative=user).order_by("name")
    return list(qs.values_list("name", flat=True)[:limit])
