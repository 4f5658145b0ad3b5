"""The conversion report: hand-computed status changes per month, conversions, median time to convert
and cost per conversion per representative and action type; exports, bad input, roles, queries."""

import datetime
from decimal import Decimal as D

import pytest
import time_machine

from kadans.relations.models import BusinessStatus
from kadans.relations.services import relation_update
from tests.factories import ActivityTypeFactory, ProductFactory, RelationFactory, UserFactory
from tests.reports_support import done, lunch, people, pg_overhead, read_csv, read_xlsx, samples

pytestmark = pytest.mark.django_db

Q1 = {"start": "2025-01-01", "end": "2025-03-31"}


def status(code):
    return BusinessStatus.objects.get(code=code)


@pytest.fixture
def org():
    return people()


@pytest.fixture
def world(org):
    """Times of conversion, from the first done action (all-day, so midnight in Brussels, 23:00 UTC the
    day before) to the change (noon UTC on the day it was done):
    Café Anker (Anna, by a visit)      2025-01-05 23:00 -> 2025-02-05 12:00  30.54 days, costs 30 + 10 + 50
    Bar Zeta (Anna, by a tasting)      2024-12-19 23:00 -> 2025-02-10 12:00  52.54 days, costs 20 + 5
    De Kroon (Bert, by a visit)        2025-03-02 23:00 -> 2025-03-17 12:00  14.54 days, costs 40 + 60
    Het Veer (Carl, by hand)           no action                              -          , costs 0
    """
    visit, tasting = ActivityTypeFactory(name="Bezoek", order=1), ActivityTypeFactory(name="Proeverij", order=2)
    tripel = ProductFactory(cost_price=D("1.25"))
    anna, bert, carl = org["anna"], org["bert"], org["carl"]
    anker, zeta = (
        RelationFactory(name="Café Anker", representative=anna),
        RelationFactory(name="Bar Zeta", representative=anna),
    )
    kroon, veer = (
        RelationFactory(name="De Kroon", representative=bert),
        RelationFactory(name="Het Veer", representative=carl),
    )
    spoor = RelationFactory(name="Het Spoor", representative=bert)
    day = datetime.date
    done(user=anna, relation=anker, activity_type=visit, day=day(2025, 1, 6), lines=[lunch("30.00")])
    done(
        user=anna,
        relation=anker,
        activity_type=tasting,
        day=day(2025, 1, 20),
        lines=[samples(tripel, 8)],
        new_status=status("prospect"),
    )
    done(
        user=anna,
        relation=anker,
        activity_type=visit,
        day=day(2025, 2, 5),
        lines=[lunch("50.00")],
        new_status=status("customer"),
    )
    done(user=anna, relation=anker, activity_type=visit, day=day(2025, 3, 1), lines=[lunch("99.00")])  # after
    done(user=anna, relation=zeta, activity_type=visit, day=day(2024, 12, 20), lines=[lunch("20.00")])
    done(
        user=anna,
        relation=zeta,
        activity_type=tasting,
        day=day(2025, 2, 10),
        lines=[samples(tripel, 4)],
        new_status=status("customer"),
    )
    done(
        user=bert,
        relation=kroon,
        activity_type=visit,
        day=day(2025, 3, 3),
        lines=[lunch("40.00")],
        new_status=status("prospect"),
    )
    done(
        user=bert,
        relation=kroon,
        activity_type=visit,
        day=day(2025, 3, 17),
        lines=[lunch("60.00")],
        new_status=status("customer"),
    )
    done(user=bert, relation=spoor, activity_type=visit, day=day(2025, 2, 20), new_status=status("lost"))
    with time_machine.travel(datetime.datetime(2025, 1, 15, 12, tzinfo=datetime.UTC), tick=False):
        relation_update(relation=veer, user=carl, business_status=status("customer"))


def _report(client, user, **params):
    client.force_login(user)
    response = client.get("/reports/conversions/", {**Q1, **params})
    assert response.status_code == 200, response.content[:500]
    return {t.key: [row.cells for row in t.rows] for t in response.context["tables"]}


def test_status_changes_and_conversions_per_month(client, org, world):
    tables = _report(client, org["ada"])
    jan, feb, mar = (datetime.date(2025, m, 1) for m in (1, 2, 3))
    assert tables["per-month"] == [[jan, 2, 1], [feb, 3, 2], [mar, 2, 1]]
    assert tables["transitions"] == [
        [jan, "Lead", "Prospect", 1],
        [jan, "Lead", "Customer", 1],
        [feb, "Lead", "Customer", 1],
        [feb, "Lead", "Lost", 1],
        [feb, "Prospect", "Customer", 1],
        [mar, "Lead", "Prospect", 1],
        [mar, "Prospect", "Customer", 1],
    ]


