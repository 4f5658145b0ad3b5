"""Writes of the CalDAV server: the sync state of a calendar, and the changes a calendar app sends, which go
through the activity services with the same permission checks as every page.

Sync (RFC 6578): `sync_refresh` compares the calendar as it is now (its resources' ETags) with the
entries recorded at the last look; what differs gets the next change number, what is gone a tombstone.
Comparing catches every route a change can take (a page, the API, an import, a series split that
deletes rows, a relation renamed), so it needs no event from the domain services.
"""

from __future__ import annotations

import datetime
import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from kadans.accounts.models import User
from kadans.accounts.permissions import can_edit_activity
from kadans.activities import services as activity_services
from kadans.activities.models import Activity, ActivityType
from kadans.activities.recurrence import Recurrence
from kadans.caldav import ics
from kadans.caldav.models import ClientEvent, EventAlarm, SyncCollection, SyncEntry
from kadans.caldav.selectors import Calendar, Resource
from kadans.calendars import ical
from kadans.relations.models import Contact, Relation
from kadans.relations.selectors import visible_relations

REMOVED_REASON = "removed from calendar"


class ReadOnly(Exception):
    """The resource cannot be changed from a calendar app (403)."""


def _fingerprint(resources: dict[str, Resource]) -> str:
    return hashlib.sha256(repr(sorted((n, r.etag) for n, r in resources.items())).encode()).hexdigest()


@transaction.atomic
def sync_refresh(*, calendar: Calendar, resources: dict[str, Resource]) -> int:
    """Record the calendar's current resources (all of them, as calendar_resources gives them) and return
    its change number, the sync-token. An unchanged calendar costs two queries and writes nothing."""
    collection, _created = SyncCollection.objects.get_or_create(key=calendar.key)
    fingerprint = _fingerprint(resources)
    # one refresh at a time per calendar: two would hand out the same change number for different changes
    collection = SyncCollection.objects.select_for_update().get(pk=collection.pk)
    if collection.fingerprint == fingerprint:
        return collection.seq
    seq = collection.seq + 1
    known = {name: (pk, etag, deleted) for pk, name, etag, deleted in
             SyncEntry.objects.filter(collection=collection).values_list("pk", "name", "etag", "deleted")}
    new, changed, gone = [], [], []
    for name, resource in resources.items():
        entry = known.get(name)
        if entry is None:
            new.append(SyncEntry(collection=collection, name=name, etag=resource.etag, seq=seq))
        elif entry[2] or entry[1] != resource.etag:
            changed.append(SyncEntry(pk=entry[0], etag=resource.etag, seq=seq, deleted=False))
    for name, (pk, _etag, deleted) in known.items():
        if name not in resources and not deleted:
            gone.append(pk)
    SyncEntry.objects.bulk_create(new, batch_size=2000)
    SyncEntry.objects.bulk_update(changed, ["etag", "seq", "deleted"], batch_size=2000)
    if gone:
        SyncEntry.objects.filter(collection=collection, pk__in=gone).update(deleted=True, seq=seq)
    collection.seq, collection.fingerprint = seq, fingerprint
    collection.save(update_fields=["seq", "fingerprint"])
    return seq


# ---------------------------------------------------------------------------------------------------
# Changes from a calendar app


def _summary_from(text: str, activity: Activity) -> str:
    """The activity's summary from the event's SUMMARY, which the feed writes as "[✓ ]summary — relation"."""
    text = text.strip().removeprefix("✓").strip()
    suffix = f" — {activity.relation.name}"
    if text.endswith(suffix):
        text = text[: -len(suffix)].strip()
    return text


def _note_from(description: str, activity: Activity, url: str) -> str:
    """The note from the event's DESCRIPTION, which the feed writes as lines about the relation, contact,
    type and representative, an empty line, the note, an empty line and the link: those lines are
    dropped where the client left them."""
    note = activity.note
    activity.note = ""
    try:
        header = ical.event_description(activity, url).split("\n")[:-2]
    finally:
        activity.note = note
    lines = description.replace("\r\n", "\n").split("\n")
    for line in header:
        if lines and lines[0].strip() == line.strip():
            lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    if lines and lines[-1].strip() == url:
        lines.pop()
    return "\n".join(lines).strip()


