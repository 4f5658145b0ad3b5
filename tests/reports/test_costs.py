"""The CRM-costs report: hand-computed totals per representative and month with subtotals, the
drill-down, exports equal to the screen, bad input, who sees what, and a fixed number of queries."""

import datetime
from decimal import Decimal as D

import pytest

from kadans.activities.services import activity_create
from tests.factories import ActivityTypeFactory, ProductFactory, RelationFactory
from tests.reports_support import as_decimal, done, lunch, people, pg_overhead, read_csv, read_xlsx, samples

pytestmark = pytest.mark.django_db

JAN_FEB = {"start": "2025-01-01", "end": "2025-02-28", "group": "representative,month"}


@pytest.fixture
def org():
    return people()


@pytest.fixture
def world(org):
    """Done actions with costs in January and February 2025 (amounts in the comments), and some that
    must not count: planned, outside the period, without costs."""
    visit, tasting = ActivityTypeFactory(name="Bezoek", order=1), ActivityTypeFactory(name="Proeverij", order=2)
    tripel = ProductFactory(name="Tripel", cost_price=D("1.25"))
    anna, bert, carl = org["anna"], org["bert"], org["carl"]
    r1, r2 = (
        RelationFactory(name="Café Anker", representative=anna),
        RelationFactory(name="Bar Zeta", representative=anna),
    )
    r3, r4 = (
        RelationFactory(name="De Kroon", representative=bert),
        RelationFactory(name="Het Veer", representative=carl),
    )
    day = datetime.date
    # Anna, January: 40.00 + 6 × 1.25 and 4 × 1.25 -> samples 12.50, other 40.00
    done(user=anna, relation=r1, activity_type=visit, day=day(2025, 1, 15), lines=[lunch("40.00"), samples(tripel, 6)])
    done(user=anna, relation=r1, activity_type=tasting, day=day(2025, 1, 20), lines=[samples(tripel, 4)])
    # Anna, February: parking 3.50; and an action without costs, which adds nothing
    done(user=anna, relation=r2, activity_type=visit, day=day(2025, 2, 3), lines=[lunch("3.50", "Parking")])
    done(user=anna, relation=r2, activity_type=visit, day=day(2025, 2, 5))
    # Bert: the last day of January (all-day, stored as 23:00 UTC the day before) and February
    done(user=bert, relation=r3, activity_type=tasting, day=day(2025, 1, 31), lines=[lunch("5.00", "Parking")])
    done(user=bert, relation=r3, activity_type=visit, day=day(2025, 2, 10), lines=[lunch("60.00"), samples(tripel, 2)])
    # Carl, another team
    done(user=carl, relation=r4, activity_type=visit, day=day(2025, 1, 10), lines=[lunch("100.00")])
    # not counted: planned, and done outside the period
    activity_create(user=anna, relation=r1, activity_type=visit, start=day(2025, 2, 20), cost_lines=[lunch("30.00")])
    done(user=anna, relation=r2, activity_type=visit, day=day(2024, 12, 31), lines=[lunch("20.00")])
    return {"visit": visit, "tasting": tasting, "tripel": tripel, "r1": r1, "r4": r4}


def _get(client, user, **params):
    client.force_login(user)
    return client.get("/reports/costs/", params)


def _rows(response) -> list[list]:
    """The table as shown: labels, actions, samples, other costs, total."""
    assert response.status_code == 200, response.content[:500]
    return [[*row.cells] for row in response.context["table"].rows]


def test_costs_per_representative_and_month_with_subtotals_and_total(client, org, world):
    jan, feb = datetime.date(2025, 1, 1), datetime.date(2025, 2, 1)
    assert _rows(_get(client, org["ada"], **JAN_FEB)) == [
        ["Anna Aerts", jan, 2, D("12.50"), D("40.00"), D("52.50")],
        ["Anna Aerts", feb, 1, D("0.00"), D("3.50"), D("3.50")],
        ["Anna Aerts", "Subtotal", 3, D("12.50"), D("43.50"), D("56.00")],
        ["Bert Baert", jan, 1, D("0.00"), D("5.00"), D("5.00")],
        ["Bert Baert", feb, 1, D("2.50"), D("60.00"), D("62.50")],
        ["Bert Baert", "Subtotal", 2, D("2.50"), D("65.00"), D("67.50")],
        ["Carl Claes", jan, 1, D("0.00"), D("100.00"), D("100.00")],
        ["Carl Claes", "Subtotal", 1, D("0.00"), D("100.00"), D("100.00")],
        ["Total", "", 6, D("15.00"), D("208.50"), D("223.50")],
    ]


