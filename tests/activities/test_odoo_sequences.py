"""The three example sequences of Odoo's "activities for sales teams" page, played end to end through the
services on the default action types of a fresh install."""

import datetime
import zoneinfo

import pytest
import time_machine

from kadans.activities.models import Activity, ActivityType
from kadans.activities.services import activity_complete, activity_create
from kadans.relations.services import relation_create, relation_update
from tests.factories import ActivityTypeFactory, UserFactory

pytestmark = pytest.mark.django_db

BXL = zoneinfo.ZoneInfo("Europe/Brussels")
D = datetime.date


def at(*args) -> datetime.datetime:
    """A Brussels wall-clock instant to travel to."""
    return datetime.datetime(*args, tzinfo=BXL)


def _type(name: str) -> ActivityType:
    return ActivityType.objects.get(name=name)


@pytest.fixture
def salesperson():
    return UserFactory(username="sara")


@pytest.fixture
def manager():
    return UserFactory(username="manu", role="manager")


@pytest.fixture
def lead(salesperson):
    return relation_create(user=salesperson, name="Brasserie Het Zuid", representative=salesperson)


def _complete(activity, user, when):
    with time_machine.travel(when, tick=False):
        return activity_complete(activity=activity, user=user)


def _chain(activity) -> list[str]:
    names = []
    while activity is not None:
        names.append(activity.type.name)
        activity = activity.previous
    return names[::-1]


# -- 1. e-mail → call or meeting → create quote → follow-up on the quote ------------------------------------


@pytest.mark.parametrize("choice", ["Meeting", "Call"])
def test_email_then_meeting_then_quote_then_follow_up(lead, salesperson, choice):
    # Monday 2 March: the salesperson adds the lead and schedules an e-mail for the following day
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        email = activity_create(user=salesperson, relation=lead, activity_type=_type("E-mail"), start=D(2026, 3, 3))
    assert (email.representative, email.all_day) == (salesperson, True)

    # Tuesday afternoon the e-mail is sent: done & schedule next offers a call or a meeting, 2 days after
    # the e-mail's deadline, at 09:00 since both are calendar items
    before = Activity.objects.count()
    done = _complete(email, salesperson, at(2026, 3, 3, 16, 0))
    assert Activity.objects.count() == before
    assert done.next_activity is None
    assert [(s.activity_type.name, s.due_date, s.all_day) for s in done.suggestions] == [
        ("Call", D(2026, 3, 5), False),
        ("Meeting", D(2026, 3, 5), False),
    ]
    picked = next(s for s in done.suggestions if s.activity_type.name == choice)
    assert picked.start == at(2026, 3, 5, 9, 0)

    # the salesperson picks one: it opens pre-filled with the suggested type and date
    with time_machine.travel(at(2026, 3, 3, 16, 1), tick=False):
        meeting = activity_create(
            user=salesperson,
            relation=lead,
            activity_type=picked.activity_type,
            start=picked.start_value,
            all_day=picked.all_day,
            previous=email,
        )
    assert (meeting.start, meeting.previous) == (at(2026, 3, 5, 9, 0), email)

    # Thursday the meeting (or call) is done: "create quote" is triggered for the next day
    done = _complete(meeting, salesperson, at(2026, 3, 5, 10, 30))
    quote = done.next_activity
    assert (quote.type.name, quote.due_date, quote.all_day) == ("Create quote", D(2026, 3, 6), True)
    assert (quote.representative, quote.previous, quote.status) == (salesperson, meeting, Activity.Status.PLANNED)

    # Friday the quote is sent: a follow-up on the quote is triggered five days later
    done = _complete(quote, salesperson, at(2026, 3, 6, 11, 0))
    follow_up = done.next_activity
    assert (follow_up.type.name, follow_up.due_date, follow_up.all_day) == ("Follow-up", D(2026, 3, 11), True)
    assert follow_up.representative == salesperson

    # the follow-up ends the sequence
    done = _complete(follow_up, salesperson, at(2026, 3, 11, 9, 0))
    assert (done.next_activity, done.suggestions) == (None, [])
    assert _chain(Activity.objects.get(pk=follow_up.pk)) == ["E-mail", choice, "Create quote", "Follow-up"]
    assert not Activity.objects.filter(relation=lead, status=Activity.Status.PLANNED).exists()


# -- 2. website lead: call → upload document → request signature or meeting ---------------------------------


