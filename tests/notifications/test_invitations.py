"""Meeting invitations: METHOD:REQUEST with the contact as the only attendee, updates with a growing
SEQUENCE, METHOD:CANCEL on cancelling; internal participants are never attendees."""

import datetime

import pytest
from django.utils import timezone
from icalendar import Calendar

from kadans.activities import services
from kadans.activities.models import ActivityType
from kadans.notifications import invitations
from tests.factories import ContactFactory, UserFactory, make_activity
from tests.mail_support import attachment, smtp  # noqa: F401


def _ics(message):
    cal = Calendar.from_ical(attachment(message, "invite.ics"))
    [event] = cal.walk("VEVENT")
    return cal, event


@pytest.fixture
def meeting(rep, relation):
    rep.email, rep.first_name, rep.last_name = "rep@kadans.test", "Pieter", "Janssens"
    rep.save()
    contact = ContactFactory(relation=relation, first_name="An", last_name="Claes", email="an@cafe.test")
    colleague = UserFactory(email="colleague@kadans.test")
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=2)
    return make_activity(user=rep, relation=relation, contact=contact, start=start, all_day=False,
                         activity_type=ActivityType.objects.get(kind="meeting"), summary="Tasting",
                         participants=[colleague])


def test_the_invitation_goes_to_the_contact_only(meeting, rep, smtp):  # noqa: F811
    invitations.invitation_send(activity=meeting, user=rep)
    [message] = smtp.messages
    assert message.envelope_rcpt == ["an@cafe.test"]
    assert "colleague@kadans.test" not in str(message)
    cal, event = _ics(message)
    assert cal["METHOD"] == "REQUEST"
    assert int(event["SEQUENCE"]) == 0
    assert str(event["ORGANIZER"]) == "mailto:rep@kadans.test"
    attendees = event["ATTENDEE"]
    assert not isinstance(attendees, list)
    assert str(attendees) == "mailto:an@cafe.test"
    assert event.decoded("DTSTART") == meeting.start
    assert str(event["UID"]) == f"activity-{meeting.pk}@kadans"


def test_a_move_sends_an_update_and_a_cancel_sends_a_cancellation(
    meeting, rep, smtp, django_capture_on_commit_callbacks  # noqa: F811
):
    invitations.invitation_send(activity=meeting, user=rep)
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_reschedule(activity=meeting, user=rep, delta=datetime.timedelta(hours=2))
    cal, event = _ics(smtp.messages[1])
    assert cal["METHOD"] == "REQUEST"
    assert int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART") == meeting.start
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_cancel(activity=meeting, user=rep)
    cal, event = _ics(smtp.messages[2])
    assert cal["METHOD"] == "CANCEL"
    assert int(event["SEQUENCE"]) == 2
    assert str(event["STATUS"]) == "CANCELLED"
    assert smtp.messages[2].envelope_rcpt == ["an@cafe.test"]


def test_a_change_that_does_not_touch_the_meeting_sends_nothing(
    meeting, rep, smtp, django_capture_on_commit_callbacks  # noqa: F811
):
    invitations.invitation_send(activity=meeting, user=rep)
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_update(activity=meeting, user=rep, note="bring samples")
    assert invitations.invitation_sync(activity_id=meeting.pk) == ""
    assert len(smtp.messages) == 1


def test_the_button_sends_the_invitation_and_it_shows_in_the_history(client, meeting, rep, smtp):  # noqa: F811
    client.force_login(rep)
    panel = client.get(f"/documents/activity/{meeting.pk}/actions/").content.decode()
    assert 'id="send-invitation"' in panel
    client.post(f"/notifications/activity/{meeting.pk}/invitation/")
    assert len(smtp.messages) == 1
    assert "Tasting" in client.get(meeting.relation.get_absolute_url()).content.decode()


def test_a_meeting_without_a_contact_address_is_refused(rep, relation, smtp):  # noqa: F811
    activity = make_activity(user=rep, relation=relation, activity_type=ActivityType.objects.get(kind="call"),
                             all_day=False)
    with pytest.raises(Exception, match="contact"):
        invitations.invitation_send(activity=activity, user=rep)
    assert smtp.messages == []


def test_a_new_meeting_is_timed_by_default(client, rep):
    client.force_login(rep)
    meeting_type = ActivityType.objects.get(kind="meeting")
    response = client.get(f"/activities/new/?type={meeting_type.pk}")
    assert response.context["form"]["all_day"].value() is False
