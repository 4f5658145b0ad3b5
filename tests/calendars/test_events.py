"""The calendar page's data: the events JSON (whose calendar, which activities, how they look, in how many
queries) and moving an event by drag or resize."""

import datetime
import json
import zoneinfo

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.test import Client
from django.utils import timezone

from kadans.accounts.permissions import can_edit_activity
from kadans.activities.models import Activity, ActivityType
from kadans.activities.recurrence import Recurrence
from kadans.activities.services import activity_cancel, activity_complete
from kadans.calendars.selectors import EVENT_FIELDS
from kadans.calendars.views import _editable_rule
from tests.factories import ActivityTypeFactory, RelationFactory, TeamFactory, UserFactory, make_activity

pytestmark = pytest.mark.django_db

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
WEEK = "start=2026-06-01T00:00:00%2B02:00&end=2026-06-08T00:00:00%2B02:00"


def at(y, m, d, h=9, mi=0):
    return datetime.datetime(y, m, d, h, mi, tzinfo=BRUSSELS)


def get_events(client, query=WEEK):
    response = client.get(f"/calendar/events/?{query}")
    assert response.status_code == 200, response.content
    return {e["id"]: e for e in response.json()}


def test_the_calendar_page_loads_for_everyone(client, rep):
    client.force_login(rep)
    response = client.get("/calendar/")
    assert response.status_code == 200
    assert b"fullcalendar-6.1.21/index.global.min.js" in response.content


def test_my_events_are_mine_as_representative_and_participant(client, rep, relation):
    colleague = UserFactory()
    mine = make_activity(user=rep, relation=relation, start=datetime.date(2026, 6, 2))
    taking_part = make_activity(user=colleague, relation=RelationFactory(representative=colleague),
                                participants=[rep], start=datetime.date(2026, 6, 3))
    make_activity(user=colleague, relation=RelationFactory(representative=colleague), start=datetime.date(2026, 6, 3))
    make_activity(user=rep, relation=relation, start=datetime.date(2026, 6, 9))  # next week
    client.force_login(rep)
    assert set(get_events(client)) == {str(mine.pk), str(taking_part.pk)}


def test_an_event_has_its_type_colour_and_all_day_dates_with_an_exclusive_end(client, rep, relation):
    activity_type = ActivityTypeFactory(color="#ff8800")
    activity = make_activity(user=rep, relation=relation, activity_type=activity_type, summary="Stock count",
                             start=datetime.date(2026, 6, 2), end=datetime.date(2026, 6, 3))
    client.force_login(rep)
    event = get_events(client)[str(activity.pk)]
    assert (event["start"], event["end"], event["allDay"]) == ("2026-06-02", "2026-06-04", True)
    assert event["backgroundColor"] == "#ff8800"
    assert event["title"] == f"Stock count · {relation.name}"
    assert event["editable"] is True
    assert event["url"] == f"/activities/{activity.pk}/"


def test_a_timed_event_is_in_the_user_s_time_zone(client, relation):
    user = UserFactory(time_zone="Europe/London")
    activity = make_activity(user=user, relation=relation, representative=user, all_day=False,
                             start=at(2026, 6, 2, 10), end=at(2026, 6, 2, 11, 30))
    client.force_login(user)
    event = get_events(client, "start=2026-06-01&end=2026-06-08")[str(activity.pk)]
    assert (event["start"], event["end"], event["allDay"]) == ("2026-06-02T09:00:00", "2026-06-02T10:30:00", False)


def test_done_and_cancelled_events_are_marked_and_cancelled_ones_cannot_move(client, rep, relation):
    done = make_activity(user=rep, relation=relation, activity_type=ActivityTypeFactory(),
                         start=datetime.date(2026, 6, 2))
    activity_complete(activity=done, user=rep)
    cancelled = make_activity(user=rep, relation=relation, start=datetime.date(2026, 6, 3))
    activity_cancel(activity=cancelled, user=rep)
    client.force_login(rep)
    events = get_events(client)
    assert events[str(done.pk)]["title"].startswith("✓ ")
    assert events[str(done.pk)]["classNames"] == ["status-done"]
    assert events[str(cancelled.pk)]["classNames"] == ["status-cancelled"]
    assert events[str(cancelled.pk)]["editable"] is False


