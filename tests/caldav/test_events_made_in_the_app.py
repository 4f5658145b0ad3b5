"""Events made in a calendar app become activities when their relation can be told, else they wait in
the list of unlinked events until the user picks the relation: never lost."""

import datetime
import zoneinfo

import pytest

from kadans.activities.models import Activity
from kadans.caldav.models import ClientEvent
from tests.caldav.conftest import calendar_named
from tests.factories import ContactFactory, RelationFactory

BXL = zoneinfo.ZoneInfo("Europe/Brussels")


def _ics(uid: str, *, extra: str = "", start: str = "20300115T100000", end: str = "20300115T113000") -> str:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//Phone//EN\r\nBEGIN:VEVENT\r\n"
        f"UID:{uid}\r\nDTSTAMP:20300101T000000Z\r\nDTSTART;TZID=Europe/Brussels:{start}\r\n"
        f"DTEND;TZID=Europe/Brussels:{end}\r\nSUMMARY:Tasting\r\n{extra}END:VEVENT\r\nEND:VCALENDAR\r\n"
    )


@pytest.mark.parametrize("extra", [
    "LOCATION:Café De Kroon\r\n",
    "DESCRIPTION:Relation: café de kroon\\nBring glasses\r\n",
])
def test_an_event_naming_a_relation_becomes_an_activity(principal, sara, customer, extra):
    calendar = calendar_named(principal, "own")
    calendar.save_event(_ics("phone-1", extra=extra))
    activity = Activity.objects.get(relation=customer)
    assert (activity.representative, activity.all_day, activity.summary) == (sara, False, "Tasting")
    assert activity.start == datetime.datetime(2030, 1, 15, 10, 0, tzinfo=BXL)
    assert activity.end == datetime.datetime(2030, 1, 15, 11, 30, tzinfo=BXL)
    assert "Relation:" not in activity.note
    # the app keeps its own event: same name, same UID, now served from the activity
    [event] = calendar.events()
    assert str(event.icalendar_component["uid"]) == "phone-1"
    assert str(event.icalendar_component["summary"]) == "Tasting — Café De Kroon"


def test_an_attendee_who_is_a_contact_links_the_relation_and_contact(principal, sara, customer):
    contact = ContactFactory(relation=customer, email="jan@kroon.example")
    calendar_named(principal, "own").save_event(_ics("phone-2", extra="ATTENDEE:mailto:Jan@Kroon.example\r\n"))
    activity = Activity.objects.get(relation=customer)
    assert activity.contact == contact


def test_an_all_day_event_becomes_an_all_day_activity(principal, customer):
    body = _ics("phone-3", extra="LOCATION:Café De Kroon\r\n").replace(
        "DTSTART;TZID=Europe/Brussels:20300115T100000", "DTSTART;VALUE=DATE:20300115"
    ).replace("DTEND;TZID=Europe/Brussels:20300115T113000", "DTEND;VALUE=DATE:20300117")
    calendar_named(principal, "own").save_event(body)
    activity = Activity.objects.get(relation=customer)
    assert activity.all_day
    assert (activity.due_date, activity.end_date) == (datetime.date(2030, 1, 15), datetime.date(2030, 1, 16))


def test_an_event_without_a_relation_waits_and_is_not_lost(principal, client, sara, customer):
    RelationFactory(name="Bakkerij Vos")
    calendar = calendar_named(principal, "own")
    calendar.save_event(_ics("phone-4", extra="LOCATION:Somewhere\r\n"))
    assert not Activity.objects.exists()
    waiting = ClientEvent.objects.get(user=sara)
    assert (waiting.activity, waiting.summary, waiting.location) == (None, "Tasting", "Somewhere")
    # the app still sees it as it made it
    [event] = calendar.events()
    assert str(event.icalendar_component["uid"]) == "phone-4"

    client.force_login(sara)
    assert "1 event from your calendar app waits" in client.get("/caldav/unlinked/panel/").content.decode()
    page = client.get("/caldav/unlinked/")
    assert "Tasting" in page.content.decode()
    response = client.post(f"/caldav/unlinked/{waiting.pk}/", {f"e{waiting.pk}-relation": "Bakkerij Vos"})
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert (activity.relation.name, activity.summary, activity.representative) == ("Bakkerij Vos", "Tasting", sara)
    waiting.refresh_from_db()
    assert waiting.activity == activity
    [event] = calendar.events()
    assert str(event.icalendar_component["uid"]) == "phone-4"
    assert str(event.icalendar_component["summary"]) == "Tasting — Bakkerij Vos"
