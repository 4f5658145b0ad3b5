"""Rescheduling a planned activity: +1 day, +1 week or a chosen date, by the service and from the list."""

import datetime
import zoneinfo

import pytest

from kadans.activities.models import Activity
from kadans.activities.services import activity_cancel, activity_complete, activity_reschedule
from tests.factories import TeamFactory, UserFactory, make_activity

BXL = zoneinfo.ZoneInfo("Europe/Brussels")
D = datetime.date
DAY, WEEK = datetime.timedelta(days=1), datetime.timedelta(weeks=1)


def _timed(relation, start, minutes=90):
    return make_activity(relation=relation, all_day=False, start=start, end=start + datetime.timedelta(minutes=minutes))


def _local(value):
    return value.astimezone(BXL)


def _period(activity):
    activity.refresh_from_db()
    return activity.start, activity.end, activity.all_day, activity.status


# -- the service --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("delta", "expected"), [(DAY, (D(2026, 6, 2), D(2026, 6, 4))), (WEEK, (D(2026, 6, 8), D(2026, 6, 10)))]
)
def test_an_all_day_activity_moves_by_whole_days_and_keeps_its_length(relation, rep, delta, expected):
    activity = make_activity(relation=relation, start=D(2026, 6, 1), end=D(2026, 6, 3))
    assert activity_reschedule(activity=activity, user=rep, delta=delta) is True
    assert (activity.due_date, activity.end_date) == expected
    activity.refresh_from_db()
    assert (activity.due_date, activity.end_date, activity.all_day) == (*expected, True)
    assert _local(activity.start).time() == datetime.time(0, 0)


@pytest.mark.parametrize("delta", [DAY, WEEK])
def test_a_timed_activity_moves_by_the_delta_and_keeps_its_time_and_duration(relation, rep, delta):
    activity = _timed(relation, datetime.datetime(2026, 6, 1, 14, 0, tzinfo=BXL))
    assert activity_reschedule(activity=activity, user=rep, delta=delta) is True
    activity.refresh_from_db()
    assert _local(activity.start) == datetime.datetime(2026, 6, 1, 14, 0, tzinfo=BXL) + delta
    assert activity.end - activity.start == datetime.timedelta(minutes=90)
    assert activity.all_day is False


def test_a_timed_activity_moved_a_week_across_dst_keeps_its_local_time(relation, rep):
    activity = _timed(relation, datetime.datetime(2026, 3, 26, 10, 0, tzinfo=BXL))
    activity_reschedule(activity=activity, user=rep, delta=WEEK)
    activity.refresh_from_db()
    assert _local(activity.start).time() == datetime.time(10, 0)


def test_an_all_day_activity_over_dst_moved_a_week_keeps_its_days(relation, rep):
    activity = make_activity(relation=relation, start=D(2026, 3, 27), end=D(2026, 3, 30))
    activity_reschedule(activity=activity, user=rep, delta=WEEK)
    activity.refresh_from_db()
    assert (activity.due_date, activity.end_date) == (D(2026, 4, 3), D(2026, 4, 6))


def test_an_all_day_activity_moves_to_a_chosen_date_and_keeps_its_length(relation, rep):
    activity = make_activity(relation=relation, start=D(2026, 6, 1), end=D(2026, 6, 3))
    assert activity_reschedule(activity=activity, user=rep, start=D(2026, 7, 15)) is True
    activity.refresh_from_db()
    assert (activity.due_date, activity.end_date, activity.all_day) == (D(2026, 7, 15), D(2026, 7, 17), True)


def test_a_timed_activity_moves_to_a_chosen_date_at_the_same_time_of_day(relation, rep):
    activity = _timed(relation, datetime.datetime(2026, 6, 1, 14, 0, tzinfo=BXL))
    assert activity_reschedule(activity=activity, user=rep, start=D(2026, 6, 20)) is True
    activity.refresh_from_db()
    assert _local(activity.start) == datetime.datetime(2026, 6, 20, 14, 0, tzinfo=BXL)
    assert activity.end - activity.start == datetime.timedelta(minutes=90)


def test_a_timed_activity_moved_to_a_date_across_dst_keeps_its_local_time(relation, rep):
    activity = _timed(relation, datetime.datetime(2026, 3, 20, 10, 0, tzinfo=BXL))
    activity_reschedule(activity=activity, user=rep, start=D(2026, 4, 10))
    activity.refresh_from_db()
    assert _local(activity.start) == datetime.datetime(2026, 4, 10, 10, 0, tzinfo=BXL)
    assert _local(activity.start).utcoffset() == datetime.timedelta(hours=2)


def test_a_timed_activity_moves_to_a_chosen_datetime(relation, rep):
    activity = _timed(relation, datetime.datetime(2026, 6, 1, 14, 0, tzinfo=BXL))
    activity_reschedule(activity=activity, user=rep, start=datetime.datetime(2026, 6, 3, 8, 30, tzinfo=BXL))
    activity.refresh_from_db()
    assert _local(activity.start) == datetime.datetime(2026, 6, 3, 8, 30, tzinfo=BXL)
    assert activity.end - activity.start == datetime.timedelta(minutes=90)


