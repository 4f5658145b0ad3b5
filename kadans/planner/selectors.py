"""Reads of the week planner: whose week a user may plan, and a week plan as the page and the API show it."""

from __future__ import annotations

import dataclasses
import datetime

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from kadans.accounts.models import User
from kadans.accounts.permissions import visible_representatives
from kadans.planner.models import Proposal, WeekPlan, WorkingDay


def plannable_representatives(user: User) -> QuerySet[User]:
    """Whose weeks the user may plan: their own; a sales manager also their team's; an administrator
    everyone's (the same people whose numbers they see, kadans.accounts.permissions)."""
    return visible_representatives(user).filter(is_active=True).order_by("first_name", "last_name", "username")


def can_plan_for(user: User, representative: User) -> bool:
    return user.is_authenticated and plannable_representatives(user).filter(pk=representative.pk).exists()


@dataclasses.dataclass
class PlannedDay:
    date: datetime.date
    proposals: list[Proposal]
    start_point: tuple[float, float] | None
    end_point: tuple[float, float] | None

    @property
    def km(self) -> float:
        return sum(float(p.distance_km or 0) for p in self.proposals)


def week_plan(representative: User, week: datetime.date) -> WeekPlan | None:
    return WeekPlan.objects.filter(representative=representative, week=week).first()


def planned_days(plan: WeekPlan | None, representative: User, week: datetime.date) -> list[PlannedDay]:
    """The week's days that have proposals or are working days, each with its proposals in time order
    (relations read along: two queries)."""
    tz = representative.tzinfo
    points = {}
    for w in WorkingDay.objects.filter(representative=representative):
        start = None if w.start_latitude is None else (float(w.start_latitude), float(w.start_longitude))
        end = None if w.end_latitude is None else (float(w.end_latitude), float(w.end_longitude))
        points[w.weekday] = (start, end or start)
    by_day: dict[datetime.date, list[Proposal]] = {}
    if plan is not None:
        for p in plan.proposals.select_related("relation").order_by("start", "position"):
            by_day.setdefault(timezone.localtime(p.start, tz).date(), []).append(p)
    days = []
    for offset in range(7):
        date = week + datetime.timedelta(days=offset)
        if date not in by_day and (date.weekday() not in points if points else date.weekday() >= 5):
            continue
        start, end = points.get(date.weekday(), (None, None))
        days.append(PlannedDay(date=date, proposals=by_day.get(date, []), start_point=start, end_point=end))
    return days


def map_data(days: list[PlannedDay], tz) -> dict:
    """What the page's map draws: a numbered marker per located proposal and each day's route."""
    out = {"tile_url": settings.KADANS_PLANNER_TILE_URL, "attribution": settings.KADANS_PLANNER_TILE_ATTRIBUTION,
           "days": []}
    for day in days:
        stops = [
            {"id": p.pk, "name": p.relation.name, "lat": float(p.relation.latitude),
             "lon": float(p.relation.longitude), "time": timezone.localtime(p.start, tz).strftime("%H:%M"),
             "n": n}
            for n, p in enumerate(day.proposals, start=1) if p.relation.latitude is not None
        ]
        route = [list(day.start_point)] if day.start_point else []
        route += [[s["lat"], s["lon"]] for s in stops]
        route += [list(day.end_point)] if day.end_point and stops else []
        out["days"].append({"date": day.date.isoformat(), "stops": stops, "route": route})
    return out
