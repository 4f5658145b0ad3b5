"""The week planner's solver: which stops go on which day, in which order, at what time. Plain Python, no
database: kadans.planner.services.plan_week reads the data, calls `solve`, and stores what it returns.

Why a heuristic and not OR-Tools' routing solver: the problem is a team orienteering problem with time
windows (more relations are due than fit, each day is a vehicle, visits must fall in opening hours and in
the representative's free time). OR-Tools models it well (optional nodes with disjunction penalties, a
time dimension), but on 500 optional stops its first solution alone takes most of the 2 s budget on this
2-core machine, it adds a ~30 MB wheel, and its search is not reproducible under a wall-clock limit.
The heuristic below is deterministic, fast (the benchmark: `manage.py bench_planner`) and each step is
simple to test:

1. *Select*: the stops in order of urgency (how overdue, plus priority), as many as the week has
   visit slots.
2. *Sweep*: sort the selected stops by their angle around the representative's start point and cut
   them into one group per day (the classic sweep construction for vehicle routing), so that each day
   covers one sector of the region instead of criss-crossing it.
3. *Insert*: each group's stops go into their day at the cheapest feasible position (least added
   distance); what does not fit goes to another day, else back to the pool. Then the rest of the pool
   fills what is left, most urgent first. Stops without coordinates go to the first day on or after their
   due date with room, with a fixed travel time assumed (never counted as distance).
4. *Improve*: 2-opt and relocation within a day, relocation and exchange between days, as long as the
   week's distance shrinks and the time budget lasts.

A day is *feasible* when every visit, and the drive to it, lies inside one free interval of the
representative's day (working hours minus existing appointments), every visit lies inside one of the
relation's opening windows (opening hours minus lunch), there are at most `max_visits`, and the drive to
the day's end point ends before the working day does. Times are wall-clock minutes of each local day,
so a daylight-saving change moves nothing: 09:00 stays 09:00. Visits start on a 5-minute mark.
"""

from __future__ import annotations

import dataclasses
import datetime
import math
import time
from collections.abc import Sequence

EARTH_RADIUS_KM = 6371.0088
Interval = tuple[int, int]
Point = tuple[float, float]


def haversine_km(a: Point, b: Point) -> float:
    """Great-circle distance between two (latitude, longitude) points in degrees."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


@dataclasses.dataclass(eq=False)
class Stop:
    key: int
    """the relation's id"""
    point: Point | None
    minutes: int
    urgency: float
    due: datetime.date
    windows: dict[datetime.date, list[Interval]]
    """per day, when a visit may take place (local minutes); a day not in it: closed"""


@dataclasses.dataclass(eq=False)
class Day:
    date: datetime.date
    starts: int
    ends: int
    free: list[Interval]
    """working hours minus existing appointments, sorted"""
    start_point: Point | None = None
    end_point: Point | None = None


@dataclasses.dataclass
class Visit:
    stop: Stop
    start: int
    km: float
    """distance from the previous place (the day's start point or the previous stop)"""


@dataclasses.dataclass
class Solution:
    days: dict[datetime.date, list[Visit]]
    slipped: list[Stop]
    total_km: float


def subtract(intervals: Sequence[Interval], busy: Sequence[Interval]) -> list[Interval]:
    """`intervals` minus `busy`, both lists of (from, until); the result sorted and without empty ones."""
    out = sorted(intervals)
    for b0, b1 in busy:
        nxt = []
        for a0, a1 in out:
            if b1 <= a0 or b0 >= a1:
                nxt.append((a0, a1))
                continue
            if a0 < b0:
                nxt.append((a0, b0))
            if b1 < a1:
                nxt.append((b1, a1))
        out = nxt
    return [(a, b) for a, b in out if b > a]


def _ceil5(minutes: float) -> int:
    return int(math.ceil(minutes / 5 - 1e-9)) * 5