def test_rescheduling_needs_a_start_or_a_delta(relation, rep):
    activity = make_activity(relation=relation)
    with pytest.raises(ValueError):
        activity_reschedule(activity=activity, user=rep)


@pytest.mark.parametrize("close", ["done", "cancelled"])
@pytest.mark.parametrize("how", [{"delta": DAY}, {"delta": WEEK}, {"start": D(2026, 9, 1)}])
def test_a_done_or_cancelled_activity_is_not_moved(relation, rep, close, how):
    activity = make_activity(relation=relation, start=D(2026, 6, 1))
    if close == "done":
        activity_complete(activity=activity, user=rep)
    else:
        activity_cancel(activity=activity, user=rep)
    before = _period(activity)
    stale = Activity.objects.get(pk=activity.pk)
    assert activity_reschedule(activity=stale, user=rep, **how) is False
    assert _period(activity) == before
    assert stale.status == close


# -- the view -----------------------------------------------------------------------------------------------


@pytest.fixture
def logged_in(client, rep):
    client.force_login(rep)
    return client


def _messages(response) -> list[str]:
    return [f"{m.level_tag}: {m}" for m in response.context["messages"]]


@pytest.mark.parametrize(
    ("data", "expected"),
    [({"by": "1d"}, D(2026, 6, 2)), ({"by": "1w"}, D(2026, 6, 8)), ({"date": "2026-08-14"}, D(2026, 8, 14))],
)
def test_the_reschedule_button_moves_an_all_day_activity(logged_in, relation, data, expected):
    activity = make_activity(relation=relation, start=D(2026, 6, 1))
    response = logged_in.post(f"/activities/{activity.pk}/reschedule/", data, follow=True)
    assert response.status_code == 200
    activity.refresh_from_db()
    assert activity.due_date == expected
    assert any(m.startswith("success: ") for m in _messages(response))


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"by": "1d"}, datetime.datetime(2026, 6, 2, 14, 0, tzinfo=BXL)),
        ({"by": "1w"}, datetime.datetime(2026, 6, 8, 14, 0, tzinfo=BXL)),
        ({"date": "2026-08-14"}, datetime.datetime(2026, 8, 14, 14, 0, tzinfo=BXL)),
    ],
)
def test_the_reschedule_button_moves_a_timed_activity(logged_in, relation, data, expected):
    activity = _timed(relation, datetime.datetime(2026, 6, 1, 14, 0, tzinfo=BXL))
    response = logged_in.post(f"/activities/{activity.pk}/reschedule/", data)
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.start == expected
    assert activity.end - activity.start == datetime.timedelta(minutes=90)


def test_the_reschedule_button_goes_back_to_next(logged_in, relation):
    activity = make_activity(relation=relation)
    response = logged_in.post(
        f"/activities/{activity.pk}/reschedule/", {"by": "1d", "next": "/activities/?period=week"}
    )
    assert response["Location"] == "/activities/?period=week"


def test_reschedule_from_htmx_returns_the_row(logged_in, relation):
    activity = make_activity(relation=relation, start=D(2026, 6, 1))
    response = logged_in.post(f"/activities/{activity.pk}/reschedule/", {"by": "1w"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f'id="activity-row-{activity.pk}"' in response.content.decode()
    activity.refresh_from_db()
    assert activity.due_date == D(2026, 6, 8)


@pytest.mark.parametrize(
    "data",
    [{}, {"by": ""}, {"date": "notadate"}, {"by": "3y"}, {"date": "2026-02-30"}],
    ids=["nothing", "empty-by", "not-a-date", "unknown-by", "impossible-date"],
)
def test_bad_reschedule_input_says_so_and_moves_nothing(logged_in, relation, data):
    activity = make_activity(relation=relation, start=D(2026, 6, 1))
    before = _period(activity)
    response = logged_in.post(f"/activities/{activity.pk}/reschedule/", data, follow=True)
    assert response.status_code == 200
    assert _period(activity) == before
    assert any(m.startswith("error: ") for m in _messages(response))


def test_rescheduling_a_done_activity_from_the_list_warns_and_moves_nothing(logged_in, relation, rep):
    activity = make_activity(relation=relation, start=D(2026, 6, 1))
    activity_complete(activity=activity, user=rep)
    before = _period(activity)
    response = logged_in.post(f"/activities/{activity.pk}/reschedule/", {"by": "1d"}, follow=True)
    assert _period(activity) == before
    assert any(m.startswith("warning: ") for m in _messages(response))


def test_someone_who_may_not_change_the_activity_gets_403(client, relation):
    activity = make_activity(relation=relation, start=D(2026, 6, 1))
    before = _period(activity)
    client.force_login(UserFactory(team=TeamFactory()))
    response = client.post(f"/activities/{activity.pk}/reschedule/", {"by": "1d"})
    assert response.status_code == 403
    assert _period(activity) == before


def test_rescheduling_a_missing_activity_is_404(logged_in):
    assert logged_in.post("/activities/999999/reschedule/", {"by": "1d"}).status_code == 404


def test_reschedule_is_post_only(logged_in, relation):
    activity = make_activity(relation=relation)
    assert logged_in.get(f"/activities/{activity.pk}/reschedule/?by=1d").status_code == 405
