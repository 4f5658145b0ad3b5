"""The benchmark's database side, run by bench_run against the loaded database (its DATABASE_URL):
`settle` checkpoints the loaded data, `targets` picks the rows the operations use, `floor` times the
bare SQL of operations a and b, `verify` checks after the writes that nothing was lost. Prints JSON."""

import datetime
import json
import sqlite3
import statistics
import time
import zoneinfo

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError, connection
from django.db.models import Count, Q
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kadans.accounts.models import User
from kadans.activities.models import Activity, ActivityType
from kadans.activities.open_activities import OpenActivities
from kadans.calendars.selectors import calendar_activities
from kadans.relations.models import Relation

PAGE = 50


def _time_statements(statements: list[tuple[str, object]], n: int) -> dict:
    """Run the statements (SQL with params, or SQL with its values already in it) n times after 5
    warm-ups; each timing is the sum over the statements, fetching every row."""
    timings = []
    rows = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the driver's own cursor: no Django wrapper in the measurement
        for i in range(n + 5):
            started = time.perf_counter()
            rows = 0
            for sql, params in statements:
                if params is None:
                    raw.execute(sql)
                else:
                    cursor.execute(sql, params)
                rows += len(cursor.fetchall())
            if i >= 5:
                timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "median_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[min(len(timings) - 1, int(len(timings) * 0.95))], 2),
        "rows": rows, "sql": [sql for sql, _ in statements],
    }


