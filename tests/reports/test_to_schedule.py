"""The "to be scheduled" list: contact cadence (the relation's own, else its priority's), action type
intervals, relations without a next action; its order, its suggestions and the one-click plan."""

import datetime

import pytest
import time_machine

from kadans.activities.models import Activity
from kadans.activities.services import activity_create
from kadans.relations.models import BusinessStatus, Priority
from tests.factories import ActivityTypeFactory, RelationFactory
from tests.reports_support import done, people, pg_overhead

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 16)
NOW = datetime.datetime(2025, 6, 16, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def org():
    return people()


@pytest.fixture
def world(org):
    """Priorities A, B and C have cadences of 30, 60 and 90 days; a tasting should come back within 90."""
    visit = ActivityTypeFactory(name="Bezoek", order=1)
    tasting = ActivityTypeFactory(name="Proeverij", order=2, interval_days=90)
    a, b, c = (Priority.objects.get(name=n) for n in "ABC")
    anna = org["anna"]
    day = datetime.date

    def relation(name, priority, *, done_on=(), planned=None, user=anna, **kwargs):
        r = RelationFactory(name=name, priority=priority, representative=user, **kwargs)
        for when, activity_type in done_on:
            done(user=user, relation=r, activity_type=activity_type, day=when)
        if planned:
            activity_create(user=user, relation=r, activity_type=visit, start=planned)
        return r

    return {
        "visit": visit,
        "tasting": tasting,
        # listed: nothing planned (due again 10 July)
        "no_next": relation("A, nothing planned", a, done_on=[(day(2025, 6, 10), visit)]),
        # listed: the cadence ran out on 1 May, and the next visit is only in July
        "cadence": relation("A, cadence ran out", a, done_on=[(day(2025, 4, 1), visit)], planned=day(2025, 7, 1)),
        # not listed: within the cadence and planned
        "fine": relation("A, fine", a, done_on=[(day(2025, 6, 1), visit)], planned=day(2025, 6, 20)),
        # not listed: past the cadence but planned today
        "today": relation("A, planned today", a, done_on=[(day(2025, 3, 1), visit)], planned=TODAY),
        # listed: its own cadence of 10 days ran out on 11 June (priority C's 90 days would not have)
        "own": relation(
            "C, own cadence", c, done_on=[(day(2025, 6, 1), visit)], planned=day(2025, 8, 1), cadence_days=10
        ),
        # listed: a tasting more than 90 days ago and none since, although a visit is planned
        "interval": relation(
            "B, tasting due",
            b,
            done_on=[(day(2025, 2, 1), tasting), (day(2025, 6, 1), visit)],
            planned=day(2025, 6, 30),
        ),
        # not listed: lost
        "lost": relation("A, lost", a, business_status=BusinessStatus.objects.get(code="lost")),
        # listed: no priority, never contacted
        "new": relation("No priority", None),
        # Bert's: listed for his manager, not on Anna's list
        "bert": relation("A, Bert's", a, user=org["bert"]),
    }


def _page(client, user, **params):
    client.force_login(user)
    with time_machine.travel(NOW, tick=False):
        response = client.get("/reports/to-schedule/", params)
    assert response.status_code == 200, response.content[:500]
    return response


def _listed(response) -> list[tuple]:
    return [(s.relation.name, s.reason, s.activity_type.name, s.day) for s in response.context["suggestions"]]


def test_the_list_shows_who_needs_a_next_action_by_priority_with_a_suggestion(client, org, world):
    assert _listed(_page(client, org["anna"])) == [
        ("A, cadence ran out", "cadence", "Bezoek", TODAY),
        ("A, nothing planned", "no-next", "Bezoek", datetime.date(2025, 7, 10)),
        ("B, tasting due", "interval", "Proeverij", TODAY),
        ("C, own cadence", "cadence", "Bezoek", TODAY),
        ("No priority", "no-next", "Bezoek", TODAY),
    ]


def test_one_click_plans_the_suggestion_and_the_relation_leaves_the_list(client, org, world):
    response = _page(client, org["anna"])
    assert 'action="/reports/to-schedule/plan/"' in response.text
    with time_machine.travel(NOW, tick=False):
        response = client.post(
            "/reports/to-schedule/plan/",
            {
                "relation": world["cadence"].pk,
                "type": world["visit"].pk,
                "start": "2025-06-16",
                "next": "/reports/to-schedule/",
            },
            follow=True,
        )
    planned = Activity.objects.filter(relation=world["cadence"], status="planned").order_by("start").first()
    assert (planned.due_date, planned.type, planned.representative) == (TODAY, world["visit"], org["anna"])
    assert "Planned: Bezoek with A, cadence ran out" in response.text
    assert "A, cadence ran out" not in [s[0] for s in _listed(_page(client, org["anna"]))]


def test_a_bad_plan_is_refused_with_a_message(client, org, world):
    client.force_login(org["anna"])
    response = client.post(
        "/reports/to-schedule/plan/", {"relation": "999999", "type": "x", "start": "soon"}, follow=True
    )
    assert response.status_code == 200
    assert "This suggestion can no longer be planned" in response.text
    assert not Activity.objects.filter(relation_id=999999).exists()


@pytest.mark.parametrize(
    ("role", "params", "names"),
    [
        ("mia", {"representative": ""}, {"A, Bert's"}),
        ("ada", {"representative": ""}, {"A, Bert's"}),
        ("carl", {"representative": ""}, set()),
    ],
)
def test_managers_and_administrators_see_their_teams_lists(client, org, world, role, params, names):
    listed = {s[0] for s in _listed(_page(client, org[role], **params))}
    assert names <= listed
    assert ("A, cadence ran out" in listed) == (role != "carl")


def test_an_administrators_list_opens_on_their_own_relations(client, org, world):
    response = _page(client, org["ada"])
    assert response.context["form"]["representative"].value() == org["ada"].pk
    assert _listed(response) == []


def test_a_representative_cannot_see_a_colleagues_list(client, org, world):
    response = _page(client, org["anna"], representative=org["bert"].pk)
    assert "Choose a representative whose numbers you may see." in response.text
    assert "A, Bert's" not in response.text


@pytest.mark.parametrize("size", [1, 3])
def test_the_list_runs_a_fixed_number_of_queries(client, org, django_assert_num_queries, size):
    visit = ActivityTypeFactory(interval_days=30)
    for i in range(size):
        relation = RelationFactory(representative=org["anna"], priority=Priority.objects.get(name="A"))
        done(user=org["anna"], relation=relation, activity_type=visit, day=datetime.date(2025, 1, 1 + i))
    client.force_login(org["anna"])
    # session, user, types with an interval, count, page, the page's suggestions (active types, last
    # types, intervals), the filters' choices (representatives, priorities)
    with django_assert_num_queries(10 + pg_overhead()):
        assert client.get("/reports/to-schedule/").status_code == 200