def test_a_colleague_s_calendar_is_readable_but_not_movable(client, rep, relation):
    colleague = UserFactory()
    theirs = make_activity(user=colleague, relation=RelationFactory(representative=colleague),
                           start=datetime.date(2026, 6, 2))
    shared = make_activity(user=colleague, relation=RelationFactory(representative=colleague), participants=[rep],
                           start=datetime.date(2026, 6, 3))
    client.force_login(rep)
    events = get_events(client, f"{WEEK}&user={colleague.pk}")
    assert set(events) == {str(theirs.pk), str(shared.pk)}
    assert events[str(theirs.pk)]["editable"] is False
    assert events[str(shared.pk)]["editable"] is True
    assert events[str(theirs.pk)]["title"].startswith(f"{colleague}: ")


def test_a_team_calendar_is_for_its_manager_and_administrators(client):
    team = TeamFactory()
    manager, member = UserFactory(team=team, role="manager"), UserFactory(team=team)
    activity = make_activity(user=member, relation=RelationFactory(representative=member),
                             start=datetime.date(2026, 6, 2))
    make_activity(user=UserFactory(), start=datetime.date(2026, 6, 2))
    client.force_login(manager)
    events = get_events(client, f"{WEEK}&team={team.pk}")
    assert set(events) == {str(activity.pk)}
    assert events[str(activity.pk)]["editable"] is True
    client.force_login(UserFactory(role="administrator"))
    assert set(get_events(client, f"{WEEK}&team={team.pk}")) == {str(activity.pk)}
    client.force_login(member)
    assert client.get(f"/calendar/events/?{WEEK}&team={team.pk}").status_code == 403
    client.force_login(UserFactory(team=TeamFactory(), role="manager"))
    assert client.get(f"/calendar/events/?{WEEK}&team={team.pk}").status_code == 403


@pytest.mark.parametrize("query", ["", "start=2026-06-01", "start=yesterday&end=2026-06-08",
                                   "start=2026-06-08&end=2026-06-01", "start=2026-01-01&end=2026-12-31"])
def test_a_bad_period_is_a_400_with_a_message(client, rep, query):
    client.force_login(rep)
    response = client.get(f"/calendar/events/?{query}")
    assert response.status_code == 400
    assert response.json()["error"]


def test_the_editable_flag_agrees_with_the_permission_rule(rep):
    team = TeamFactory()
    people = [rep, UserFactory(team=team), UserFactory(team=team, role="manager"), UserFactory(role="administrator")]
    activities = [
        make_activity(user=p, relation=RelationFactory(representative=p), participants=people[i % 2:i % 2 + 1])
        for i, p in enumerate(people)
    ]
    for viewer in people:
        participating = set(Activity.objects.filter(participants=viewer).values_list("pk", flat=True))
        for row in Activity.objects.values_list(*EVENT_FIELDS, named=True):
            activity = Activity.objects.select_related("representative").get(pk=row.pk)
            assert _editable_rule(viewer)(row, participating) == can_edit_activity(viewer, activity), (viewer, activity)
    assert activities


def _as_from_instances(activity: Activity, *, viewer, show_representative: bool) -> dict:
    """An event as the view built it from model instances before it read rows of EVENT_FIELDS."""
    activity = Activity.objects.select_related("type", "relation", "representative").get(pk=activity.pk)
    tz = viewer.tzinfo
    if activity.all_day:
        start = activity.due_date.isoformat()
        end = (activity.end_date + datetime.timedelta(days=1)).isoformat()
    else:
        start = timezone.localtime(activity.start, tz).strftime("%Y-%m-%dT%H:%M:%S")
        end = timezone.localtime(activity.end, tz).strftime("%Y-%m-%dT%H:%M:%S")
    title = f"{activity.summary or activity.type.name} · {activity.relation.name}"
    if show_representative:
        title = f"{activity.representative}: {title}"
    if activity.status == Activity.Status.DONE:
        title = f"✓ {title}"
    if activity.series_id:
        title = f"↻ {title}"
    return {
        "id": str(activity.pk), "title": title, "start": start, "end": end, "allDay": activity.all_day,
        "backgroundColor": activity.type.color, "borderColor": activity.type.color,
        "url": f"/activities/{activity.pk}/",
        "editable": activity.status != Activity.Status.CANCELLED and can_edit_activity(viewer, activity),
        "classNames": [f"status-{activity.status}"],
        "extendedProps": {"status": activity.status, "type": activity.type.name, "relation": activity.relation.name},
    }