def test_costs_per_product_and_per_type(client, org, world):
    by_product = _rows(_get(client, org["ada"], start="2025-01-01", end="2025-02-28", group="product"))
    assert by_product == [
        ["Tripel", 3, D("15.00"), D("0.00"), D("15.00")],
        ["No product (other costs)", 5, D("0.00"), D("208.50"), D("208.50")],
        ["Total", 8, D("15.00"), D("208.50"), D("223.50")],
    ]
    by_type = _rows(_get(client, org["ada"], start="2025-01-01", end="2025-02-28", group="type", product="none"))
    assert by_type == [
        ["Bezoek", 4, D("0.00"), D("203.50"), D("203.50")],
        ["Proeverij", 1, D("0.00"), D("5.00"), D("5.00")],
        ["Total", 5, D("0.00"), D("208.50"), D("208.50")],
    ]


def test_filters_narrow_the_costs(client, org, world):
    ada = org["ada"]
    period = {"start": "2025-01-01", "end": "2025-02-28", "group": "representative"}
    total = lambda **f: _rows(_get(client, ada, **period, **f))[-1][1:]  # noqa: E731
    assert total(relation=world["r1"].pk) == [2, D("12.50"), D("40.00"), D("52.50")]
    assert total(type=world["tasting"].pk) == [2, D("5.00"), D("5.00"), D("10.00")]
    assert total(product=world["tripel"].pk) == [3, D("15.00"), D("0.00"), D("15.00")]
    assert total(team=org["carl"].team_id) == [1, D("0.00"), D("100.00"), D("100.00")]
    assert total(status=world["r4"].business_status_id) == [6, D("15.00"), D("208.50"), D("223.50")]


def test_a_row_drills_down_to_its_actions_with_the_same_total(client, org, world):
    response = _get(client, org["ada"], **JAN_FEB)
    anna_january = response.context["table"].rows[0]
    drill = client.get(anna_january.link)
    assert drill.status_code == 200
    assert [r["activity"].type.name for r in drill.context["rows"]] == ["Proeverij", "Bezoek"]
    assert [r["total"] for r in drill.context["rows"]] == [D("5.00"), D("47.50")]
    assert drill.context["totals"] == {"actions": 2, "samples": D("12.50"), "other": D("40.00"), "total": D("52.50")}


@pytest.mark.parametrize(
    ("role", "names", "total"),
    [
        ("anna", ["Anna Aerts"], D("56.00")),
        ("mia", ["Anna Aerts", "Bert Baert"], D("123.50")),
        ("ada", ["Anna Aerts", "Bert Baert", "Carl Claes"], D("223.50")),
    ],
)
def test_each_role_sees_its_own_numbers(client, org, world, role, names, total):
    rows = _rows(_get(client, org[role], start="2025-01-01", end="2025-02-28", group="representative"))
    assert [r[0] for r in rows[:-1]] == names
    assert rows[-1][-1] == total


