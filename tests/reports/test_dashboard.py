"""The dashboard: today's and overdue actions, the week's done versus planned, overdue per
representative, costs this month and year by type, conversions this quarter, relations without a next
action by priority; for each role its own numbers; in Dutch and English; a fixed number of queries."""

import datetime
from decimal import Decimal as D

import pytest
import time_machine

from kadans.activities.services import activity_cancel, activity_create
from kadans.relations.models import BusinessStatus, Priority
from kadans.relations.services import relation_update
from tests.factories import ActivityTypeFactory, RelationFactory, UserFactory
from tests.reports_support import done, lunch, people, pg_overhead

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2025, 2, 12, 9, 0, tzinfo=datetime.UTC)  # Wednesday; the week runs 10 to 16 February


@pytest.fixture
def org():
    return people()


@pytest.fixture
def world(org):
    visit, tasting = ActivityTypeFactory(name="Bezoek", order=1), ActivityTypeFactory(name="Proeverij", order=2)
    a, b = Priority.objects.get(name="A"), Priority.objects.get(name="B")
    anna, bert, carl = org["anna"], org["bert"], org["carl"]
    day = lambda d, m=2: datetime.date(2025, m, d)  # noqa: E731

    def planned(user, relation, d, m=2):
        with time_machine.travel(datetime.datetime(2025, 1, 2, tzinfo=datetime.UTC), tick=False):
            return activity_create(user=user, relation=relation, activity_type=visit, start=day(d, m))

    r1 = RelationFactory(name="Anna 1", representative=anna, priority=a)
    for d in (10, 12, 14):  # overdue, today, later this week
        planned(anna, r1, d)
    activity_cancel(activity=planned(anna, r1, 13), user=anna)
    r2 = RelationFactory(name="Anna 2", representative=anna, priority=a)
    done(
        user=anna,
        relation=r2,
        activity_type=visit,
        day=day(11),
        lines=[lunch("20.00")],
        new_status=BusinessStatus.objects.get(code="customer"),
    )
    r3 = RelationFactory(name="Anna 3", representative=anna, priority=b)
    done(user=anna, relation=r3, activity_type=visit, day=day(5, 1), lines=[lunch("30.00")])
    r4 = RelationFactory(name="Bert 4", representative=bert)
    planned(bert, r4, 3), planned(bert, r4, 5)
    r5 = RelationFactory(name="Bert 5", representative=bert, priority=b)
    done(user=bert, relation=r5, activity_type=tasting, day=day(10), lines=[lunch("15.00")])
    r6, r7 = RelationFactory(name="Carl 6", representative=carl, priority=a), RelationFactory(representative=carl)
    planned(carl, r6, 7)
    with time_machine.travel(datetime.datetime(2025, 1, 20, 12, tzinfo=datetime.UTC), tick=False):
        relation_update(relation=r7, user=carl, business_status=BusinessStatus.objects.get(code="customer"))


def _dashboard(client, user):
    client.force_login(user)
    with time_machine.travel(NOW, tick=False):
        response = client.get("/dashboard/")
    assert response.status_code == 200, response.content[:500]
    return response


def _cells(response, key):
    return [row.cells for row in response.context["tables"][key].rows]


def test_a_manager_sees_the_teams_numbers(client, org, world):
    response = _dashboard(client, org["mia"])
    data = response.context["data"]
    assert (data.overdue_count, data.today_count) == (3, 1)
    assert [(a.relation.name, a.due_date.day) for a in data.due_now] == [
        ("Bert 4", 3),
        ("Bert 4", 5),
        ("Anna 1", 10),
        ("Anna 1", 12),
    ]
    assert _cells(response, "week") == [["Anna Aerts", 1, 4], ["Bert Baert", 1, 1]]
    assert _cells(response, "overdue") == [["Bert Baert", 2], ["Anna Aerts", 1]]
    assert _cells(response, "costs") == [
        ["Bezoek", D("20.00"), D("50.00")],
        ["Proeverij", D("15.00"), D("15.00")],
        ["Total", D("35.00"), D("65.00")],
    ]
    assert _cells(response, "conversions") == [
        [datetime.date(2025, 1, 1), 0],
        [datetime.date(2025, 2, 1), 1],
        [datetime.date(2025, 3, 1), 0],
        ["Total", 1],
    ]
    assert _cells(response, "without_next") == [["A", 1], ["B", 2]]


def test_the_costs_link_to_the_report_with_the_same_numbers(client, org, world):
    response = _dashboard(client, org["mia"])
    total_year = response.context["tables"]["costs"].rows[-1]
    with time_machine.travel(NOW, tick=False):
        report = client.get(total_year.link)
    assert report.context["table"].rows[-1].cells[-1] == D("35.00")  # the link of the total is this month's


@pytest.mark.parametrize(
    ("role", "overdue", "today", "conversions"),
    [
        ("anna", 1, 1, 1),
        ("bert", 2, 0, 0),
        ("carl", 1, 0, 1),
        ("ada", 4, 1, 2),
    ],
)
def test_each_role_sees_its_own_numbers(client, org, world, role, overdue, today, conversions):
    data = _dashboard(client, org[role]).context["data"]
    assert (data.overdue_count, data.today_count, data.conversions_total) == (overdue, today, conversions)


def test_the_dashboard_shows_charts_with_their_tables(client, org, world):
    response = _dashboard(client, org["mia"])
    assert response.text.count("<svg") == 5
    assert response.text.count('class="responsive striped report-table"') == 5


@pytest.mark.parametrize(("language", "word", "other_language_word"), [
    ("en", "February", "februari"), ("nl", "februari", "February"),
])
def test_the_dashboard_reads_in_the_users_language(client, settings, world, language, word, other_language_word):
    settings.LANGUAGE_CODE = "nl" if language == "en" else "en"  # the user's language wins over the site's
    response = _dashboard(client, UserFactory(role="administrator", language=language))
    assert response.headers["Content-Language"] == language
    assert word in response.text and other_language_word not in response.text


@pytest.mark.parametrize("size", [1, 3])
def test_the_dashboard_runs_a_fixed_number_of_queries(client, org, django_assert_num_queries, size):
    visit = ActivityTypeFactory()
    for i in range(size):
        relation = RelationFactory(representative=org["anna"])
        done(
            user=org["anna"],
            relation=relation,
            activity_type=visit,
            day=datetime.date(2025, 2, 3 + i),
            lines=[lunch("10.00")],
        )
        activity_create(user=org["anna"], relation=relation, activity_type=visit, start=datetime.date(2025, 2, 1))
    client.force_login(org["mia"])
    # session, user, six for the dashboard (the list, due per representative, the week, costs,
    # conversions, relations without a next action)
    with time_machine.travel(NOW, tick=False), django_assert_num_queries(8 + pg_overhead()):
        assert client.get("/dashboard/").status_code == 200


@pytest.mark.parametrize(
    "page",
    [
        "/dashboard/",
        "/reports/",
        "/reports/costs/",
        "/reports/costs/activities/",
        "/reports/conversions/",
        "/reports/activities/",
        "/reports/to-schedule/",
    ],
)
def test_anonymous_visitors_are_sent_to_the_login_page(client, page):
    response = client.get(page)
    assert response.status_code == 302
    assert response.url.startswith("/login/?next=")


def test_an_anonymous_plan_is_sent_to_the_login_page_and_plans_nothing(client, world):
    from kadans.activities.models import Activity

    count = Activity.objects.count()
    response = client.post("/reports/to-schedule/plan/", {})
    assert response.status_code == 302 and response.url.startswith("/login/")
    assert Activity.objects.count() == count
