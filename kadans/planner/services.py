"""Writes of the week planner: plan a week, drop or move a proposal, accept the week; and the planning
settings of relations and representatives.

`plan_week(representative, week)` is the one function that decides a week: see its docstring, and
kadans.planner.planning for the solver and why it is a heuristic rather than OR-Tools.
"""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from kadans.accounts.models import User
from kadans.activities.models import Activity, ActivityType
from kadans.activities.services import DEFAULT_TIMED_DURATION, activity_create
from kadans.planner.models import OpeningHours, Proposal, RelationPlanning, WeekPlan, WorkingDay
from kadans.planner.planning import Day, Planner, Stop, subtract
from kadans.relations.models import Priority, Relation
from kadans.relations.services import relation_update
from kadans.reports.cadence import interval_types, relations_to_schedule

DEFAULT_WORKING_DAY = (datetime.time(8, 30), datetime.time(17, 30))
DEFAULT_WORKING_WEEKDAYS = range(5)
PRIORITY_LEVEL_DAYS = 14
"""Each priority level above the lowest counts as this many days overdue when ranking."""
SOLVER_BUDGET_SECONDS = 0.8


def week_start(day: datetime.date) -> datetime.date:
    """The Monday of the week that `day` is in."""
    return day - datetime.timedelta(days=day.weekday())


def _minutes(t: datetime.time) -> int:
    return t.hour * 60 + t.minute