def test_website_lead_call_then_upload_document_then_meeting(salesperson, manager):
    # the call now triggers an upload document (the default triggers "create quote")
    call_type = _type("Call")
    call_type.triggered_type = _type("Upload Document")
    call_type.delay_count, call_type.delay_unit, call_type.delay_from = 0, "days", "completion"
    call_type.save()

    # the lead arrives through the website's contact form, without a representative
    with time_machine.travel(at(2026, 4, 13, 8, 0), tick=False):
        lead = relation_create(user=manager, name="Bistro De Markt")
        assert lead.representative is None
        # the sales manager assigns a salesperson and schedules a call
        relation_update(relation=lead, user=manager, representative=salesperson)
        call = activity_create(
            user=manager,
            relation=lead,
            activity_type=call_type,
            start=at(2026, 4, 14, 10, 0),
            all_day=False,
        )
    assert (call.representative, call.created_by) == (salesperson, manager)

    # after a successful call the salesperson has to send the proposal: an upload-document activity
    done = _complete(call, salesperson, at(2026, 4, 14, 10, 40))
    upload = done.next_activity
    assert (upload.type.name, upload.due_date, upload.all_day) == ("Upload Document", D(2026, 4, 14), True)
    assert (upload.representative, upload.previous) == (salesperson, call)

    # the upload suggests a signature request or a meeting, 3 days after completion
    before = Activity.objects.count()
    done = _complete(upload, salesperson, at(2026, 4, 15, 15, 0))
    assert Activity.objects.count() == before
    assert {(s.activity_type.name, s.due_date, s.all_day) for s in done.suggestions} == {
        ("Request Signature", D(2026, 4, 18), True),
        ("Meeting", D(2026, 4, 18), False),
    }

    # the salesperson chooses the meeting
    picked = next(s for s in done.suggestions if s.activity_type.name == "Meeting")
    meeting = activity_create(
        user=salesperson,
        relation=lead,
        activity_type=picked.activity_type,
        start=picked.start_value,
        all_day=picked.all_day,
        previous=upload,
    )
    assert meeting.start == at(2026, 4, 18, 9, 0)
    assert _chain(meeting) == ["Call", "Upload Document", "Meeting"]
    assert not Activity.objects.filter(relation=lead, type__name="Request Signature").exists()
    assert list(Activity.objects.filter(relation=lead, status=Activity.Status.PLANNED)) == [meeting]


# -- 3. a follow-up reminder after every e-mail and meeting -------------------------------------------------


def test_follow_up_reminder_the_day_after_an_email_and_two_days_after_a_meeting(lead, salesperson, manager):
    # the sales manager creates a follow-up type with the reminder action and chains it after e-mails and
    # meetings
    follow_up = ActivityTypeFactory(
        name="Opvolging", kind=ActivityType.Kind.REMINDER, default_summary="Opvolgen: heeft de klant gereageerd?"
    )
    for name, days in (("E-mail", 1), ("Meeting", 2)):
        t = _type(name)
        t.chaining, t.triggered_type = ActivityType.Chaining.TRIGGER, follow_up
        t.delay_count, t.delay_unit, t.delay_from = days, "days", "completion"
        t.save()
    call = _type("Call")
    call.chaining, call.triggered_type, call.delay_count = ActivityType.Chaining.SUGGEST, None, 1
    call.save()
    call.suggested_types.set([follow_up])

    with time_machine.travel(at(2026, 5, 4, 9, 0), tick=False):
        email = activity_create(user=salesperson, relation=lead, activity_type=_type("E-mail"), start=D(2026, 5, 4))
        meeting = activity_create(
            user=salesperson, relation=lead, activity_type=_type("Meeting"), start=at(2026, 5, 6, 14, 0), all_day=False
        )
        phone = activity_create(
            user=salesperson, relation=lead, activity_type=call, start=at(2026, 5, 7, 11, 0), all_day=False
        )

    after_email = _complete(email, salesperson, at(2026, 5, 4, 17, 0)).next_activity
    assert (after_email.type, after_email.due_date, after_email.all_day) == (follow_up, D(2026, 5, 5), True)
    assert after_email.summary == "Opvolgen: heeft de klant gereageerd?"

    after_meeting = _complete(meeting, salesperson, at(2026, 5, 6, 15, 30)).next_activity
    assert (after_meeting.type, after_meeting.due_date, after_meeting.all_day) == (follow_up, D(2026, 5, 8), True)

    # suggested rather than triggered: offered, not created
    suggested = _complete(phone, salesperson, at(2026, 5, 7, 11, 30))
    assert suggested.next_activity is None
    assert [(s.activity_type, s.due_date) for s in suggested.suggestions] == [(follow_up, D(2026, 5, 8))]

    for reminder, previous in ((after_email, email), (after_meeting, meeting)):
        assert (reminder.representative, reminder.previous) == (salesperson, previous)
    assert Activity.objects.filter(relation=lead, type=follow_up).count() == 2

    # completing a reminder chains no further
    assert _complete(after_email, salesperson, at(2026, 5, 5, 9, 0)).next_activity is None