def _changes(activity: Activity, data: ics.EventData, url: str) -> dict:
    """activity_update's arguments for what the event changed of the activity."""
    changes: dict = {}
    if data.all_day != activity.all_day:
        changes.update(all_day=data.all_day, start=data.start, end=data.end)
    elif data.all_day:
        if (data.start, data.end) != (activity.due_date, activity.end_date):
            changes.update(start=data.start, end=data.end)
    elif (data.start, data.end) != (activity.start, activity.end):
        changes.update(start=data.start, end=data.end)
    summary = _summary_from(data.summary, activity)
    if summary != (activity.summary or str(activity.type)):
        changes["summary"] = summary[:200]
    if data.description is not None:
        note = _note_from(data.description, activity, url)
        if note != activity.note.strip():
            changes["note"] = note
    return changes


def _apply(activity: Activity, data: ics.EventData, *, user: User, url: str) -> None:
    changes = _changes(activity, data, url)
    if not changes and data.status != "CANCELLED":
        return  # e.g. an app saving its own alarm or SEQUENCE on a done action: nothing of Kadans changes
    if not can_edit_activity(user, activity) or activity.status != Activity.Status.PLANNED:
        raise ReadOnly(_("This action cannot be changed from a calendar app."))
    if data.status == "CANCELLED":
        activity_services.activity_cancel(activity=activity, user=user, reason=REMOVED_REASON)
        return
    if changes:
        activity_services.activity_update(activity=activity, user=user, **changes)


def _same_moment(a, b) -> bool:
    if isinstance(a, datetime.datetime) and isinstance(b, datetime.datetime):
        return a == b
    if isinstance(a, datetime.datetime) or isinstance(b, datetime.datetime):
        return False
    return a == b


@transaction.atomic
def resource_put(
    *, user: User, resource: Resource, activities: dict[int, Activity], body: bytes, links: ical.Links,
    current_master: dict | None = None,
) -> None:
    """Apply a changed event to the activities of `resource`, through the activity services.

    A single activity: its period (timed or all-day as the event has it), summary and note; STATUS
    CANCELLED cancels it. A series: each RECURRENCE-ID override changes that occurrence only ("this one"),
    each new EXDATE cancels that occurrence; a change of the rule itself (RRULE or the master's start) is
    refused, as are done occurrences. An event still waiting for its relation is replaced, and linked
    when its relation can now be told."""
    tz = user.tzinfo
    _cal, events = ics.parse(body)
    if events[0].get("uid") is not None and str(events[0]["uid"]) != resource.uid:
        raise ics.BadEvent("the UID of a resource cannot change")
    if resource.is_unlinked:
        _client_event_store(user=user, event=resource.client_event, body=body, events=events)
        return
    rows = [activities[pk] for pk in resource.activity_ids]
    if resource.series_id is None:
        data = ics.event_data(events[0], tz)
        if data.rrule is not None or len(events) > 1:
            raise ReadOnly(_("A single action cannot be made repeating from a calendar app."))
        _apply(rows[0], data, user=user, url=links.activity(rows[0]))
        _alarms_store(user=user, activity=rows[0], master=events[0], current=resource.alarms)
        return
    series = rows[0].series
    master = next((e for e in events if e.get("recurrence-id") is None), None)
    if master is not None and current_master is not None:
        data = ics.event_data(master, series.tzinfo)
        if data.rrule != current_master["rrule"] or not _same_moment(data.start, current_master["start"]):
            raise ReadOnly(_("Change a repeating action one occurrence at a time in a calendar app, or in Kadans."))
        by_slot = {ical.slot_value(series, a.recurrence_id): a for a in rows}
        for exdate in set(data.exdates) - set(current_master["exdates"]):
            row = by_slot.get(exdate if series.all_day else exdate.astimezone(series.tzinfo))
            if row is not None and row.status == Activity.Status.PLANNED:
                _apply(row, _cancelled(data), user=user, url=links.activity(row))
    if master is not None:
        _alarms_store(user=user, series=series, master=master, current=resource.alarms)
    by_instant = {a.recurrence_id: a for a in rows}
    by_day = {ical.slot_value(series, a.recurrence_id): a for a in rows} if series.all_day else {}
    for override in events:
        if override.get("recurrence-id") is None:
            continue
        data = ics.event_data(override, series.tzinfo)
        rid = data.recurrence_id
        row = by_instant.get(rid) if isinstance(rid, datetime.datetime) else by_day.get(rid)
        if row is None and isinstance(rid, datetime.datetime) and series.all_day:
            row = by_day.get(rid.astimezone(series.tzinfo).date())
        if row is None:
            continue
        if row.status != Activity.Status.PLANNED:
            continue  # done occurrences are records; the client only re-sends what it was given
        changes = _changes(row, data, links.activity(row))
        if changes or data.status == "CANCELLED":
            _apply(row, data, user=user, url=links.activity(row))


