""""My activities" (MyActivitiesFilterSet) and the API's activity list (ActivityFilterSet): the page and
its export give the same rows for one query string, and the API gives them too for the same question
asked in its own parameters (a period is a due-date range), also for a user far from the company's time
zone, whose all-day activities are dates in the company's time zone everywhere."""

import csv
import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from kadans.activities.filters import MyActivitiesFilterSet, period_days
from kadans.activities.models import ActivityType
from kadans.activities.selectors import user_open_activities
from kadans.activities.services import activity_complete
from kadans.core.time import today_bounds
from tests.api_support import api_as
from tests.factories import RelationFactory, UserFactory, make_activity

pytestmark = pytest.mark.django_db

BXL = zoneinfo.ZoneInfo("Europe/Brussels")
NOW = datetime.datetime(2026, 6, 10, 23, 30, tzinfo=BXL)  # late evening: New York is still on the 10th


@pytest.fixture(params=["Europe/Brussels", "America/New_York", "Pacific/Auckland"])
def world(request):
    me = UserFactory(username="me", time_zone=request.param, language="en")
    other = UserFactory()
    call, meeting = ActivityType.objects.get(name="Call"), ActivityType.objects.get(name="Meeting")
    anker = RelationFactory(representative=me, name="Brouwerij Het Anker")
    rubens = RelationFactory(representative=other, name="Café Rubens")
    with time_machine.travel(NOW, tick=False):
        today = NOW.date()
        for day in (-3, -1, 0, 1, 2, 6, 7, 20, 40):
            start = today + datetime.timedelta(days=day)
            make_activity(user=me, relation=anker, activity_type=call, start=start)
            make_activity(user=me, relation=rubens, representative=me, activity_type=meeting, all_day=False,
                          start=datetime.datetime.combine(start, datetime.time(8, 30), tzinfo=BXL))
            make_activity(user=other, relation=rubens, representative=other, participants=[me], start=start)
        done = make_activity(user=me, relation=anker, start=today)
        activity_complete(activity=done, user=me)
        make_activity(user=other, relation=rubens, representative=other, start=today)  # not mine
    return {"me": me, "call": call, "meeting": meeting}


@pytest.fixture
def now():
    with time_machine.travel(NOW, tick=False):
        yield


def page_ids(client, params) -> list[int]:
    response = client.get(reverse("activities:mine"), params)
    assert response.status_code == 200
    ids = [row.pk for row in response.context["page"]]
    assert response.context["page"].paginator.count == len(ids)  # one page: all of them
    return ids


def csv_ids(client, params) -> list[int]:
    response = client.get(reverse("integrations:export_my_activities", args=["csv"]), params)
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    return [int(row[0]) for row in rows[1:]]


def xlsx_ids(client, params) -> list[int]:
    response = client.get(reverse("integrations:export_my_activities", args=["xlsx"]), params)
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    return [row[0] for row in list(sheet.iter_rows(values_only=True))[1:]]


def api_ids(api, params) -> list[int]:
    response = api.get("/activities", {"mine": "true", "status": "planned", "limit": 200, **params})
    assert response.status_code == 200, response.json()
    return [item["id"] for item in response.json()["items"]]


def as_api(params: dict, today: datetime.date) -> dict:
    """The page's question in the API's parameters."""
    first, last = period_days(params.get("period", ""), today)
    api = {"type": params["type"]} if "type" in params else {}
    if first:
        api["due_from"] = first.isoformat()
    if last:
        api["due_until"] = last.isoformat()
    return api


PAGE_QUERIES = [{}, {"period": "overdue"}, {"period": "today"}, {"period": "week"}, {"period": "month"},
                {"type": "call"}, {"type": "meeting", "period": "week"}, {"period": "overdue", "type": "call"}]


@pytest.mark.parametrize("query", PAGE_QUERIES, ids=lambda q: "&".join(f"{k}={v}" for k, v in q.items()) or "all")
def test_page_export_and_api_give_the_same_rows(client, world, now, query):
    me = world["me"]
    params = {k: str(world[v].pk) if k == "type" else v for k, v in query.items()}
    client.force_login(me)
    rows = page_ids(client, params)
    assert rows, "each question has an answer in this world"
    assert csv_ids(client, params) == rows
    assert xlsx_ids(client, params) == rows
    with time_machine.travel(NOW, tick=False):
        local_today = NOW.astimezone(zoneinfo.ZoneInfo(me.time_zone)).date()
    # the API lists by start, the page overdue first then by due date: the same rows, maybe not in that order
    assert sorted(api_ids(api_as(me), as_api(params, local_today))) == sorted(rows)


def test_a_relation_name_narrows_the_page_and_the_export(client, world, now):
    client.force_login(world["me"])
    rows = page_ids(client, {"relation": "anker"})
    assert len(rows) == 9 and csv_ids(client, {"relation": "anker"}) == rows


def test_a_bad_value_shows_its_message_and_the_other_filters_still_apply(client, world, now):
    client.force_login(world["me"])
    response = client.get(reverse("activities:mine"), {"type": "abc", "period": "overdue"})
    assert "Select a valid choice" in response.text
    assert [row.pk for row in response.context["page"]] == page_ids(client, {"period": "overdue"})
    export = client.get(reverse("integrations:export_my_activities", args=["csv"]), {"type": "abc"})
    assert export.status_code == 400


@pytest.mark.parametrize("params", [{"type": "abc"}, {"status": "open"}, {"sort": "name"}, {"mine": "perhaps"}])
def test_the_api_answers_422_with_a_message(world, params):
    response = api_as(world["me"]).get("/activities", params)
    assert response.status_code == 422
    assert response.json()["detail"]


def test_an_unknown_type_id_matches_nothing(client, world, now):
    client.force_login(world["me"])
    assert page_ids(client, {"type": "999999"}) == []
    assert api_ids(api_as(world["me"]), {"type": 999999}) == []


def test_the_filter_bar_looks_as_before(client, world, now):
    client.force_login(world["me"])
    html = client.get(reverse("activities:mine"), {"period": "week"}).content.decode()
    assert '<option value="week" selected>Next 7 days</option>' in html
    assert '<option value="">All open</option>' in html
    assert 'name="type"' in html and '<input type="text" name="relation"' in html


def test_the_filterset_tells_whether_anything_is_narrowed(world, now):
    today_start, _tomorrow = today_bounds()
    narrowed = lambda data: MyActivitiesFilterSet(  # noqa: E731
        data, queryset=user_open_activities(world["me"]), today_start=today_start
    ).narrowed()
    assert not narrowed(None) and not narrowed({"period": ""})
    assert narrowed({"period": "today"}) and narrowed({"relation": "x"})
