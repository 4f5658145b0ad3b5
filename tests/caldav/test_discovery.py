import datetime

from django.utils import timezone

from tests.caldav.conftest import calendar_named
from tests.factories import UserFactory, make_activity


def test_the_client_finds_its_principal_and_calendars(principal, sara):
    assert str(principal.url).endswith("/caldav/users/sara/")
    slugs = sorted(str(c.url).rstrip("/").rsplit("/", 1)[-1] for c in principal.calendars())
    assert slugs == ["own", "participations"]


def test_the_own_calendar_lists_the_users_activities(principal, sara, customer):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    mine = make_activity(user=sara, relation=customer, start=tomorrow, summary="Bring samples")
    make_activity(user=UserFactory(), start=tomorrow)  # someone else's
    events = calendar_named(principal, "own").events()
    assert [e.icalendar_component["uid"] for e in events] == [f"activity-{mine.pk}@kadans"]
    assert "Bring samples" in str(events[0].icalendar_component["summary"])
