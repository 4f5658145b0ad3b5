import datetime
import json

import pytest
from django.urls import reverse

from kadans.activities.models import Activity
from kadans.planner.models import OpeningHours, RelationPlanning, WeekPlan, WorkingDay
from tests.factories import TeamFactory, UserFactory
from tests.planner.conftest import customer, plan, works


def _page(client, rep, week):
    return client.get(reverse("planner:week"), {"representative": rep.pk, "week": week.isoformat()})


def test_the_page_lists_the_days_visits_and_carries_them_for_the_map(client, rep, week):
    works(rep, weekdays=[0])
    customer(rep, "De Kroon", 51.03, 4.48)
    customer(rep, "Somewhere")
    plan(rep)
    client.force_login(rep)
    response = _page(client, rep, week)
    html = response.content.decode()
    assert "De Kroon" in html and "Somewhere" in html
    assert "Somewhere has no coordinates" in html
    data = json.loads(html.split('id="planner-data" type="application/json">')[1].split("</script>")[0])
    (monday,) = data["days"]
    assert [s["name"] for s in monday["stops"]] == ["De Kroon"]  # the one without coordinates has no marker
    assert monday["route"][0] == [51.0259, 4.4776] and len(monday["route"]) == 3
    assert 'id="planner-data"' in html and "vendor/leaflet/leaflet.js" in html


def test_planning_accepting_and_dropping_from_the_page(client, rep, week):
    works(rep)
    customer(rep, "A", 51.03, 4.48)
    customer(rep, "B", 51.05, 4.50)
    client.force_login(rep)
    response = client.post(reverse("planner:plan"), {"representative": rep.pk, "week": week.isoformat()})
    assert response.status_code == 302
    plan_ = rep_plan(rep)
    a = plan_.proposals.get(relation__name="A")
    response = client.post(reverse("planner:drop", args=[a.pk]), headers={"HX-Request": "true"})
    assert response.status_code == 200 and 'id="board"' in response.content.decode()
    assert list(plan_.proposals.values_list("relation__name", flat=True)) == ["B"]
    client.post(reverse("planner:accept", args=[plan_.pk]))
    assert list(Activity.objects.values_list("relation__name", flat=True)) == ["B"]


def test_moving_from_the_page(client, rep, week):
    works(rep, weekdays=[0, 1])
    customer(rep, "A", 51.03, 4.48)
    visit = plan(rep).proposals.get()
    target = week + datetime.timedelta(days=1) if visit.start.date() == week else week
    client.force_login(rep)
    response = client.post(reverse("planner:move", args=[visit.pk]), {"day": target.isoformat()},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200
    visit.refresh_from_db()
    assert visit.start.date() == target


def rep_plan(rep):
    return WeekPlan.objects.get(representative=rep)


@pytest.mark.parametrize("who, allowed", [("self", True), ("manager", True), ("colleague", False),
                                          ("other_manager", False), ("administrator", True)])
def test_who_may_plan_a_representatives_week(db, client, week, who, allowed):
    team, other = TeamFactory(), TeamFactory()
    rep = UserFactory(team=team)
    people = {"self": rep, "manager": UserFactory(team=team, role="manager"), "colleague": UserFactory(team=team),
              "other_manager": UserFactory(team=other, role="manager"),
              "administrator": UserFactory(role="administrator")}
    client.force_login(people[who])
    assert _page(client, rep, week).status_code == (200 if allowed else 403)
    response = client.post(reverse("planner:plan"), {"representative": rep.pk, "week": week.isoformat()})
    assert response.status_code == (302 if allowed else 403)
    assert client.get(reverse("planner:working_days"), {"representative": rep.pk}).status_code == (
        200 if allowed else 403)


def test_working_days_are_edited_on_their_page(client, rep):
    client.force_login(rep)
    data = {"days-TOTAL_FORMS": "7", "days-INITIAL_FORMS": "7", "days-MIN_NUM_FORMS": "7", "days-MAX_NUM_FORMS": "7"}
    for d in range(7):
        data[f"days-{d}-weekday"] = str(d)
    data |= {"days-1-works": "on", "days-1-starts": "09:00", "days-1-ends": "17:00",
             "days-1-start_latitude": "51.0259", "days-1-start_longitude": "4.4776"}
    response = client.post(f"{reverse('planner:working_days')}?representative={rep.pk}", data)
    assert response.status_code == 302
    (day,) = WorkingDay.objects.filter(representative=rep)
    assert (day.weekday, day.starts, float(day.start_latitude)) == (1, datetime.time(9), 51.0259)


def test_a_working_day_needs_its_hours(client, rep):
    client.force_login(rep)
    data = {"days-TOTAL_FORMS": "7", "days-INITIAL_FORMS": "7", "days-MIN_NUM_FORMS": "7", "days-MAX_NUM_FORMS": "7"}
    for d in range(7):
        data[f"days-{d}-weekday"] = str(d)
    data |= {"days-1-works": "on"}
    response = client.post(f"{reverse('planner:working_days')}?representative={rep.pk}", data)
    assert response.status_code == 200 and "Give the hours of a working day." in response.content.decode()
    assert not WorkingDay.objects.exists()


def _hours_data(**rows):
    data = {"hours-TOTAL_FORMS": "7", "hours-INITIAL_FORMS": "7", "hours-MIN_NUM_FORMS": "7",
            "hours-MAX_NUM_FORMS": "7", "visit_minutes": "45"}
    for d in range(7):
        data[f"hours-{d}-weekday"] = str(d)
    return data | rows


def test_opening_hours_and_visit_length_are_edited_on_the_relations_planning_page(client, rep, relation):
    client.force_login(rep)
    data = _hours_data(**{"hours-2-open": "on", "hours-2-opens": "09:00", "hours-2-closes": "18:00",
                          "hours-2-lunch_from": "12:00", "hours-2-lunch_until": "13:00"})
    assert client.post(reverse("planner:relation", args=[relation.pk]), data).status_code == 302
    (row,) = OpeningHours.objects.filter(relation=relation)
    assert (row.weekday, row.lunch_from) == (2, datetime.time(12))
    assert RelationPlanning.objects.get(relation=relation).visit_minutes == 45


def test_a_lunch_break_outside_the_opening_hours_is_refused(client, rep, relation):
    client.force_login(rep)
    data = _hours_data(**{"hours-2-open": "on", "hours-2-opens": "09:00", "hours-2-closes": "12:00",
                          "hours-2-lunch_from": "12:30", "hours-2-lunch_until": "13:00"})
    response = client.post(reverse("planner:relation", args=[relation.pk]), data)
    assert response.status_code == 200 and "within the opening hours" in response.content.decode()
    assert not OpeningHours.objects.exists()


def test_only_who_may_edit_the_relation_sets_its_hours(client, relation):
    client.force_login(UserFactory())
    assert client.get(reverse("planner:relation", args=[relation.pk])).status_code == 403


def test_a_week_out_of_range_is_refused_not_a_server_error(client, rep):
    client.force_login(rep)
    response = client.get(reverse("planner:week"), {"week": "9999-12-31"})
    assert response.status_code == 200 and "Choose a week between 1900 and 9000." in response.content.decode()