def _local_datetime(day: datetime.date, minutes: int, tz) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(minutes // 60, minutes % 60), tzinfo=tz)


def _point(lat, lon) -> tuple[float, float] | None:
    return None if lat is None or lon is None else (float(lat), float(lon))


@dataclasses.dataclass
class Context:
    """Everything the solver needs about one representative's week, read in a fixed number of queries."""

    representative: User
    week: datetime.date
    tz: object
    days: list[Day]
    planner: Planner


def _working_days(representative: User, week: datetime.date, now: datetime.datetime) -> list[Day]:
    """The week's working days (from today on), each with its free time: working hours minus the
    representative's appointments. A timed activity blocks its hours; an all-day meeting or call (a trade
    fair, a day off entered as a meeting) blocks its whole days; all-day to-dos, e-mails and the like have
    no time of day and block nothing. Cancelled activities block nothing."""
    tz = representative.tzinfo
    rows = {w.weekday: w for w in WorkingDay.objects.filter(representative=representative)}
    today = timezone.localtime(now, tz).date()
    first = _local_datetime(week, 0, tz)
    last = _local_datetime(week + datetime.timedelta(days=7), 0, tz)
    activities = (
        Activity.objects.filter(Q(representative=representative) | Q(participants=representative))
        .exclude(status=Activity.Status.CANCELLED)
        .filter(start__lt=last, end__gte=first - datetime.timedelta(days=1))
        .select_related("type")
        .distinct()
    )
    busy: dict[datetime.date, list[tuple[int, int]]] = {}
    for activity in activities:
        if activity.all_day:
            if activity.type.kind not in (ActivityType.Kind.MEETING, ActivityType.Kind.CALL):
                continue
            day, end = activity.due_date, activity.end_date
            while day <= end:
                busy.setdefault(day, []).append((0, 24 * 60))
                day += datetime.timedelta(days=1)
            continue
        start, end = timezone.localtime(activity.start, tz), timezone.localtime(activity.end, tz)
        day = start.date()
        while day <= end.date():
            s = _minutes(start.time()) if day == start.date() else 0
            e = _minutes(end.time()) if day == end.date() else 24 * 60
            busy.setdefault(day, []).append((s, max(e, s + 1)))
            day += datetime.timedelta(days=1)
    days = []
    for offset in range(7):
        date = week + datetime.timedelta(days=offset)
        row = rows.get(date.weekday())
        if rows and row is None or not rows and date.weekday() not in DEFAULT_WORKING_WEEKDAYS or date < today:
            continue
        starts, ends = (_minutes(row.starts), _minutes(row.ends)) if row else map(_minutes, DEFAULT_WORKING_DAY)
        if date == today:
            local_now = timezone.localtime(now, tz)
            starts = max(starts, _minutes(local_now.time()) + 1)
        if starts >= ends:
            continue
        days.append(Day(
            date=date, starts=starts, ends=ends, free=subtract([(starts, ends)], busy.get(date, [])),
            start_point=_point(row.start_latitude, row.start_longitude) if row else None,
            end_point=(_point(row.end_latitude, row.end_longitude) or _point(row.start_latitude, row.start_longitude))
            if row else None,
        ))
    return days


def _context(representative: User, week: datetime.date, now: datetime.datetime) -> Context:
    days = _working_days(representative, week, now)
    planner = Planner(
        days, speed_kmh=settings.KADANS_PLANNER_SPEED_KMH, max_visits=settings.KADANS_PLANNER_MAX_VISITS_PER_DAY,
        unknown_travel_minutes=settings.KADANS_PLANNER_UNKNOWN_TRAVEL_MINUTES, budget_seconds=SOLVER_BUDGET_SECONDS,
    )
    return Context(representative=representative, week=week, tz=representative.tzinfo, days=days, planner=planner)


def _stops(context: Context, relations: list[Relation], due: dict[int, datetime.date],
           urgency: dict[int, float]) -> list[Stop]:
    """One stop per relation: its place, visit length and, per working day, its opening windows (opening
    hours minus lunch, within the working hours); a relation without opening hours is open all day."""
    ids = [r.pk for r in relations]
    lengths = dict(RelationPlanning.objects.filter(relation_id__in=ids, visit_minutes__isnull=False)
                   .values_list("relation_id", "visit_minutes"))
    hours: dict[int, dict[int, OpeningHours]] = {}
    for row in OpeningHours.objects.filter(relation_id__in=ids):
        hours.setdefault(row.relation_id, {})[row.weekday] = row
    default_minutes = int(DEFAULT_TIMED_DURATION.total_seconds() // 60)
    stops = []
    for relation in relations:
        windows = {}
        own = hours.get(relation.pk)
        for day in context.days:
            if own is None:
                windows[day.date] = [(day.starts, day.ends)]
                continue
            row = own.get(day.date.weekday())
            if row is None:
                continue
            open_ = [(_minutes(row.opens), _minutes(row.closes))]
            if row.lunch_from is not None and row.lunch_until is not None:
                open_ = subtract(open_, [(_minutes(row.lunch_from), _minutes(row.lunch_until))])
            within = [(max(a, day.starts), min(b, day.ends)) for a, b in open_]
            windows[day.date] = [(a, b) for a, b in within if b > a]
        stops.append(Stop(
            key=relation.pk, point=_point(relation.latitude, relation.longitude),
            minutes=lengths.get(relation.pk, default_minutes), urgency=urgency.get(relation.pk, 0.0),
            due=due.get(relation.pk, context.week), windows=windows,
        ))
    return stops


def due_relations(representative: User, week: datetime.date) -> list[tuple[Relation, datetime.date, float]]:
    """The representative's relations that are due or nearly due in the week, with their due day and
    urgency, most urgent first.

    Which relations, and their due day, follow the "to be scheduled" rules (kadans.reports.cadence),
    read as of the week's last day plus KADANS_PLANNER_NEARLY_DUE_DAYS: a relation whose cadence runs out
    by then, or whose action interval ran out, or that has no next action planned at all (then due on
    the week's first day). One with an action already planned in that span is not due. The urgency is
    the number of days it is overdue on the week's first day, plus PRIORITY_LEVEL_DAYS for each priority
    level above the lowest.
    """
    horizon = week + datetime.timedelta(days=6 + settings.KADANS_PLANNER_NEARLY_DUE_DAYS)
    levels = list(Priority.objects.order_by("-order", "-name").values_list("pk", flat=True))
    bonus = {pk: PRIORITY_LEVEL_DAYS * level for level, pk in enumerate(levels)}
    out = []
    for relation in relations_to_schedule(
        user=representative, today=horizon, types_with_interval=interval_types(), representative=representative
    ):
        due = relation.cadence_due or week
        if isinstance(due, datetime.datetime):
            due = due.date()
        if due > horizon:
            continue
        out.append((relation, due, (week - due).days + bonus.get(relation.priority_id, 0)))
    out.sort(key=lambda row: (-row[2], row[1], row[0].pk))
    return out


@transaction.atomic
def plan_week(*, representative: User, week: datetime.date, user: User | None = None,
              now: datetime.datetime | None = None) -> WeekPlan:
    """Propose the representative's visits for the week (any day of it; planned from today on).

    The relations due or nearly due by cadence (due_relations), most overdue and highest priority first,
    are placed into the representative's free time (working hours per weekday minus existing
    appointments, see _working_days), inside each relation's opening hours minus lunch, for its visit
    length (else an activity's default duration), with travel between stops at
    KADANS_PLANNER_SPEED_KMH over the straight-line distance, and ordered per day to keep the driving
    short (kadans.planner.planning). Nothing is overbooked: what does not fit is listed in
    `slipped` with how many days late it will be on the next week's Monday. Relations without
    coordinates are placed by due date, with a warning.

    Planning again replaces the proposals not yet accepted; accepted ones are activities by then and
    block their time like any other appointment.
    """
    now = now or timezone.now()
    week = week_start(week)
    context = _context(representative, week, now)
    due = due_relations(representative, week)
    relations = [r for r, _d, _u in due]
    stops = _stops(context, relations, {r.pk: d for r, d, _u in due}, {r.pk: u for r, _d, u in due})
    solution = context.planner.solve(stops) if context.days else None

    plan, _created = WeekPlan.objects.select_for_update().get_or_create(
        representative=representative, week=week, defaults={"planned_at": now, "planned_by": user},
    )
    plan.proposals.filter(status=Proposal.Status.PROPOSED).delete()
    names = {r.pk: r.name for r in relations}
    proposals, warnings = [], []
    for date, visits in (solution.days.items() if solution else []):
        for position, visit in enumerate(visits):
            start = _local_datetime(date, visit.start, context.tz)
            proposals.append(Proposal(
                plan=plan, relation_id=visit.stop.key, start=start,
                end=start + datetime.timedelta(minutes=visit.stop.minutes), position=position,
                distance_km=Decimal(f"{visit.km:.1f}") if visit.stop.point is not None else None,
                due=visit.stop.due, has_coordinates=visit.stop.point is not None,
            ))
            if visit.stop.point is None:
                warnings.append({"relation": visit.stop.key, "name": names[visit.stop.key], "code": "no-coordinates"})
    Proposal.objects.bulk_create(proposals)
    if context.days and all(d.start_point is None for d in context.days):
        warnings.insert(0, {"relation": None, "name": "", "code": "no-start-point"})
    if not context.days:
        warnings.insert(0, {"relation": None, "name": "", "code": "no-working-days"})
    next_monday = week + datetime.timedelta(days=7)
    plan.slipped = [
        {"relation": s.key, "name": names[s.key], "due": s.due.isoformat(),
         "days_late": max(0, (next_monday - s.due).days)}
        for s in (solution.slipped if solution else stops)
    ]
    plan.warnings = warnings
    plan.total_km = Decimal(f"{solution.total_km:.1f}") if solution else Decimal("0")
    plan.planned_at, plan.planned_by = now, user
    plan.full_clean()
    plan.save()
    return plan


def _retime(plan: WeekPlan, now: datetime.datetime | None = None) -> None:
    """Give the plan's open proposals the earliest times their days' order allows again (after a drop
    or a move), and their distances from the previous stop."""
    context = _context(plan.representative, plan.week, now or timezone.now())
    open_ = list(plan.proposals.filter(status=Proposal.Status.PROPOSED).select_related("relation")
                 .order_by("start", "position"))
    stops = {s.key: s for s in _stops(context, [p.relation for p in open_], {}, {})}
    by_day: dict[datetime.date, list[Proposal]] = {}
    for p in open_:
        by_day.setdefault(timezone.localtime(p.start, context.tz).date(), []).append(p)
    days = {d.date: d for d in context.days}
    total = Decimal("0")
    for date, proposals in by_day.items():
        day = days.get(date)
        route = [stops[p.relation_id] for p in proposals]
        starts = context.planner.schedule(day, route) if day else None
        if starts is None:
            raise ValidationError(_("The visits of %(day)s no longer fit that day.") % {"day": date})
        here = day.start_point
        for position, (p, stop, s) in enumerate(zip(proposals, route, starts, strict=True)):
            p.start = _local_datetime(date, s, context.tz)
            p.end = p.start + datetime.timedelta(minutes=stop.minutes)
            p.position = position
            p.distance_km = Decimal(f"{context.planner.km(here, stop.point):.1f}") if stop.point else None
            here = stop.point or here
        total += Decimal(f"{context.planner.route_km(day, route):.1f}")
    Proposal.objects.bulk_update(open_, ["start", "end", "position", "distance_km"])
    plan.total_km = total
    plan.save(update_fields=["total_km"])


@transaction.atomic
def proposal_drop(*, proposal: Proposal, user: User) -> None:
    """Take a proposed visit out of the week; the rest of its day moves up. Planning the week again may
    propose it again (it is still due)."""
    if proposal.status != Proposal.Status.PROPOSED:
        raise ValidationError(_("This visit was accepted already; change it in the calendar."))
    plan = WeekPlan.objects.select_for_update().get(pk=proposal.plan_id)
    proposal.delete()
    _retime(plan)


@transaction.atomic
def proposal_move(*, proposal: Proposal, user: User, day: datetime.date) -> Proposal:
    """Move a proposed visit to another day of its week, at the place in that day's round that adds the
    least driving; refused (ValidationError) when it does not fit there."""
    if proposal.status != Proposal.Status.PROPOSED:
        raise ValidationError(_("This visit was accepted already; change it in the calendar."))
    plan = WeekPlan.objects.select_for_update().get(pk=proposal.plan_id)
    context = _context(plan.representative, plan.week, timezone.now())
    target = next((d for d in context.days if d.date == day), None)
    if target is None:
        raise ValidationError({"day": _("That is not a working day of this week.")})
    others = list(plan.proposals.filter(status=Proposal.Status.PROPOSED).exclude(pk=proposal.pk)
                  .select_related("relation").order_by("start", "position"))
    on_day = [p for p in others if timezone.localtime(p.start, context.tz).date() == day]
    stops = {s.key: s for s in _stops(context, [p.relation for p in [*on_day, proposal]], {}, {})}
    route = [stops[p.relation_id] for p in on_day]
    found = context.planner.best_insertion(target, route, stops[proposal.relation_id])
    if found is None:
        raise ValidationError({"day": _("This visit does not fit on that day.")})
    # a provisional time on the target day, in the chosen order; _retime sets the real ones
    position = found[1]
    anchor = on_day[position - 1].start if position else _local_datetime(day, 0, context.tz)
    proposal.start = anchor + datetime.timedelta(seconds=1)
    proposal.end = proposal.start
    proposal.save(update_fields=["start", "end"])
    _retime(plan)
    proposal.refresh_from_db()
    return proposal


def visit_type() -> ActivityType:
    """The type of the activities an accepted week makes: the first active meeting type."""
    found = ActivityType.objects.filter(active=True, kind=ActivityType.Kind.MEETING).order_by("order", "name").first()
    if found is None:
        raise ValidationError(_("There is no active meeting type to plan visits with."))
    return found


@transaction.atomic
def week_plan_accept(*, plan: WeekPlan, user: User) -> list[Activity]:
    """Turn the week's open proposals into planned visits (timed meetings) through the activity service,
    all in one transaction. Accepting twice, or from two browsers at once, makes each visit once: a
    proposal is claimed by a conditional UPDATE (status proposed → accepted) before its activity is made,
    and only the call whose UPDATE matched makes it."""
    activity_type = visit_type()
    created = []
    for proposal in plan.proposals.filter(status=Proposal.Status.PROPOSED).select_related("relation").order_by("start"):
        won = Proposal.objects.filter(pk=proposal.pk, status=Proposal.Status.PROPOSED).update(
            status=Proposal.Status.ACCEPTED)
        if not won:
            continue
        activity = activity_create(
            user=user, relation=proposal.relation, activity_type=activity_type, start=proposal.start,
            end=proposal.end, all_day=False, representative=plan.representative,
            summary=activity_type.default_summary or _("Visit"),
        )
        Proposal.objects.filter(pk=proposal.pk).update(activity=activity)
        created.append(activity)
    return created


# Settings --------------------------------------------------------------------------------------------


@transaction.atomic
def relation_planning_update(
    *, relation: Relation, visit_minutes: int | None, opening_hours: list[dict]
) -> None:
    """Set a relation's visit length and its opening hours (one dict per open weekday: weekday, opens,
    closes, lunch_from, lunch_until); the weekdays left out are closed, none at all: open all day."""
    planning, _created = RelationPlanning.objects.get_or_create(relation=relation)
    planning.visit_minutes = visit_minutes
    planning.full_clean()
    planning.save()
    rows = [OpeningHours(relation=relation, **data) for data in opening_hours]
    for row in rows:
        row.full_clean(exclude=["relation"], validate_unique=False)
    OpeningHours.objects.filter(relation=relation).delete()
    OpeningHours.objects.bulk_create(rows)


@transaction.atomic
def working_days_update(*, representative: User, days: list[dict]) -> None:
    """Set the representative's working days (one dict per weekday worked: weekday, starts, ends and the
    start and end points); the weekdays left out are days off."""
    rows = [WorkingDay(representative=representative, **data) for data in days]
    for row in rows:
        row.full_clean(exclude=["representative"], validate_unique=False)
    WorkingDay.objects.filter(representative=representative).delete()
    WorkingDay.objects.bulk_create(rows)


def geocoder():
    """The configured geocoder (KADANS_PLANNER_GEOCODER, a dotted path to a callable taking a relation and
    returning (latitude, longitude) or None), or None when none is configured."""
    path = settings.KADANS_PLANNER_GEOCODER
    return import_string(path) if path else None


def relations_geocode(*, relations, user: User | None = None) -> int:
    """Give the relations without coordinates those the configured geocoder finds for their address;
    the number found. Only `manage.py geocode_relations` calls it: planning never calls a service."""
    find = geocoder()
    if find is None:
        raise ImproperlyConfigured("KADANS_PLANNER_GEOCODER is not set")
    found = 0
    for relation in relations.filter(latitude__isnull=True).exclude(street="", city=""):
        point = find(relation)
        if point is None:
            continue
        lat, lon = (Decimal(str(v)).quantize(Decimal("0.000001")) for v in point)
        relation_update(relation=relation, user=user, latitude=lat, longitude=lon)
        found += 1
    return found
