"""Activity analysis: done per representative and week by type, overdue now, planned versus done with
the average delay, against hand-computed numbers; roles, bad input, export, queries."""

import datetime

import pytest
import time_machine

from kadans.activities.services import activity_cancel, activity_complete, activity_create
from tests.factories import ActivityTypeFactory, RelationFactory
from tests.reports_support import people, pg_overhead, read_csv

pytestmark = pytest.mark.django_db

TWO_WEEKS = {"start": "2025-03-03", "end": "2025-03-16"}
TODAY = datetime.datetime(2025, 3, 12, 9, 0, tzinfo=datetime.UTC)


def at(day: int, month: int = 3) -> datetime.datetime:
    return datetime.datetime(2025, month, day, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def org():
    return people()


@pytest.fixture
def world(org):
    """Due (day in March 2025) -> what happened; "today" is Wednesday 12 March.
    Anna: visit 3 -> done 3 (on time, 0 days); visit 4 -> done 6 (late, 2); tasting 5 -> done 4 (early, -1);
          visit 10 -> cancelled; visit 11 -> planned (overdue); tasting 14 -> planned; visit 20 Feb -> overdue
    Bert: visit 10 -> done 13 (late, 3).  Carl (other team): visit 12 -> done 12 (on time, 0)."""
    visit, tasting = ActivityTypeFactory(name="Bezoek", order=1), ActivityTypeFactory(name="Proeverij", order=2)
    made = {}

    def plan(name, user, activity_type, day, month=3):
        with time_machine.travel(at(1, 2), tick=False):
            made[name] = activity_create(
                user=user,
                relation=RelationFactory(representative=user),
                activity_type=activity_type,
                start=datetime.date(2025, month, day),
            )

    anna, bert, carl = org["anna"], org["bert"], org["carl"]
    for name, user, activity_type, day in [
        ("a1", anna, visit, 3),
        ("a2", anna, visit, 4),
        ("a3", anna, tasting, 5),
        ("a4", anna, visit, 10),
        ("a5", anna, visit, 11),
        ("a6", anna, tasting, 14),
        ("b1", bert, visit, 10),
        ("c1", carl, visit, 12),
    ]:
        plan(name, user, activity_type, day)
    plan("a9", anna, visit, 20, month=2)
    for name, day in [("a1", 3), ("a2", 6), ("a3", 4), ("b1", 13), ("c1", 12)]:
        with time_machine.travel(at(day), tick=False):
            activity_complete(activity=made[name], user=made[name].representative)
    activity_cancel(activity=made["a4"], user=anna)
    return made


def _tables(client, user, **params):
    client.force_login(user)
    with time_machine.travel(TODAY, tick=False):
        response = client.get("/reports/activities/", {**TWO_WEEKS, **params})
    assert response.status_code == 200, response.content[:500]
    return {t.key: [row.cells for row in t.rows] for t in response.context["tables"]}, response


def test_done_per_representative_and_week_by_type(client, org, world):
    tables, response = _tables(client, org["ada"])
    week10, week11 = datetime.date(2025, 3, 3), datetime.date(2025, 3, 10)
    assert [c.label for c in response.context["tables"][0].columns] == [
        "Representative",
        "Week",
        "Bezoek",
        "Proeverij",
        "Total",
    ]
    assert tables["done-per-week"] == [
        ["Anna Aerts", week10, 2, 1, 3],
        ["Bert Baert", week11, 1, 0, 1],
        ["Carl Claes", week11, 1, 0, 1],
    ]
    assert "<svg" in response.text


def test_overdue_now_per_representative(client, org, world):
    assert _tables(client, org["ada"])[0]["overdue"] == [["Anna Aerts", 2]]


def test_planned_versus_done_and_average_delay(client, org, world):
    assert _tables(client, org["ada"])[0]["planned-versus-done"] == [
        # due, on time, late, cancelled, overdue, still planned, average delay (days)
        ["Anna Aerts", 6, 2, 1, 1, 1, 1, 0.3],
        ["Bert Baert", 1, 0, 1, 0, 0, 0, 3.0],
        ["Carl Claes", 1, 1, 0, 0, 0, 0, 0.0],
        ["Total", 8, 3, 2, 1, 1, 1, 0.8],
    ]


@pytest.mark.parametrize(
    ("role", "names"), [("anna", ["Anna Aerts"]), ("mia", ["Anna Aerts", "Bert Baert"]), ("carl", ["Carl Claes"])]
)
def test_each_role_sees_its_own_activities(client, org, world, role, names):
    tables = _tables(client, org[role])[0]
    assert [row[0] for row in tables["planned-versus-done"][:-1]] == names


def test_a_period_that_ends_before_it_starts_gives_a_message(client, org):
    client.force_login(org["anna"])
    response = client.get("/reports/activities/", {"start": "2025-03-16", "end": "2025-03-03"})
    assert response.status_code == 200
    assert "The period ends before it starts" in response.text


def test_the_export_holds_the_numbers_on_the_screen(client, org, world):
    client.force_login(org["ada"])
    with time_machine.travel(TODAY, tick=False):
        rows = read_csv(client.get("/reports/activities/", {**TWO_WEEKS, "export": "csv"}))
    assert ["Total", "8", "3", "2", "1", "1", "1", "0.8"] in rows
    assert ["Anna Aerts", "2025-03-03", "2", "1", "3"] in rows


@pytest.mark.parametrize("size", [1, 3])
def test_the_page_runs_a_fixed_number_of_queries(client, org, django_assert_num_queries, size):
    visit = ActivityTypeFactory()
    for i in range(size):
        activity = activity_create(
            user=org["anna"],
            relation=RelationFactory(representative=org["anna"]),
            activity_type=visit,
            start=datetime.date(2025, 3, 3 + i),
        )
        activity_complete(activity=activity, user=org["anna"])
    client.force_login(org["mia"])
    # session, user, types, four for the report (weeks, per representative, overdue, planned versus
    # done), the representatives to choose from
    with django_assert_num_queries(8 + pg_overhead()):
        assert client.get("/reports/activities/", TWO_WEEKS).status_code == 200


@pytest.mark.parametrize(
    "moment",
    # around the spring and autumn changes in Brussels, in UTC
    [
        "2025-03-29T22:59",
        "2025-03-29T23:00",
        "2025-03-30T00:59",
        "2025-03-30T01:00",
        "2025-03-30T21:59",
        "2025-03-30T22:00",
        "2025-10-25T21:59",
        "2025-10-25T22:00",
        "2025-10-26T00:59",
        "2025-10-26T01:00",
        "2025-10-26T22:59",
        "2025-10-26T23:00",
        "2026-07-01T22:30",
        "2026-12-31T23:30",
    ],
)
def test_local_dates_hold_around_daylight_saving_time(org, moment):
    from zoneinfo import ZoneInfo

    from kadans.activities.models import Activity
    from kadans.reports.sql import LocalDate

    start = datetime.datetime.fromisoformat(moment).replace(tzinfo=datetime.UTC)
    activity = activity_create(
        user=org["anna"],
        relation=RelationFactory(representative=org["anna"]),
        activity_type=ActivityTypeFactory(),
        start=start,
        all_day=False,
    )
    since, until = (datetime.datetime(year, 1, 1, tzinfo=datetime.UTC) for year in (2024, 2027))
    local = Activity.objects.filter(pk=activity.pk).annotate(day=LocalDate("start", since=since, until=until))
    assert local.values_list("day", flat=True).get() == start.astimezone(ZoneInfo("Europe/Brussels")).date()