def test_median_time_and_cost_per_conversion_per_representative_and_type(client, org, world):
    tables = _report(client, org["ada"])
    assert tables["per-representative"] == [
        ["Anna Aerts", 2, 41.5, D("115.00"), D("57.50")],
        ["Bert Baert", 1, 14.5, D("100.00"), D("100.00")],
        ["Carl Claes", 1, None, D("0.00"), D("0.00")],
        ["Total", 4, 30.5, D("215.00"), D("53.75")],
    ]
    assert tables["per-type"] == [
        ["Bezoek", 2, 22.5, D("190.00"), D("95.00")],
        ["Proeverij", 1, 52.5, D("25.00"), D("25.00")],
        ["By hand", 1, None, D("0.00"), D("0.00")],
        ["Total", 4, 30.5, D("215.00"), D("53.75")],
    ]


def test_filters_on_representative_and_type(client, org, world):
    assert _report(client, org["ada"], representative=org["bert"].pk)["per-representative"][-1] == [
        "Total",
        1,
        14.5,
        D("100.00"),
        D("100.00"),
    ]
    tasting = _report(client, org["ada"], type=world_type("Proeverij"))
    assert tasting["per-type"] == [
        ["Proeverij", 1, 52.5, D("25.00"), D("25.00")],
        ["Total", 1, 52.5, D("25.00"), D("25.00")],
    ]


def world_type(name):
    from kadans.activities.models import ActivityType

    return ActivityType.objects.get(name=name).pk


@pytest.mark.parametrize(("role", "conversions"), [("anna", 2), ("mia", 3), ("ada", 4), ("carl", 1)])
def test_each_role_sees_its_own_conversions(client, org, world, role, conversions):
    tables = _report(client, org[role])
    assert tables["per-representative"][-1][1] == conversions
    assert sum(row[2] for row in tables["per-month"]) == conversions


def test_a_representative_outside_ones_team_is_refused(client, org, world):
    client.force_login(org["mia"])
    response = client.get("/reports/conversions/", {**Q1, "representative": org["carl"].pk})
    assert "tables" not in response.context
    assert "Choose a representative whose numbers you may see." in response.text


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "2025-05-01", "end": "2025-04-01"}, "The period ends before it starts"),
        ({"end": ""}, "Give the last day of the period."),
        ({"type": "999999"}, "Choose an existing action type."),
        ({"export": "doc"}, "Export as csv or xlsx."),
    ],
)
def test_bad_input_gives_a_message(client, org, params, message):
    client.force_login(org["ada"])
    response = client.get("/reports/conversions/", {**Q1, **params})
    assert response.status_code in (200, 400)
    assert message in response.text


def test_the_exports_hold_the_numbers_on_the_screen(client, org, world):
    tables = _report(client, org["ada"])
    rows = read_csv(client.get("/reports/conversions/", {**Q1, "export": "csv"}))
    at = rows.index(["Conversions per representative"])
    assert rows[at + 1] == ["Representative", "Conversions", "Median days to convert", "Cost", "Cost per conversion"]
    assert rows[at + 2 : at + 6] == [
        [str(c) if c is not None else "" for c in row] for row in tables["per-representative"]
    ]
    sheets = read_xlsx(client.get("/reports/conversions/", {**Q1, "export": "xlsx"}))
    assert list(sheets) == [
        "Status changes per month",
        "From → to",
        "Conversions per representative",
        "Conversions per action type",
    ]
    per_type = sheets["Conversions per action type"][1:]
    assert [[r[0], r[1], r[2], r[3] is not None and D(str(r[3])).quantize(D("0.01"))] for r in per_type] == [
        [row[0], row[1], row[2], row[3]] for row in tables["per-type"]
    ]


def test_an_empty_selection_exports_valid_files(client, org):
    client.force_login(org["anna"])
    params = {"start": "2031-01-01", "end": "2031-01-31"}
    rows = read_csv(client.get("/reports/conversions/", {**params, "export": "csv"}))
    assert rows[:3] == [["Status changes per month"], ["Month", "Status changes", "Conversions"], ["2031-01", "0", "0"]]
    assert ["Total", "0", "", "0.00", ""] in rows
    assert len(read_xlsx(client.get("/reports/conversions/", {**params, "export": "xlsx"}))) == 4


@pytest.mark.parametrize(("language", "month"), [("en", "February 2025"), ("nl", "februari 2025")])
def test_the_report_reads_in_the_users_language(client, world, language, month):
    client.force_login(UserFactory(role="administrator", language=language))
    response = client.get("/reports/conversions/", Q1)
    assert response.headers["Content-Language"] == language
    assert month in response.text


@pytest.mark.parametrize("size", [1, 3])
def test_the_report_runs_a_fixed_number_of_queries(client, org, django_assert_num_queries, size):
    visit = ActivityTypeFactory()
    for i in range(size):
        relation = RelationFactory(representative=org["anna"])
        done(
            user=org["anna"],
            relation=relation,
            activity_type=visit,
            day=datetime.date(2025, 1, 1),
            lines=[lunch("10.00")],
        )
        done(
            user=org["anna"],
            relation=relation,
            activity_type=visit,
            day=datetime.date(2025, 2, 1 + i),
            new_status=status("customer"),
        )
    client.force_login(org["anna"])
    # session, user, four for the report (changes, conversions, names, durations), and the filters'
    # choices: representatives, types
    with django_assert_num_queries(8 + pg_overhead()):
        assert client.get("/reports/conversions/", Q1).status_code == 200
