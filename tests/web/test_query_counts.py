"""The number of SQL queries of each main page and list is pinned, at two data sizes: a page that reads
its rows one by one (an N+1) fails here long before the benchmark (kadans/bench) would notice.

A count that changes on purpose is updated here, with the reason in the change. The pages of the
benchmark's operations a–e stay at 10 queries or fewer (issue 4).

The rows of each size are made once for all the tests of that size (tests/db_support.py); each test's
writes are rolled back after it."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from kadans.activities.models import Activity, ActivityType
from kadans.activities.services import CostLineData, activity_complete, activity_set_cost_lines
from kadans.relations.models import BusinessStatus
from tests.db_support import shared_rows
from tests.factories import ContactFactory, ProductFactory, RelationFactory, TeamFactory, UserFactory, make_activity

pytestmark = pytest.mark.django_db

BXL = zoneinfo.ZoneInfo("Europe/Brussels")
NOW = datetime.datetime(2026, 6, 10, 12, 0, tzinfo=BXL)
SIZES = [3, 15]


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield
    timezone.deactivate()


def make_world(size: int) -> dict:
    """`size` relations of the user, each with contacts, a planned call (with a colleague taking part),
    a done meeting with cost lines that moved the relation to prospect, and an activity of the colleague
    that the user takes part in: every kind of row the pages show, `size` times."""
    team = TeamFactory()
    me = UserFactory(username="sara", language="en", team=team)
    colleague = UserFactory(team=team)
    call = ActivityType.objects.get(name="Call")
    meeting = ActivityType.objects.get(name="Meeting")
    prospect = BusinessStatus.objects.get(code="prospect")
    product = ProductFactory()
    today = NOW.date()
    planned_calls = []
    for i in range(size):
        relation = RelationFactory(representative=me)
        contact = ContactFactory(relation=relation)
        ContactFactory(relation=relation)
        planned_calls.append(make_activity(
            user=me, relation=relation, activity_type=call, contact=contact, participants=[colleague],
            start=today + datetime.timedelta(days=i - 1),
        ))
        done = make_activity(
            user=me, relation=relation, activity_type=meeting, contact=contact, new_status=prospect,
            start=today - datetime.timedelta(days=i + 1),
            cost_lines=[CostLineData(description="Lunch", unit_price=Decimal("23.50")),
                        CostLineData(product=product, quantity=Decimal("2"))],
        )
        activity_complete(activity=done, user=me)
        make_activity(
            user=colleague, relation=relation, representative=colleague, participants=[me],
            activity_type=meeting, start=today + datetime.timedelta(days=i),
        )
    # the relation whose page is shown has `size` of everything too: done activities that changed its
    # status back and forth, each with cost lines, and open ones
    customer = BusinessStatus.objects.get(code="customer")
    for i in range(size):
        history = make_activity(
            user=me, relation=relation, activity_type=meeting, new_status=customer if i % 2 else prospect,
            start=today - datetime.timedelta(days=30 + i),
            cost_lines=[CostLineData(product=product) for _ in range(2)],
        )
        activity_complete(activity=history, user=me)
        make_activity(user=me, relation=relation, activity_type=call, start=today + datetime.timedelta(days=i))
    done.cost_lines.all().delete()
    activity_set_cost_lines(activity=done, lines=[CostLineData(product=product) for _ in range(size)])
    return {"me": me, "relation": relation, "call": planned_calls[-1], "done": done}


def _frozen_world(size: int) -> dict:
    with time_machine.travel(NOW, tick=False):
        return make_world(size)


@pytest.fixture(scope="class", params=SIZES, ids=[f"{n}-relations" for n in SIZES])
def shared_world(request, django_db_setup, django_db_blocker):
    with shared_rows(django_db_blocker, lambda: _frozen_world(request.param)) as data:
        yield data


@pytest.fixture
def world(shared_world, client):
    client.force_login(shared_world["me"])
    return shared_world


@pytest.fixture(params=SIZES, ids=[f"{n}-relations" for n in SIZES])
def committed_world(request, client):
    """Made in the test itself, for a transactional test (it commits, so it cannot share rows)."""
    data = make_world(request.param)
    client.force_login(data["me"])
    return data


PAGES = [
    # (url, queries): session and user are 2 of them on every page; the navigation's activity counters come
    # with the bell (its own request), except on "my activities", which counts them with its list
    ("/activities/", 7),  # my activities: keys of each half, their counts (2), the rows, the types to filter on
    ("/relations/", 7),  # the count, the page, and the filter form's statuses, priorities and users
    # operation c; plan runs, sent e-mails and documents are read only when the relation has some (one
    # query each then), which the relation's own query tells (relations.selectors.with_history_sources);
    # the statuses its changes name are read apart, not joined (one query per kind of change shown)
    ("/relations/{relation}/", 9),
    # the filter bar's representative is filtered on by id, not looked up first (BoardFilterSet): one fewer
    ("/activities/pipeline/", 15),  # a count and a page of cards per status (4), their next activities
    ("/activities/overview/", 8),
    ("/activities/new/", 9),  # the types' defaults come from /activities/defaults/ when a type is chosen
    ("/activities/{done}/edit/", 14),  # products read once for all cost lines (BaseCostLineFormSet)
    ("/activities/{call}/menu/?next=/activities/", 3),
    ("/notifications/bell/", 4),  # the unread count and the navigation's counters (one query)
    ("/calendar/events/?start=2026-06-01T00:00:00%2B02:00&end=2026-07-01T00:00:00%2B02:00", 4),  # operation a
]


class TestOnSharedRows:
    """The tests that roll back: they share the rows of each size."""

    @pytest.mark.parametrize(("url", "queries"), PAGES, ids=[url.split("?")[0] for url, _ in PAGES])
    def test_a_page_reads_a_fixed_number_of_queries(self, client, world, django_assert_num_queries, url, queries):
        url = url.format(**{k: v.pk for k, v in world.items()})
        with django_assert_num_queries(queries):
            response = client.get(url)
        assert response.status_code == 200

    def test_creating_an_activity_takes_a_fixed_number_of_queries(
        self, client, world, django_assert_num_queries, django_capture_on_commit_callbacks
    ):
        data = {
            "relation": world["relation"].pk, "type": ActivityType.objects.get(name="To Do").pk,
            "representative": world["me"].pk, "status": "planned", "start_date": "2026-06-12", "all_day": "on",
            "summary": "Bring the samples", "costs-TOTAL_FORMS": "0", "costs-INITIAL_FORMS": "0",
            "costs-MIN_NUM_FORMS": "0", "costs-MAX_NUM_FORMS": "1000",
        }
        # what runs after the commit (webhooks, the audit trail) counts too; the audit trail's entry for
        # the new activity is one INSERT (kadans.audit)
        with django_assert_num_queries(10), django_capture_on_commit_callbacks(execute=True):  # operation d
            response = client.post("/activities/new/", data)
        assert response.status_code == 302
        assert Activity.objects.filter(relation=world["relation"], summary="Bring the samples").count() == 1


@pytest.mark.django_db(transaction=True)
def test_completing_with_a_triggered_next_takes_a_fixed_number_of_queries(
    client, committed_world, django_assert_num_queries
):
    """Committed for real, as on the server: the webhook events "completed" and "created" run after the
    commit inside the request and share one read of the subscriptions."""
    call = committed_world["call"]
    # 12 with the audit trail (kadans.audit): an INSERT for the triggered activity, and for the completion
    # (an UPDATE no signal sees) its read of the activity and an INSERT
    with django_assert_num_queries(12):  # operation e
        response = client.post(f"/activities/{call.pk}/complete/")
    assert response.status_code == 302
    assert Activity.objects.filter(previous=call).count() == 1
