"""The week planner's benchmark (README, "Plan my week"): 500 relations due across Flanders, one
representative working five days from Mechelen, eight visits a day at most.

It reports how long plan_week takes (reading, solving and storing; it must stay under 2 s) and the week's
driving distance against two naive plans that visit in order of due date, eight a day, without routing:
the first relations by due date, and the planner's own relations in order of due date. Everything is made
inside one transaction on the configured database and rolled back at the end.
"""

import datetime
import random
import time
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from kadans.accounts.models import User
from kadans.activities.models import Activity, ActivityType
from kadans.planner.models import OpeningHours, RelationPlanning, WorkingDay
from kadans.planner.planning import Day, naive_km
from kadans.planner.services import plan_week, week_start
from kadans.relations.models import BusinessStatus, Priority, Relation

FLANDERS = (50.75, 51.35, 2.75, 5.75)  # south, north, west, east
MECHELEN = (Decimal("51.025900"), Decimal("4.477600"))


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Benchmark plan_week on 500 relations due across Flanders; prints the time and the distances."

    def add_arguments(self, parser):
        parser.add_argument("--relations", type=int, default=500)
        parser.add_argument("--seed", type=int, default=18)

    def handle(self, *args, **options):
        try:
            with transaction.atomic():
                self._run(options["relations"], options["seed"])
                raise Rollback
        except Rollback:
            pass

    def _run(self, count: int, seed: int):
        rng = random.Random(seed)
        now = timezone.now()
        week = week_start(timezone.localdate(now)) + datetime.timedelta(days=7)
        rep = User.objects.create(username=f"bench-planner-{seed}", role=User.Role.REPRESENTATIVE)
        meeting = ActivityType.objects.filter(kind=ActivityType.Kind.MEETING, active=True).first() or \
            ActivityType.objects.create(name="Bench visit", kind=ActivityType.Kind.MEETING)
        status = BusinessStatus.objects.filter(is_lost=False).first() or BusinessStatus.objects.create(
            name="Bench customer", code="bench-customer")
        priorities = [Priority.objects.create(name=f"Bench {c}", order=1000 + i, cadence_days=28)
                      for i, c in enumerate("ABC")]
        WorkingDay.objects.bulk_create([
            WorkingDay(representative=rep, weekday=d, starts=datetime.time(8), ends=datetime.time(18),
                       start_latitude=MECHELEN[0], start_longitude=MECHELEN[1])
            for d in range(5)
        ])
        south, north, west, east = FLANDERS
        relations = Relation.objects.bulk_create([
            Relation(
                name=f"Bench café {i:03}", representative=rep, business_status=status,
                priority=rng.choice(priorities),
                latitude=Decimal(f"{rng.uniform(south, north):.6f}"),
                longitude=Decimal(f"{rng.uniform(west, east):.6f}"),
            )
            for i in range(count)
        ])
        RelationPlanning.objects.bulk_create([RelationPlanning(relation=r, visit_minutes=30) for r in relations])
        # a third keep shop hours with a lunch break
        OpeningHours.objects.bulk_create([
            OpeningHours(relation=r, weekday=d, opens=datetime.time(9), closes=datetime.time(18),
                         lunch_from=datetime.time(12), lunch_until=datetime.time(13, 30))
            for r in relations[::3] for d in range(6)
        ])
        # last visited 20 to 60 days before the week: due from a month ago to a week after the week
        tz = timezone.get_current_timezone()
        done, due = [], {}
        for r in relations:
            day = week - datetime.timedelta(days=rng.randint(20, 60))
            due[r.pk] = day + datetime.timedelta(days=28)
            start = datetime.datetime.combine(day, datetime.time(10), tzinfo=tz)
            done.append(Activity(
                relation=r, type=meeting, representative=rep, status=Activity.Status.DONE, all_day=False,
                start=start, end=start + datetime.timedelta(minutes=30), done_at=start, done_by=rep,
            ))
        Activity.objects.bulk_create(done)

        started = time.perf_counter()
        plan = plan_week(representative=rep, week=week, user=rep, now=now)
        elapsed = time.perf_counter() - started

        proposals = list(plan.proposals.select_related("relation").order_by("start"))
        from_points = {r.pk: (float(r.latitude), float(r.longitude)) for r in relations}
        home = (float(MECHELEN[0]), float(MECHELEN[1]))
        days = [Day(date=week + datetime.timedelta(days=d), starts=0, ends=0, free=[], start_point=home,
                    end_point=home) for d in range(5)]

        class _S:
            def __init__(self, pk):
                self.point = from_points[pk]

        due_order = sorted(relations, key=lambda r: (due[r.pk], r.pk))
        naive_first = naive_km(days, [_S(r.pk) for r in due_order[:len(proposals)]], 8)
        planned_ids = {p.relation_id for p in proposals}
        naive_same = naive_km(days, [_S(r.pk) for r in due_order if r.pk in planned_ids], 8)
        planner_km = float(plan.total_km)
        per_day = {}
        for p in proposals:
            per_day.setdefault(timezone.localtime(p.start).date(), 0)
            per_day[timezone.localtime(p.start).date()] += 1
        out = self.stdout.write
        out(f"relations due: {count}, working days: 5, at most 8 visits a day, 30 min each, 50 km/h default speed")
        out(f"plan_week: {elapsed:.2f} s (budget 2 s)")
        out(f"visits planned: {len(proposals)} ({', '.join(f'{d:%a} {n}' for d, n in sorted(per_day.items()))}); "
            f"slipped: {len(plan.slipped)}")
        out(f"planner: {planner_km:.0f} km")
        out(f"naive, first {len(proposals)} by due date, 8 a day: {naive_first:.0f} km "
            f"(planner/naive = {planner_km / naive_first:.2f})")
        out(f"naive, the planner's relations by due date, 8 a day: {naive_same:.0f} km "
            f"(planner/naive = {planner_km / naive_same:.2f})")
