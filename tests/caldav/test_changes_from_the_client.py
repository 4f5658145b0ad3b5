"""Changes made in a calendar app (the `caldav` client library against the live server) go through the
activity services: a move reschedules, a new summary or description changes the summary or note, a
deletion cancels, a stale ETag is refused."""

import datetime
import zoneinfo

import caldav
import pytest
from caldav.lib import error

from kadans.activities.models import Activity
from kadans.activities.services import activity_update
from tests.caldav.conftest import calendar_named
from tests.factories import make_activity

BXL = zoneinfo.ZoneInfo("Europe/Brussels")


@pytest.fixture
def visit(sara, customer):
    start = datetime.datetime.now(BXL).replace(hour=10, minute=0, second=0, microsecond=0) + datetime.timedelta(days=2)
    return make_activity(user=sara, relation=customer, start=start, all_day=False, summary="Visit",
                         note="Bring the new price list")


def own_event(principal, activity):
    return calendar_named(principal, "own").event_by_uid(f"activity-{activity.pk}@kadans")


def test_moving_an_event_reschedules_the_activity(principal, visit):
    event = own_event(principal, visit)
    component = event.icalendar_component
    new_start = component["dtstart"].dt + datetime.timedelta(days=1, hours=2)
    del component["dtstart"], component["dtend"]
    component.add("dtstart", new_start)
    component.add("dtend", new_start + datetime.timedelta(minutes=90))
    event.save()
    visit.refresh_from_db()
    assert (visit.start, visit.end - visit.start) == (new_start, datetime.timedelta(minutes=90))
    assert not visit.all_day


def test_an_all_day_event_makes_the_activity_all_day(principal, visit):
    event = own_event(principal, visit)
    component = event.icalendar_component
    day = component["dtstart"].dt.date()
    del component["dtstart"], component["dtend"]
    component.add("dtstart", day)
    component.add("dtend", day + datetime.timedelta(days=2))
    event.save()
    visit.refresh_from_db()
    assert visit.all_day
    assert (visit.due_date, visit.end_date) == (day, day + datetime.timedelta(days=1))


def test_a_new_summary_and_description_change_the_summary_and_note(principal, visit):
    event = own_event(principal, visit)
    component = event.icalendar_component
    assert str(component["summary"]) == "Visit — Café De Kroon"
    component["summary"] = "Visit with tasting — Café De Kroon"
    component["description"] = str(component["description"]).replace("Bring the new price list", "Bring wine")
    event.save()
    visit.refresh_from_db()
    assert (visit.summary, visit.note) == ("Visit with tasting", "Bring wine")


def test_deleting_an_event_cancels_the_activity(principal, visit):
    own_event(principal, visit).delete()
    visit.refresh_from_db()
    assert visit.status == Activity.Status.CANCELLED
    assert visit.cancel_reason == "removed from calendar"
    assert calendar_named(principal, "own").events() == []


def test_a_stale_etag_is_refused_with_412(principal, visit, sara):
    event = own_event(principal, visit)
    activity_update(activity=Activity.objects.get(pk=visit.pk), user=sara, summary="Changed in Kadans")
    event.icalendar_component["summary"] = "Changed on the phone"
    with pytest.raises(error.ETagMismatchError):  # 412 Precondition Failed
        event.save(precondition="etag")
    visit.refresh_from_db()
    assert visit.summary == "Changed in Kadans"


def test_a_read_only_calendar_refuses_changes(live_server, principal, sara, customer):
    from tests.factories import UserFactory

    colleague = UserFactory()
    theirs = make_activity(user=colleague, relation=customer, representative=colleague, participants=[sara])
    calendar = calendar_named(principal, "participations")
    event = calendar.event_by_uid(f"activity-{theirs.pk}@kadans")
    event.icalendar_component["summary"] = "Mine now"
    with pytest.raises(error.AuthorizationError, match="Forbidden"):  # 403
        event.save()
    with pytest.raises(error.AuthorizationError, match="Forbidden"):
        event.delete()
    theirs.refresh_from_db()
    assert (theirs.summary, theirs.status) == ("", Activity.Status.PLANNED)


def test_an_api_token_does_not_open_the_calendar(_short_lived_connections, live_server, sara):
    from kadans.accounts.services import token_create

    _token, secret = token_create(user=sara, name="Script")
    client = caldav.DAVClient(url=f"{live_server.url}/caldav/", username="sara", password=secret)
    with pytest.raises(error.AuthorizationError):
        client.principal()


def test_an_alarm_set_in_the_app_is_kept_and_served_back(principal, visit):
    from icalendar import Alarm

    event = own_event(principal, visit)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", "Reminder")
    alarm.add("trigger", -datetime.timedelta(minutes=30))
    event.icalendar_component.add_component(alarm)
    event.save()
    [served] = own_event(principal, visit).icalendar_component.walk("VALARM")
    assert served.decoded("trigger") == -datetime.timedelta(minutes=30)
    # removed in the app: removed here
    event = own_event(principal, visit)
    event.icalendar_component.subcomponents.clear()
    event.save()
    assert own_event(principal, visit).icalendar_component.walk("VALARM") == []


def test_a_done_action_is_read_only_but_saving_it_unchanged_is_fine(principal, visit, sara):
    from kadans.activities.services import activity_complete

    activity_complete(activity=Activity.objects.get(pk=visit.pk), user=sara)
    event = own_event(principal, visit)
    event.save()  # unchanged (an app saving its SEQUENCE): accepted
    event = own_event(principal, visit)
    event.icalendar_component["summary"] = "Rewritten history"
    with pytest.raises(error.AuthorizationError, match="Forbidden"):
        event.save()
    visit.refresh_from_db()
    assert visit.summary == "Visit"
