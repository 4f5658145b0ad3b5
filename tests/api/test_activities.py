"""Activities through the API: lists, create and change with participants and cost lines, and the actions
complete, schedule next, reschedule and cancel, each through the same service as the pages."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from kadans.activities.models import Activity, ActivityType
from kadans.relations.models import BusinessStatus, StatusChange
from tests.api_support import api_as
from tests.factories import ActivityTypeFactory, ContactFactory, ProductFactory, UserFactory, make_activity

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 11)


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(datetime.datetime(2025, 6, 11, 10, 0, tzinfo=datetime.UTC)):
        yield


@pytest.fixture
def api(rep):
    return api_as(rep)


@pytest.fixture
def todo(db):
    return ActivityTypeFactory(name="Todo")


def test_planning_an_activity_with_participants_and_cost_lines(api, rep, relation, todo):
    colleague = UserFactory()
    sample = ProductFactory(cost_price=Decimal("2.40"))
    contact = ContactFactory(relation=relation)
    response = api.post("/activities", {
        "relation": relation.pk, "type": todo.pk, "start": "2025-06-20", "contact": contact.pk,
        "participants": [colleague.pk, rep.pk], "summary": "Proefpakket",
        "cost_lines": [{"product": sample.pk, "quantity": "3"}, {"description": "Parking", "unit_price": 4.5}],
    })
    assert response.status_code == 201
    body = response.json()
    assert body["participants"] == [colleague.pk]  # the representative is never a participant
    assert body["representative"] == rep.pk and body["contact"] == contact.pk
    assert (body["all_day"], body["due_date"], body["state"]) == (True, "2025-06-20", "planned")
    assert [(c["product"], c["unit_price"], c["total"]) for c in body["cost_lines"]] == [
        (sample.pk, "2.40", "7.20"), (None, "4.50", "4.50"),
    ]
    assert body["cost_total"] == "11.70"
    assert Activity.objects.get(pk=body["id"]).created_by == rep


def test_a_timed_activity_without_an_offset_is_in_the_callers_time_zone(api, relation, todo):
    body = api.post("/activities", {
        "relation": relation.pk, "type": todo.pk, "all_day": False, "start": "2025-06-20T14:30:00",
    }).json()
    assert (body["start"], body["end"]) == ("2025-06-20T12:30:00Z", "2025-06-20T13:30:00Z")


def test_recording_a_done_activity_applies_its_new_status(api, rep, relation, todo):
    customer = BusinessStatus.objects.get(code="customer")
    response = api.post("/activities", {
        "relation": relation.pk, "type": todo.pk, "start": "2025-06-11", "status": "done",
        "new_status": customer.pk,
    })
    assert response.json()["status"] == "done"
    relation.refresh_from_db()
    assert relation.business_status == customer
    assert StatusChange.objects.get(relation=relation, to_status=customer).activity_id == response.json()["id"]


def test_a_contact_of_another_relation_is_refused_with_the_services_message(api, relation, todo):
    response = api.post("/activities", {
        "relation": relation.pk, "type": todo.pk, "start": "2025-06-20", "contact": ContactFactory().pk,
    })
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["contact"]
    assert not Activity.objects.exists()


def test_an_archived_type_is_refused_for_a_new_activity(api, relation):
    archived = ActivityTypeFactory(active=False)
    response = api.post("/activities", {"relation": relation.pk, "type": archived.pk, "start": "2025-06-20"})
    assert response.status_code == 422
    assert "type" in response.json()["errors"]


def test_changing_an_activity_replaces_its_lists_and_keeps_the_rest(api, rep, relation, todo):
    activity = make_activity(user=rep, relation=relation, activity_type=todo, summary="Bezoek",
                             participants=[UserFactory()])
    newcomer = UserFactory()
    response = api.patch(f"/activities/{activity.pk}", {
        "participants": [newcomer.pk], "cost_lines": [{"description": "Lunch", "unit_price": "23.00"}],
        "start": "2025-06-25",
    })
    assert response.status_code == 200
    body = response.json()
    assert body["participants"] == [newcomer.pk]
    assert [c["description"] for c in body["cost_lines"]] == ["Lunch"]
    assert (body["summary"], body["due_date"]) == ("Bezoek", "2025-06-25")


def test_the_list_filters_by_user_status_and_due_day(api, rep, relation, todo):
    other = UserFactory()
    mine = make_activity(user=rep, relation=relation, activity_type=todo, start=TODAY)
    taking_part = make_activity(user=other, relation=relation, activity_type=todo, representative=other,
                                participants=[rep], start=TODAY + datetime.timedelta(days=3))
    overdue = make_activity(user=other, relation=relation, activity_type=todo, representative=other,
                            start=TODAY - datetime.timedelta(days=1))
    done = make_activity(user=rep, relation=relation, activity_type=todo, status="done", start=TODAY)

    def ids(**params):
        return [a["id"] for a in api.get("/activities", params).json()["items"]]

    assert ids(mine=True, status="planned") == [mine.pk, taking_part.pk]
    assert ids(user=other.pk) == [overdue.pk, taking_part.pk]
    assert ids(status="done") == [done.pk]
    assert ids(due_from=TODAY.isoformat(), due_until=TODAY.isoformat(), status="planned") == [mine.pk]
    assert ids(relation=relation.pk, sort="-start")[0] == taking_part.pk
    states = {a["id"]: a["state"] for a in api.get("/activities").json()["items"]}
    assert (states[overdue.pk], states[mine.pk], states[taking_part.pk]) == ("overdue", "today", "planned")


def test_completing_follows_the_trigger_and_answers_with_the_next_activity(api, rep, relation):
    follow_up = ActivityTypeFactory(name="Follow up")
    call = ActivityTypeFactory(name="Intro", chaining=ActivityType.Chaining.TRIGGER, triggered_type=follow_up,
                               delay_count=2, delay_unit="weeks")
    activity = make_activity(user=rep, relation=relation, activity_type=call, start=TODAY)
    response = api.post(f"/activities/{activity.pk}/complete", {"feedback": "Interesse in tripel"})
    assert response.status_code == 200
    body = response.json()
    assert body["activity"]["status"] == "done"
    assert body["activity"]["note"].endswith("Interesse in tripel")
    assert body["next_activity"]["type"] == follow_up.pk
    assert body["next_activity"]["previous"] == activity.pk
    assert body["next_activity"]["due_date"] == "2025-06-25"
    assert body["suggestions"] == []


def test_completing_twice_completes_once_and_triggers_once(api, rep, relation):
    follow_up = ActivityTypeFactory()
    trigger = ActivityTypeFactory(chaining=ActivityType.Chaining.TRIGGER, triggered_type=follow_up)
    activity = make_activity(user=rep, relation=relation, activity_type=trigger)
    assert api.post(f"/activities/{activity.pk}/complete").status_code == 200
    again = api.post(f"/activities/{activity.pk}/complete")
    assert again.status_code == 409
    assert Activity.objects.filter(previous=activity).count() == 1


def test_completing_a_suggesting_type_answers_with_the_suggestions(api, rep, relation):
    email, call = ActivityTypeFactory(name="Mail"), ActivityTypeFactory(name="Bel", kind="call")
    suggesting = ActivityTypeFactory(chaining=ActivityType.Chaining.SUGGEST, delay_count=3)
    suggesting.suggested_types.set([email, call])
    activity = make_activity(user=rep, relation=relation, activity_type=suggesting)
    body = api.post(f"/activities/{activity.pk}/complete").json()
    assert body["next_activity"] is None
    suggestions = {s["type"]: s for s in body["suggestions"]}
    assert suggestions[email.pk]["due_date"] == "2025-06-14" and suggestions[email.pk]["all_day"] is True
    assert suggestions[call.pk]["all_day"] is False and suggestions[call.pk]["start"] == "2025-06-14T07:00:00Z"


def test_schedule_next_plans_a_linked_activity_due_by_the_types_rule(api, rep, relation):
    contact = ContactFactory(relation=relation)
    rule = ActivityTypeFactory(delay_count=1, delay_unit="months")
    activity = make_activity(user=rep, relation=relation, activity_type=rule, contact=contact, start=TODAY)
    api.post(f"/activities/{activity.pk}/complete")
    next_type = ActivityTypeFactory()
    response = api.post(f"/activities/{activity.pk}/schedule-next", {"type": next_type.pk, "summary": "Offerte"})
    assert response.status_code == 201
    body = response.json()
    assert (body["previous"], body["relation"], body["contact"]) == (activity.pk, relation.pk, contact.pk)
    assert (body["due_date"], body["summary"], body["status"]) == ("2025-07-11", "Offerte", "planned")


def test_schedule_next_on_a_chosen_day(api, rep, relation, todo):
    activity = make_activity(user=rep, relation=relation, activity_type=todo)
    body = api.post(f"/activities/{activity.pk}/schedule-next", {"type": todo.pk, "start": "2025-09-01",
                                                                  "contact": None}).json()
    assert (body["due_date"], body["all_day"], body["contact"]) == ("2025-09-01", True, None)


def test_rescheduling_by_days_or_to_a_date(api, rep, relation, todo):
    activity = make_activity(user=rep, relation=relation, activity_type=todo, start=TODAY)
    assert api.post(f"/activities/{activity.pk}/reschedule", {"days": 7}).json()["due_date"] == "2025-06-18"
    assert api.post(f"/activities/{activity.pk}/reschedule", {"start": "2025-07-01"}).json()["due_date"] == "2025-07-01"


def test_rescheduling_needs_exactly_one_of_start_and_days(api, rep, relation, todo):
    activity = make_activity(user=rep, relation=relation, activity_type=todo)
    for body in ({}, {"days": 1, "start": "2025-07-01"}):
        assert api.post(f"/activities/{activity.pk}/reschedule", body).status_code == 422


def test_a_done_activity_is_not_rescheduled_or_cancelled(api, rep, relation, todo):
    activity = make_activity(user=rep, relation=relation, activity_type=todo, status="done", start=TODAY)
    assert api.post(f"/activities/{activity.pk}/reschedule", {"days": 1}).status_code == 409
    assert api.post(f"/activities/{activity.pk}/cancel").status_code == 409
    activity.refresh_from_db()
    assert (activity.status, activity.due_date) == ("done", TODAY)


def test_cancelling_keeps_the_activity_with_its_reason(api, rep, relation, todo):
    activity = make_activity(user=rep, relation=relation, activity_type=todo)
    body = api.post(f"/activities/{activity.pk}/cancel", {"reason": "Klant met vakantie"}).json()
    assert (body["status"], body["state"], body["cancel_reason"]) == ("cancelled", "cancelled", "Klant met vakantie")
    assert api.get(f"/activities/{activity.pk}").status_code == 200