@pytest.mark.parametrize(
    ("role", "param", "other"),
    [("anna", "representative", "bert"), ("mia", "representative", "carl"), ("mia", "team", "carl")],
)
def test_a_filter_on_numbers_one_may_not_see_is_refused(client, org, world, role, param, other):
    value = org[other].pk if param == "representative" else org[other].team_id
    response = _get(client, org[role], **JAN_FEB, **{param: value})
    assert response.status_code == 200
    assert "table" not in response.context
    assert response.context["errors"]
    assert "Claes" not in response.text and "100.00" not in response.text


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "2025-03-01", "end": "2025-01-01"}, "The period ends before it starts"),
        ({"start": "", "end": "2025-01-01"}, "Give the first day of the period."),
        ({"start": "2025-13-45", "end": "2025-12-31"}, "Give the first day of the period as a date."),
        ({"start": "2000-01-01", "end": "2025-12-31"}, "at most ten years"),
        ({"group": "colour"}, "Unknown grouping “colour”"),
        ({"group": "month,month"}, "Group by one or two different things."),
        ({"group": "month,type,product"}, "Group by one or two different things."),
        ({"type": "abc"}, "Choose an existing action type."),
        ({"product": "999999"}, "Choose an existing product."),
        ({"relation": "999999"}, "This relation does not exist."),
        ({"representative": "999999"}, "Choose a representative whose numbers you may see."),
        ({"export": "pdf"}, "Export as csv or xlsx."),
    ],
)
def test_bad_input_gives_a_message_not_an_error_page(client, org, params, message):
    response = _get(client, org["ada"], **params)
    assert response.status_code in (200, 400)
    assert message in " ".join(response.context["errors"])
    assert message.split("“")[0] in response.text


def test_the_exports_hold_the_numbers_on_the_screen(client, org, world):
    screen = _rows(_get(client, org["ada"], **JAN_FEB))
    csv_rows = read_csv(client.get("/reports/costs/", {**JAN_FEB, "export": "csv"}))
    assert csv_rows[0] == ["Representative", "Month", "Actions", "Samples", "Other costs", "Total"]
    assert csv_rows[1] == ["Anna Aerts", "2025-01", "2", "12.50", "40.00", "52.50"]
    xlsx_rows = read_xlsx(client.get("/reports/costs/", {**JAN_FEB, "export": "xlsx"}))["CRM costs"]
    assert xlsx_rows[0] == csv_rows[0]
    label = lambda c: c.strftime("%Y-%m") if isinstance(c, datetime.date) else c  # noqa: E731
    for shown, from_csv, from_xlsx in zip(screen, csv_rows[1:], xlsx_rows[1:], strict=True):
        assert from_csv[:2] == [label(c) for c in shown[:2]]
        assert [c or "" for c in from_xlsx[:2]] == [label(c) for c in shown[:2]]
        assert [int(from_csv[2]), *map(D, from_csv[3:])] == shown[2:]
        assert [from_xlsx[2], *map(as_decimal, from_xlsx[3:])] == shown[2:]


def test_an_empty_selection_exports_a_valid_empty_file(client, org):
    client.force_login(org["anna"])
    params = {"start": "2030-01-01", "end": "2030-01-31", "group": "type"}
    assert read_csv(client.get("/reports/costs/", {**params, "export": "csv"})) == [
        ["Action type", "Actions", "Samples", "Other costs", "Total"],
        ["Total", "0", "0.00", "0.00", "0.00"],
    ]
    sheet = read_xlsx(client.get("/reports/costs/", {**params, "export": "xlsx"}))["CRM costs"]
    assert sheet[0] == ["Action type", "Actions", "Samples", "Other costs", "Total"]


def test_the_page_shows_the_numbers_and_a_chart(client, org, world):
    response = _get(client, org["ada"], **JAN_FEB)
    assert "<svg" in response.text
    assert "223.50" in response.text and "January 2025" in response.text


@pytest.mark.parametrize("size", [1, 3])
def test_the_report_runs_a_fixed_number_of_queries(client, org, django_assert_num_queries, size):
    visit = ActivityTypeFactory()
    for i in range(size):
        relation = RelationFactory(representative=org["bert"])
        done(
            user=org["bert"],
            relation=relation,
            activity_type=visit,
            day=datetime.date(2025, 1, 1 + i),
            lines=[lunch("10.00")],
        )
    client.force_login(org["mia"])
    # session, user, the report, and the filters' choices: products, representatives, teams, statuses,
    # types
    with django_assert_num_queries(8 + pg_overhead()):
        assert client.get("/reports/costs/", JAN_FEB).status_code == 200