class Planner:
    def __init__(self, days: list[Day], *, speed_kmh: float, max_visits: int, unknown_travel_minutes: int,
                 budget_seconds: float = 1.0):
        self.days = days
        self.speed = speed_kmh
        self.max_visits = max_visits
        self.unknown_travel = unknown_travel_minutes
        self.budget = budget_seconds
        self._km: dict[tuple[int, int], float] = {}

    # distances and travel -----------------------------------------------------------------------------

    def km(self, a: Point | None, b: Point | None) -> float:
        if a is None or b is None:
            return 0.0
        key = (id(a), id(b)) if id(a) < id(b) else (id(b), id(a))
        d = self._km.get(key)
        if d is None:
            d = self._km[key] = haversine_km(a, b)
        return d

    def travel(self, a: Point | None, b: Point | None, *, unknown: bool) -> float:
        """Minutes from a to b; `unknown`: one end is a relation without coordinates."""
        if unknown:
            return self.unknown_travel
        return 0.0 if a is None or b is None else self.km(a, b) / self.speed * 60

    # one day --------------------------------------------------------------------------------------------

    def schedule(self, day: Day, route: Sequence[Stop]) -> list[int] | None:
        """The earliest start of each visit of the route on that day, or None when the route does not fit."""
        if len(route) > self.max_visits:
            return None
        t, here, here_unknown = day.starts, day.start_point, False
        starts = []
        for stop in route:
            windows = stop.windows.get(day.date)
            if not windows:
                return None
            ready = t + self.travel(here, stop.point, unknown=here_unknown or stop.point is None)
            s = self._earliest(day, windows, t, ready - t, stop.minutes)
            if s is None:
                return None
            starts.append(s)
            t, here, here_unknown = s + stop.minutes, stop.point, stop.point is None
        back = self.travel(here, day.end_point, unknown=here_unknown and day.end_point is not None)
        return starts if t + back <= day.ends else None

    @staticmethod
    def _earliest(day: Day, windows: list[Interval], t: float, travel: float, minutes: int) -> int | None:
        for f0, f1 in day.free:
            if f1 <= t:
                continue
            for w0, w1 in windows:
                s = _ceil5(max(t + travel, f0 + travel, w0))
                if s + minutes <= min(f1, w1):
                    return s
        return None

    def route_km(self, day: Day, route: Sequence[Stop]) -> float:
        points = [day.start_point, *(s.point for s in route), day.end_point]
        total, prev = 0.0, points[0]
        for p in points[1:]:
            if p is not None:
                total += self.km(prev, p)
                prev = p
        return total

    def best_insertion(self, day: Day, route: list[Stop], stop: Stop) -> tuple[float, int] | None:
        """(added km, position) of the cheapest feasible place for stop in the route, or None."""
        if len(route) >= self.max_visits or not stop.windows.get(day.date):
            return None
        base = self.route_km(day, route)
        options = sorted(
            (self.route_km(day, route[:i] + [stop] + route[i:]) - base, i) for i in range(len(route) + 1)
        )
        for added, i in options:
            if self.schedule(day, route[:i] + [stop] + route[i:]) is not None:
                return added, i
        return None

    # the week -------------------------------------------------------------------------------------------

    def solve(self, stops: list[Stop]) -> Solution:
        deadline = time.monotonic() + self.budget
        pool = sorted(stops, key=lambda s: (-s.urgency, s.due, s.key))
        slots = self.max_visits * len(self.days)
        selected, rest = pool[:slots], pool[slots:]
        routes: list[list[Stop]] = [[] for _ in self.days]
        leftovers: list[Stop] = []

        located = [s for s in selected if s.point is not None]
        for group, (day, route) in zip(self._sweep(located), zip(self.days, routes, strict=True), strict=False):
            for stop in sorted(group, key=lambda s: -s.urgency):
                best = self.best_insertion(day, route, stop)
                if best is None:
                    leftovers.append(stop)
                else:
                    route.insert(best[1], stop)
        for stop in [s for s in selected if s.point is None]:
            if not self._insert_by_due_date(routes, stop):
                leftovers.append(stop)
        slipped = []
        for stop in sorted(leftovers, key=lambda s: -s.urgency) + rest:
            if all(len(r) >= self.max_visits for r in routes):
                slipped.append(stop)
            elif not (self._insert_by_due_date(routes, stop) if stop.point is None
                      else self._insert_anywhere(routes, stop)):
                slipped.append(stop)
        self._improve(routes, deadline)

        days = {}
        total = 0.0
        for day, route in zip(self.days, routes, strict=True):
            starts = self.schedule(day, route)
            assert starts is not None, "an improvement broke a day"
            visits, here = [], day.start_point
            for stop, s in zip(route, starts, strict=True):
                km = self.km(here, stop.point) if stop.point is not None else 0.0
                visits.append(Visit(stop=stop, start=s, km=km))
                here = stop.point if stop.point is not None else here
            total += self.route_km(day, route)
            days[day.date] = visits
        return Solution(days=days, slipped=slipped, total_km=total)

    def _sweep(self, stops: list[Stop]) -> list[list[Stop]]:
        """The stops cut into one group per day by their angle around the start point (or their centre)."""
        if not stops or not self.days:
            return []
        centre = self.days[0].start_point or (
            sum(s.point[0] for s in stops) / len(stops), sum(s.point[1] for s in stops) / len(stops))
        scale = math.cos(math.radians(centre[0]))

        def angle(s: Stop) -> float:
            return math.atan2(s.point[0] - centre[0], (s.point[1] - centre[1]) * scale)

        ordered = sorted(stops, key=angle)
        # start the sweep at the widest gap between neighbours, so that no day's sector straddles it
        if len(ordered) > 1:
            angles = [angle(s) for s in ordered]
            gaps = [(angles[(i + 1) % len(angles)] - angles[i]) % (2 * math.pi) for i in range(len(angles))]
            cut = max(range(len(gaps)), key=gaps.__getitem__) + 1
            ordered = ordered[cut:] + ordered[:cut]
        per_day = math.ceil(len(ordered) / len(self.days))
        return [ordered[i:i + per_day] for i in range(0, len(ordered), per_day)]

    def _insert_anywhere(self, routes: list[list[Stop]], stop: Stop) -> bool:
        best = None
        for d, (day, route) in enumerate(zip(self.days, routes, strict=True)):
            found = self.best_insertion(day, route, stop)
            if found is not None and (best is None or found[0] < best[0]):
                best = (found[0], d, found[1])
        if best is None:
            return False
        routes[best[1]].insert(best[2], stop)
        return True

    def _insert_by_due_date(self, routes: list[list[Stop]], stop: Stop) -> bool:
        """A stop without coordinates: the first day on or after its due date (else the earliest) with room,
        as late in the day's order as fits."""
        order = sorted(range(len(self.days)), key=lambda d: (self.days[d].date < stop.due, self.days[d].date))
        for d in order:
            route = routes[d]
            if len(route) >= self.max_visits:
                continue
            for i in range(len(route), -1, -1):
                if self.schedule(self.days[d], route[:i] + [stop] + route[i:]) is not None:
                    route.insert(i, stop)
                    return True
        return False

    def _improve(self, routes: list[list[Stop]], deadline: float) -> None:
        improved = True
        while improved and time.monotonic() < deadline:
            improved = False
            for day, route in zip(self.days, routes, strict=True):
                improved |= self._improve_day(day, route, deadline)
            improved |= self._improve_between(routes, deadline)

    def _improve_day(self, day: Day, route: list[Stop], deadline: float) -> bool:
        """2-opt (reverse a stretch) and or-opt (move one stop) within the day, first improvement."""
        changed = False
        best = self.route_km(day, route)
        again = True
        while again and time.monotonic() < deadline:
            again = False
            n = len(route)
            candidates = [route[:i] + route[i:j + 1][::-1] + route[j + 1:] for i in range(n) for j in range(i + 1, n)]
            candidates += [
                (route[:i] + route[i + 1:])[:k] + [route[i]] + (route[:i] + route[i + 1:])[k:]
                for i in range(n) for k in range(n) if k != i
            ]
            for trial in candidates:
                km = self.route_km(day, trial)
                if km < best - 1e-6 and self.schedule(day, trial) is not None:
                    route[:] = trial
                    best, again, changed = km, True, True
                    break
        return changed

    def _improve_between(self, routes: list[list[Stop]], deadline: float) -> bool:
        """Move a stop to another day, or exchange two stops of two days, when the week gets shorter.
        Stops without coordinates stay on the day their due date gave them."""
        changed = False
        for a in range(len(routes)):
            for b in range(len(routes)):
                if a == b or time.monotonic() >= deadline:
                    continue
                day_a, day_b = self.days[a], self.days[b]
                i = 0
                while i < len(routes[a]):
                    stop = routes[a][i]
                    if stop.point is None:
                        i += 1
                        continue
                    rest_a = routes[a][:i] + routes[a][i + 1:]
                    saved = self.route_km(day_a, routes[a]) - self.route_km(day_a, rest_a)
                    found = self.best_insertion(day_b, routes[b], stop)
                    if found is not None and found[0] < saved - 1e-6 and self.schedule(day_a, rest_a) is not None:
                        routes[a][:] = rest_a
                        routes[b].insert(found[1], stop)
                        changed = True
                        continue
                    if self._exchange(routes, a, b, i):
                        changed = True
                    i += 1
        return changed

    def _exchange(self, routes: list[list[Stop]], a: int, b: int, i: int) -> bool:
        day_a, day_b = self.days[a], self.days[b]
        ra, rb = routes[a], routes[b]
        before = self.route_km(day_a, ra) + self.route_km(day_b, rb)
        for j, other in enumerate(rb):
            if other.point is None:
                continue
            na = ra[:i] + [other] + ra[i + 1:]
            nb = rb[:j] + [ra[i]] + rb[j + 1:]
            if self.route_km(day_a, na) + self.route_km(day_b, nb) < before - 1e-6 and (
                self.schedule(day_a, na) is not None and self.schedule(day_b, nb) is not None
            ):
                routes[a][:], routes[b][:] = na, nb
                return True
        return False


def naive_km(days: list[Day], stops_in_due_order: list[Stop], per_day: int) -> float:
    """The distance of the plan a representative gets by visiting in order of due date, `per_day` a day:
    the benchmark's yardstick (no time windows, no routing)."""
    planner = Planner(days, speed_kmh=1, max_visits=per_day, unknown_travel_minutes=0)
    total = 0.0
    for d, day in enumerate(days):
        total += planner.route_km(day, stops_in_due_order[d * per_day:(d + 1) * per_day])
    return total