def _alarms_store(*, user: User, master, current: str, activity=None, series=None) -> None:
    """Keep the alarms the app set on the event (Kadans has no reminder time of its own on an activity)."""
    text = b"".join(c.to_ical() for c in master.subcomponents if c.name == "VALARM").decode("utf-8")
    if text == current:
        return
    where = {"user": user, "activity": activity} if activity is not None else {"user": user, "series": series}
    if text:
        EventAlarm.objects.update_or_create(**where, defaults={"ical": text})
    else:
        EventAlarm.objects.filter(**where).delete()


def _cancelled(data: ics.EventData) -> ics.EventData:
    data.status = "CANCELLED"
    return data


@transaction.atomic
def resource_delete(*, user: User, resource: Resource, activities: dict[int, Activity]) -> None:
    """Deleting an event in a calendar app cancels its activity (a series: its planned occurrences) with
    the reason "removed from calendar"; nothing is deleted, done activities stay as they are. An event
    still waiting for its relation was only the app's, and goes."""
    if resource.is_unlinked:
        resource.client_event.delete()
        return
    rows = [activities[pk] for pk in resource.activity_ids]
    if any(not can_edit_activity(user, a) for a in rows):
        raise ReadOnly(_("This action cannot be changed from a calendar app."))
    planned = [a for a in rows if a.status == Activity.Status.PLANNED]
    if not planned:
        raise ReadOnly(_("A done action stays in the history: it cannot be removed from a calendar app."))
    for activity in planned:
        activity_services.activity_cancel(activity=activity, user=user, reason=REMOVED_REASON)


# ---------------------------------------------------------------------------------------------------
# Events created in a calendar app


def _relation_line_names() -> set[str]:
    return {"relation", "relatie", _("Relation").lower()}


def relation_from_event(*, user: User, data: ics.EventData) -> tuple[Relation | None, Contact | None]:
    """The relation an event created in a calendar app is about, when it can be told: a "Relation: <name>"
    line in its description, a relation whose name is its LOCATION, or the relation of the one contact
    among its ATTENDEEs (by e-mail address). Only a name that fits one relation the user may see counts."""
    relations = visible_relations(user)
    names = []
    for line in (data.description or "").splitlines():
        word, sep, rest = line.partition(":")
        if sep and word.strip().lower() in _relation_line_names() and rest.strip():
            names.append(rest.strip())
    if data.location:
        names.append(data.location)
    for name in names:
        found = list(relations.filter(name__iexact=name)[:2])
        if len(found) == 1:
            return found[0], None
    if data.attendees:
        q = Q()
        for email in data.attendees:
            q |= Q(email__iexact=email)
        contacts = list(Contact.objects.filter(q, relation__in=relations).select_related("relation")[:10])
        if len({c.relation_id for c in contacts}) == 1:
            return contacts[0].relation, contacts[0] if len(contacts) == 1 else None
    return None, None