def test_the_events_json_is_byte_for_byte_what_model_instances_gave():
    team = TeamFactory()
    me = UserFactory(team=team, time_zone="America/New_York")
    colleague = UserFactory(team=team, first_name="", last_name="", username="jdoe")  # shown by username
    manager = UserFactory(team=team, role="manager", time_zone="Europe/London")
    relation = RelationFactory(representative=me, name="Brouwerij \"De Ster\" & Zonen")
    theirs = RelationFactory(representative=colleague)
    coloured = ActivityTypeFactory(color="#ff8800", name="Proeverij ☕")
    mine = [
        make_activity(user=me, relation=relation, activity_type=coloured, summary="Stock count",
                      start=datetime.date(2026, 6, 2), end=datetime.date(2026, 6, 3)),
        make_activity(user=me, relation=relation, all_day=False, start=at(2026, 6, 3, 23, 30),
                      end=at(2026, 6, 4, 0, 15)),
        make_activity(user=me, relation=relation, start=datetime.date(2026, 6, 4)),
        make_activity(user=me, relation=relation, start=datetime.date(2026, 6, 4)),
        make_activity(user=me, relation=relation, start=datetime.date(2026, 6, 5), recurrence=Recurrence(
            freq="WEEKLY", count=2)),
        make_activity(user=colleague, relation=theirs, participants=[me], all_day=False,
                      start=at(2026, 6, 1, 8), end=at(2026, 6, 1, 9)),
    ]
    activity_complete(activity=mine[2], user=me)
    activity_cancel(activity=mine[3], user=me)
    alone = make_activity(user=colleague, relation=theirs, start=datetime.date(2026, 6, 3))

    def expected(viewer, activities, *, show_representative):
        ordered = sorted(activities, key=lambda a: (Activity.objects.get(pk=a.pk).start, a.pk))
        return json.dumps([_as_from_instances(a, viewer=viewer, show_representative=show_representative)
                           for a in ordered], cls=DjangoJSONEncoder).encode()

    client = Client()
    client.force_login(me)
    assert client.get(f"/calendar/events/?{WEEK}").content == expected(me, mine, show_representative=False)
    theirs_week = [mine[5], alone]
    assert client.get(f"/calendar/events/?{WEEK}&user={colleague.pk}").content == expected(
        me, theirs_week, show_representative=True)
    client.force_login(manager)
    assert client.get(f"/calendar/events/?{WEEK}&team={team.pk}").content == expected(
        manager, [*mine, alone], show_representative=True)


def _fill(rep, relation, count):
    colleague = UserFactory()
    types = [ActivityTypeFactory(), ActivityTypeFactory()]
    for i in range(count):
        make_activity(user=rep, relation=relation, activity_type=types[i % 2],
                      start=datetime.date(2026, 6, 1 + i % 7))
        make_activity(user=colleague, relation=RelationFactory(representative=colleague), participants=[rep],
                      activity_type=types[i % 2], start=at(2026, 6, 1 + i % 7, 10))


@pytest.mark.parametrize("count", [2, 20])
def test_my_week_takes_the_same_queries_whatever_its_size(client, rep, relation, count, django_assert_num_queries):
    _fill(rep, relation, count)
    client.force_login(rep)
    # session and user, then one query per half: representative and participant
    with django_assert_num_queries(4):
        events = get_events(client)
    assert len(events) == 2 * count


@pytest.mark.parametrize("count", [2, 20])
def test_a_colleague_s_week_takes_one_query_more(client, rep, relation, count, django_assert_num_queries):
    _fill(rep, relation, count)
    client.force_login(UserFactory())
    with django_assert_num_queries(6):  # + the colleague, + the viewer's participations among them
        events = get_events(client, f"{WEEK}&user={rep.pk}")
    assert len(events) == 2 * count


