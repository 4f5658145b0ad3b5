"""End to end in Chromium: the calendar page, drag to reschedule, a refused drag, click to create."""

import datetime
import zoneinfo

from django.conf import settings
from django.utils import timezone

from kadans.activities.models import Activity, ActivityType
from tests.factories import RelationFactory, UserFactory, make_activity

PASSWORD = "secret-pass-123"
TZ = zoneinfo.ZoneInfo(settings.TIME_ZONE)


def next_monday() -> datetime.date:
    today = timezone.localdate()
    return today + datetime.timedelta(days=7 - today.weekday())


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TZ)


def open_week(page, live_server, monday):
    page.goto(f"{live_server.url}/calendar/?date={monday.isoformat()}&view=timeGridWeek")
    page.wait_for_selector(".fc-timegrid")


def slot_point(page, day: datetime.date, time: str):
    """The middle of the day's column at the given slot ("14:00:00")."""
    column = page.locator(f"td.fc-timegrid-col[data-date='{day.isoformat()}']").bounding_box()
    lane = page.locator(f"td.fc-timegrid-slot-lane[data-time='{time}']").bounding_box()
    return column["x"] + column["width"] / 2, lane["y"] + lane["height"] / 2


def drag(page, source, target):
    box = source.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 5)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 5, box["y"] + 15, steps=5)
    page.mouse.move(target[0], target[1] + 5, steps=15)
    page.mouse.up()


def meeting_for(user, monday, **kwargs):
    return make_activity(
        user=user, relation=RelationFactory(representative=user, name="Brouwerij Het Anker"),
        activity_type=ActivityType.objects.get(name="Meeting"), all_day=False,
        start=at(monday + datetime.timedelta(days=1), 10), end=at(monday + datetime.timedelta(days=1), 11),
        summary="Proeverij", **kwargs,
    )


def test_dragging_an_action_to_another_day_and_time_saves_it(live_server, page, login):
    rep = UserFactory(username="els", language="en")
    monday = next_monday()
    activity = meeting_for(rep, monday)
    login("els", PASSWORD)
    open_week(page, live_server, monday)
    event = page.locator(f"[data-activity='{activity.pk}']")
    assert "Proeverij · Brouwerij Het Anker" in event.inner_text()

    thursday = monday + datetime.timedelta(days=3)
    drag(page, event, slot_point(page, thursday, "14:00:00"))
    page.wait_for_selector("#calendar-message.success")

    activity.refresh_from_db()
    assert (activity.start, activity.end) == (at(thursday, 14), at(thursday, 15))
    page.reload()
    page.wait_for_selector(f"td.fc-timegrid-col[data-date='{thursday.isoformat()}'] [data-activity='{activity.pk}']")


def test_a_drag_the_server_refuses_snaps_back_with_a_message(live_server, page, login):
    rep = UserFactory(username="jonas", language="en")
    monday = next_monday()
    activity = meeting_for(rep, monday)
    login("jonas", PASSWORD)
    open_week(page, live_server, monday)
    tuesday_column = f"td.fc-timegrid-col[data-date='{(monday + datetime.timedelta(days=1)).isoformat()}']"
    page.wait_for_selector(f"{tuesday_column} [data-activity='{activity.pk}']")
    # meanwhile the action is handed to someone else: jonas may no longer move it
    Activity.objects.filter(pk=activity.pk).update(representative=UserFactory())

    target = slot_point(page, monday + datetime.timedelta(days=3), "14:00:00")
    drag(page, page.locator(f"[data-activity='{activity.pk}']"), target)
    message = page.wait_for_selector("#calendar-message.error")
    assert message.inner_text() == "You may not change this action."
    page.wait_for_selector(f"{tuesday_column} [data-activity='{activity.pk}']")
    activity.refresh_from_db()
    assert activity.start == at(monday + datetime.timedelta(days=1), 10)


def test_a_click_on_a_free_time_opens_the_action_form_at_that_time(live_server, page, login):
    UserFactory(username="mira", language="en")
    monday = next_monday()
    wednesday = monday + datetime.timedelta(days=2)
    login("mira", PASSWORD)
    open_week(page, live_server, monday)
    x, y = slot_point(page, wednesday, "15:00:00")
    with page.expect_navigation():
        page.mouse.click(x, y)
    assert "/activities/new/" in page.url
    assert page.input_value("#id_start_date") == wednesday.isoformat()
    assert page.input_value("#id_start_time") == "15:00"
    assert page.input_value("#id_end_time") == "15:30"
    assert not page.is_checked("#id_all_day")


def test_the_views_switch_and_a_team_member_s_participation_shows(live_server, page, login):
    rep = UserFactory(username="noor", language="en")
    colleague = UserFactory()
    monday = next_monday()
    shared = meeting_for(colleague, monday, participants=[rep])
    login("noor", PASSWORD)
    open_week(page, live_server, monday)
    page.wait_for_selector(f"[data-activity='{shared.pk}']")
    for view in ("dayGridMonth", "listWeek"):
        page.click(f".fc-{view}-button")
        page.wait_for_selector(f".fc-{view}-view [data-activity='{shared.pk}']")