def _type_for(all_day: bool) -> ActivityType | None:
    wanted = ActivityType.Kind.TODO if all_day else ActivityType.Kind.MEETING
    active = ActivityType.objects.filter(active=True).order_by("order", "name")
    return active.filter(kind=wanted).first() or active.first()


def _note_without_relation_line(description: str | None) -> str:
    lines = [line for line in (description or "").splitlines()
             if line.partition(":")[0].strip().lower() not in _relation_line_names()]
    return "\n".join(lines).strip()


def _recurrence(data: ics.EventData) -> Recurrence | None:
    if data.rrule is None:
        return None
    value = ";".join(f"{k}={','.join(v)}" for k, v in data.rrule.items())
    try:
        return Recurrence.from_rrule(value)
    except (ValueError, KeyError, TypeError):
        raise ValidationError(_("This repetition is not one Kadans knows.")) from None


def _activity_from(*, user: User, data: ics.EventData, relation: Relation, contact: Contact | None) -> Activity:
    activity_type = _type_for(data.all_day)
    if activity_type is None:
        raise ValidationError(_("There is no active action type."))
    return activity_services.activity_create(
        user=user, relation=relation, activity_type=activity_type, start=data.start, end=data.end,
        all_day=data.all_day, contact=contact, representative=user, summary=data.summary[:200],
        note=_note_without_relation_line(data.description), recurrence=_recurrence(data),
    )


def _client_event_store(*, user: User, event: ClientEvent, body: bytes, events: list) -> ClientEvent:
    """Keep the event as the app sent it, and make it an activity when its relation can be told."""
    data = ics.event_data(events[0], user.tzinfo)
    event.ical = body.decode("utf-8")
    event.summary = data.summary[:200]
    event.location = data.location[:200]
    event.all_day = data.all_day
    event.start = (datetime.datetime.combine(data.start, datetime.time.min, tzinfo=activity_services.company_tz())
                   if data.all_day else data.start)
    relation, contact = relation_from_event(user=user, data=data)
    if relation is not None:
        try:
            with transaction.atomic():
                event.activity = _activity_from(user=user, data=data, relation=relation, contact=contact)
        except ValidationError:
            event.activity = None  # it waits in the list, where the user sees why when linking
    if event.activity_id is not None:
        event.ical = ""
    event.full_clean()
    event.save()
    return event


@transaction.atomic
def client_event_create(*, user: User, name: str, body: bytes) -> ClientEvent:
    """An event a calendar app created (PUT to a new name in the user's own calendar): an activity when
    its relation can be told, else kept as sent in the list of unlinked events."""
    _cal, events = ics.parse(body)
    uid = str(events[0]["uid"])
    if ClientEvent.objects.filter(user=user, uid=uid).exists() or uid.endswith("@kadans"):
        raise ValidationError(_("An event with this UID is already in this calendar."))
    return _client_event_store(user=user, event=ClientEvent(user=user, name=name, uid=uid), body=body, events=events)


@transaction.atomic
def client_event_link(*, event: ClientEvent, user: User, relation: Relation) -> Activity:
    """Make the waiting event an activity on the relation the user picked; the calendar app keeps its
    event, now served from the activity."""
    locked = ClientEvent.objects.select_for_update().get(pk=event.pk)
    if locked.user_id != user.pk or locked.activity_id is not None:
        raise PermissionDenied
    _cal, events = ics.parse(locked.ical.encode())
    data = ics.event_data(events[0], user.tzinfo)
    activity = _activity_from(user=user, data=data, relation=relation, contact=None)
    locked.activity, locked.ical = activity, ""
    locked.save(update_fields=["activity", "ical", "updated_at"])
    event.activity = activity
    return activity


@transaction.atomic
def client_event_discard(*, event: ClientEvent, user: User) -> None:
    """Drop a waiting event the user does not want in Kadans; calendar apps see it removed."""
    if event.user_id != user.pk or event.activity_id is not None:
        raise PermissionDenied
    event.delete()