class Command(BaseCommand):
    help = "Benchmark helper (run by bench_run): settle, targets, floor, verify or queries; prints JSON."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["settle", "targets", "floor", "verify", "queries"])
        parser.add_argument("--path", help="queries: the page to request (GET) through Django's test client")
        parser.add_argument("--post", action="append", default=[], help="queries: POST field=value (repeatable)")
        parser.add_argument("--explain", action="store_true", help="queries: add the database's query plans")
        parser.add_argument("--user", default="rep01")
        parser.add_argument("--week", help="floor: Monday of the calendar week, YYYY-MM-DD")
        parser.add_argument("--n", type=int, default=50)
        parser.add_argument("--need", type=int, default=60, help="targets: how many activities operation e needs")
        parser.add_argument("--file", help="verify: the JSON written by the concurrency run")

    def handle(self, *args, action, **options):
        result = getattr(self, action)(**options)
        self.stdout.write(json.dumps(result, default=str))

    def settle(self, **options):
        """After loading, before measuring: write the loaded data out of the log (a CHECKPOINT on
        PostgreSQL, the WAL into the database file on SQLite), which the database would otherwise do
        during the first operations measured; production data is not measured seconds after a bulk load.
        On PostgreSQL also VACUUM: a database kept with --reuse carries the earlier runs' writes, whose
        pages index-only scans must visit until autovacuum comes by (the loader vacuums a fresh load)."""
        started = time.perf_counter()
        try:
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    cursor.execute("VACUUM (ANALYZE)")
                    cursor.execute("CHECKPOINT")  # a superuser's or pg_checkpoint's right
                else:
                    cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except DatabaseError as e:  # --database-url of an ordinary role: measured unsettled
            return {"seconds": None, "skipped": str(e).strip()}
        return {"seconds": round(time.perf_counter() - started, 2)}

    def targets(self, *, user, need, **options):
        me = User.objects.get(username=user)
        call = ActivityType.objects.get(name="Call")
        todo = ActivityType.objects.get(name="To Do")
        busiest = (
            Relation.objects.filter(representative=me)
            .annotate(n=Count("activities", filter=Q(activities__status=Activity.Status.PLANNED)),
                      total=Count("activities"))
            .order_by("-total", "-n", "id")
            .values_list("id", "total")
            .first()
        )
        now = datetime.datetime.now(datetime.UTC)
        planned_calls = Activity.objects.filter(status=Activity.Status.PLANNED, type=call, start__gte=now)
        e_ids = list(planned_calls.filter(representative=me).order_by("start", "id").values_list("id", flat=True)[
            :need])
        clients = {}
        for rep in User.objects.filter(is_active=True).order_by("username"):
            mine = Activity.objects.filter(representative=rep, status=Activity.Status.PLANNED, start__gte=now)
            clients[rep.username] = {
                "relations": list(Relation.objects.filter(representative=rep).order_by("id").values_list(
                    "id", flat=True)[:20]),
                "complete": list(mine.filter(type=call).exclude(id__in=e_ids).order_by("-start", "id").values_list(
                    "id", flat=True)[:400]),
                "reschedule": [
                    {"id": pk, "start": start.isoformat()}
                    for pk, start in mine.exclude(type=call).exclude(type__chaining="trigger").order_by(
                        "-start", "id").values_list("id", "start")[:400]
                ],
            }
        if connection.vendor == "postgresql":
            version = connection.cursor().connection.info.server_version
            database = f"PostgreSQL {version // 10000}.{version % 100}"
        else:
            database = f"SQLite {sqlite3.sqlite_version}"
        return {
            "database": database, "user_id": me.pk, "relation_c": busiest[0], "relation_c_activities": busiest[1],
            "user_activities": Activity.objects.filter(representative=me).count(),
            "relations_d": list(Relation.objects.filter(representative=me).order_by("id").values_list(
                "id", flat=True)[:10]),
            "type_d": todo.pk, "complete_e": e_ids, "clients": clients,
        }

    def floor(self, *, user, week, n, **options):
        """The bare SQL of a and b: the data queries of the calendar selector (when the calendar app is
        there, else the equivalent queryset) and of the first page of "my activities" (the keys of both
        halves with their counts, the rows), run directly on the driver's cursor: no model instances, no
        rendering, no HTTP. Their sum is the floor the page is compared with."""
        me = User.objects.get(username=user)
        tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        monday = datetime.date.fromisoformat(week)
        start = datetime.datetime.combine(monday, datetime.time.min, tzinfo=tz)
        end = start + datetime.timedelta(days=7)
        with CaptureQueriesContext(connection) as captured:
            calendar_activities(start=start, end=end, user=me)
        a_statements = [(q["sql"], None) for q in captured.captured_queries]
        user_tz = me.tzinfo
        today_start = datetime.datetime.combine(datetime.datetime.now(user_tz).date(), datetime.time.min,
                                                tzinfo=user_tz)
        tomorrow_start = today_start + datetime.timedelta(days=1)
        with CaptureQueriesContext(connection) as captured:
            page = OpenActivities(me, today_start=today_start, tomorrow_start=tomorrow_start, prefetch=PAGE)
            page.counts()
            page[0:PAGE]
        b_statements = [(q["sql"], None) for q in captured.captured_queries]
        return {"a": _time_statements(a_statements, n), "b": _time_statements(b_statements, n)}

    def queries(self, *, user, path, post, explain, **options):
        """Every SQL query of one request through Django's test client, with its time (and plan)."""
        client = Client()
        client.force_login(User.objects.get(username=user))
        with CaptureQueriesContext(connection) as captured:
            if post:
                data = dict(item.split("=", 1) for item in post)
                response = client.post(path, data)
            else:
                response = client.get(path)
        result = {"status": response.status_code, "count": len(captured.captured_queries), "queries": []}
        for q in captured.captured_queries:
            entry = {"ms": round(float(q["time"]) * 1000, 2), "sql": q["sql"]}
            if explain and q["sql"].lstrip().upper().startswith("SELECT"):
                with connection.cursor() as cursor:
                    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ANALYZE "
                    cursor.execute(prefix + q["sql"])
                    entry["plan"] = [" ".join(str(c) for c in row) for row in cursor.fetchall()]
            result["queries"].append(entry)
        return result

    def verify(self, *, file, **options):
        with open(file) as f:
            run = json.load(f)
        result = {}
        # every create that answered 302 is there, once; none is there that failed
        summaries = run["creates_ok"]
        found = dict(
            Activity.objects.filter(summary__startswith=run["create_prefix"]).values("summary").annotate(
                n=Count("id")).values_list("summary", "n")
        )
        result["creates_ok"] = len(summaries)
        result["creates_missing"] = sum(1 for s in summaries if found.get(s, 0) == 0)
        result["creates_duplicated"] = sum(1 for s in summaries if found.get(s, 0) > 1)
        result["creates_unexpected"] = sum(1 for s in found if s not in set(summaries))
        # every completion is done and triggered exactly one next activity
        ids = run["completes_ok"]
        done = set(Activity.objects.filter(pk__in=ids, status=Activity.Status.DONE).values_list("id", flat=True))
        nexts = dict(
            Activity.objects.filter(previous_id__in=ids).values("previous_id").annotate(n=Count("id")).values_list(
                "previous_id", "n")
        )
        result["completes_ok"] = len(ids)
        result["completes_not_done"] = sum(1 for pk in ids if pk not in done)
        result["completes_without_next"] = sum(1 for pk in ids if nexts.get(pk, 0) == 0)
        result["completes_with_several_next"] = sum(1 for pk in ids if nexts.get(pk, 0) > 1)
        # every reschedule moved its activity by exactly one day (all-day: one calendar day in the company
        # time zone, timed: 24 hours)
        tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        moved = {r["id"]: r for r in run["reschedules_ok"]}
        wrong = 0
        for pk, start, all_day in Activity.objects.filter(pk__in=moved).values_list("id", "start", "all_day"):
            before = datetime.datetime.fromisoformat(moved[pk]["start"])
            if all_day:
                ok = start.astimezone(tz).date() - before.astimezone(tz).date() == datetime.timedelta(days=1)
            else:
                ok = start - before == datetime.timedelta(days=1)
            wrong += not ok
        result["reschedules_ok"] = len(moved)
        result["reschedules_wrong"] = wrong
        # operation e: each completion of the timed run triggered exactly one next activity
        e_ids = run.get("e_ids", [])
        e_next = Activity.objects.filter(previous_id__in=e_ids).values("previous_id").annotate(n=Count("id"))
        result["e_completed"] = Activity.objects.filter(pk__in=e_ids, status=Activity.Status.DONE).count()
        result["e_next_exactly_one"] = sum(1 for r in e_next if r["n"] == 1)
        result["ok"] = not (
            result["creates_missing"] or result["creates_duplicated"] or result["creates_unexpected"]
            or result["completes_not_done"] or result["completes_without_next"]
            or result["completes_with_several_next"] or result["reschedules_wrong"]
        )
        return result