def move(client, activity, **data):
    return client.post(f"/calendar/events/{activity.pk}/move/", data)


def test_dragging_a_timed_event_moves_it_through_the_form_s_service(client, rep, relation):
    meeting = ActivityType.objects.get(name="Meeting")
    activity = make_activity(user=rep, relation=relation, activity_type=meeting, all_day=False,
                             start=at(2026, 6, 2, 10), end=at(2026, 6, 2, 11))
    client.force_login(rep)
    response = move(client, activity, start="2026-06-03T14:30:00", end="2026-06-03T15:30:00", all_day="0")
    assert response.status_code == 200 and response.json()["ok"]
    activity.refresh_from_db()
    assert (activity.start, activity.end, activity.all_day) == (at(2026, 6, 3, 14, 30), at(2026, 6, 3, 15, 30), False)


def test_resizing_an_all_day_event_changes_its_last_day(client, rep, relation):
    activity = make_activity(user=rep, relation=relation, start=datetime.date(2026, 6, 2))
    client.force_login(rep)
    assert move(client, activity, start="2026-06-02", end="2026-06-05", all_day="1").status_code == 200
    activity.refresh_from_db()
    assert (activity.due_date, activity.end_date, activity.all_day) == (
        datetime.date(2026, 6, 2), datetime.date(2026, 6, 4), True
    )


def test_dragging_from_all_day_into_the_day_makes_it_timed_for_an_hour(client, rep, relation):
    activity = make_activity(user=rep, relation=relation, start=datetime.date(2026, 6, 2))
    client.force_login(rep)
    assert move(client, activity, start="2026-06-02T08:00:00", all_day="0").status_code == 200
    activity.refresh_from_db()
    assert (activity.start, activity.end, activity.all_day) == (at(2026, 6, 2, 8), at(2026, 6, 2, 9), False)


def test_a_drag_the_user_may_not_make_is_refused_and_nothing_moves(client, rep, relation):
    activity = make_activity(user=rep, relation=relation, start=datetime.date(2026, 6, 2))
    client.force_login(UserFactory())
    response = move(client, activity, start="2026-06-05", all_day="1")
    assert response.status_code == 403
    assert response.json()["error"] == "You may not change this action."
    activity.refresh_from_db()
    assert activity.due_date == datetime.date(2026, 6, 2)


def test_a_cancelled_or_impossible_move_is_refused_with_a_message(client, rep, relation):
    activity = make_activity(user=rep, relation=relation, start=datetime.date(2026, 6, 2))
    client.force_login(rep)
    assert move(client, activity, start="not a date", all_day="1").status_code == 400
    response = move(client, activity, start="2026-06-05T10:00:00", end="2026-06-05T09:00:00", all_day="0")
    assert response.status_code == 400 and response.json()["error"]
    activity_cancel(activity=activity, user=rep)
    assert move(client, activity, start="2026-06-05", all_day="1").status_code == 400


def test_the_calendar_page_offers_teams_only_to_those_who_may_see_them(client, rep):
    team = TeamFactory(name="Oost-Vlaanderen")
    client.force_login(rep)
    assert "Oost-Vlaanderen" not in client.get("/calendar/").content.decode()
    client.force_login(UserFactory(team=team, role="manager"))
    page = client.get(f"/calendar/?team={team.pk}").content.decode()
    assert "Oost-Vlaanderen" in page
    config = json.loads(page.split('id="calendar-config" type="application/json">')[1].split("</script>")[0])
    assert config["params"] == {"team": team.pk}


@pytest.mark.parametrize("url", ["/calendar/", f"/calendar/events/?{WEEK}"])
def test_anonymous_users_are_sent_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_anonymous_moves_change_nothing(client, rep, relation):
    activity = make_activity(user=rep, relation=relation, start=datetime.date(2026, 6, 2))
    assert move(client, activity, start="2026-06-05", all_day="1").status_code == 302
    activity.refresh_from_db()
    assert activity.due_date == datetime.date(2026, 6, 2)
