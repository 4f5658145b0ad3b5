"""Meeting invitations (iCalendar, RFC 5546 iTIP) for calls and meetings, sent to the activity's contact.

Only the contact is an ATTENDEE: the representative is the ORGANIZER and colleagues taking part are never
written into the invitation, so nobody internal is mailed as a customer attendee by accident. The UID
is the one of the private feeds (activity-<id>@kadans); SEQUENCE grows with each update, and a
cancellation is METHOD:CANCEL with STATUS:CANCELLED.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django_tasks import task
from icalendar import Calendar, Event, vCalAddress, vText

from kadans.activities.models import Activity
from kadans.calendars.ical import PRODID, activity_uid, event_location
from kadans.core import events
from kadans.notifications import mail
from kadans.notifications.models import Invitation, SentMail


def build_invitation(activity: Activity, *, method: str, sequence: int, attendee: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", method)
    event = Event()
    event.add("uid", activity_uid(activity))
    event.add("dtstamp", timezone.now())
    event.add("sequence", sequence)
    if activity.all_day:
        event.add("dtstart", activity.due_date)
        event.add("dtend", activity.end_date + datetime.timedelta(days=1))
    else:
        event.add("dtstart", activity.start.astimezone(datetime.UTC))
        event.add("dtend", activity.end.astimezone(datetime.UTC))
    event.add("summary", activity.summary or str(activity.type))
    if location := event_location(activity):
        event.add("location", location)
    organizer = vCalAddress(f"mailto:{activity.representative.email}")
    organizer.params["cn"] = vText(str(activity.representative))
    event.add("organizer", organizer)
    contact = activity.contact
    guest = vCalAddress(f"mailto:{attendee}")
    guest.params["cn"] = vText(str(contact) if contact else attendee)
    guest.params["role"] = vText("REQ-PARTICIPANT")
    if method == "REQUEST":
        guest.params["partstat"] = vText("NEEDS-ACTION")
        guest.params["rsvp"] = vText("TRUE")
    event.add("attendee", guest)
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    cal.add_component(event)
    return cal.to_ical()


def _send(invitation: Invitation, activity: Activity, *, method: str, user) -> SentMail:
    when = timezone.localtime(activity.start) if not activity.all_day else activity.due_date
    with mail.in_language(mail.contact_language()):
        what = activity.summary or str(activity.type)
        if method == "CANCEL":
            subject = _("Cancelled: %(what)s") % {"what": what}
            body = _("The appointment “%(what)s” planned on %(when)s is cancelled.")
        elif invitation.sequence:
            subject = _("Updated invitation: %(what)s") % {"what": what}
            body = _("The appointment “%(what)s” has moved to %(when)s.")
        else:
            subject = _("Invitation: %(what)s") % {"what": what}
            body = _("You are invited to “%(what)s” on %(when)s.")
        body = body % {"what": what, "when": formats.date_format(
            when, "DATETIME_FORMAT" if not activity.all_day else "DATE_FORMAT")}
        body += "\n\n" + str(activity.representative)
    ics = build_invitation(activity, method=method, sequence=invitation.sequence, attendee=invitation.attendee)
    return mail.send_to_contact(
        activity=activity, user=user, to=invitation.attendee, subject=subject, body=body,
        kind=SentMail.Kind.INVITATION,
        attachments=[("invite.ics", ics, "text/calendar")],
    )


@transaction.atomic
def invitation_send(*, activity: Activity, user) -> Invitation:
    """Send (or send again, as an update) the invitation of a call or meeting to its contact."""
    if not activity.type.is_calendar_item:
        raise ValidationError(_("Only calls and meetings have invitations."))
    if activity.status != Activity.Status.PLANNED:
        raise ValidationError(_("Only a planned action can be sent as an invitation."))
    if activity.contact is None or not activity.contact.email:
        raise ValidationError(_("Choose a contact with an e-mail address first."))
    # the row lock keeps two clicks from sending two invitations with the same SEQUENCE
    invitation = Invitation.objects.select_for_update().filter(activity=activity).first()
    if invitation is None:
        invitation = Invitation(activity=activity, sequence=0)
    else:
        invitation.sequence += 1
        invitation.cancelled_at = None
    invitation.attendee = activity.contact.email
    invitation.sent_start, invitation.sent_end, invitation.sent_summary = activity.start, activity.end, activity.summary
    invitation.save()
    _send(invitation, activity, method="REQUEST", user=user)
    return invitation


@transaction.atomic
def invitation_sync(*, activity_id: int) -> str:
    """After an activity changed: send an update when its time or subject changed, a cancellation when it
    was cancelled; nothing otherwise (so running it twice sends nothing twice). Returns what was sent."""
    invitation = (
        Invitation.objects.select_for_update().filter(activity_id=activity_id, cancelled_at__isnull=True).first()
    )
    if invitation is None:
        return ""
    activity = Activity.objects.select_related("type", "representative", "contact", "relation").get(pk=activity_id)
    if activity.status == Activity.Status.CANCELLED:
        invitation.sequence += 1
        invitation.cancelled_at = timezone.now()
        invitation.save()
        _send(invitation, activity, method="CANCEL", user=activity.representative)
        return "CANCEL"
    changed = (invitation.sent_start, invitation.sent_end, invitation.sent_summary) != (
        activity.start, activity.end, activity.summary)
    if activity.status != Activity.Status.PLANNED or not changed:
        return ""
    invitation.sequence += 1
    invitation.sent_start, invitation.sent_end, invitation.sent_summary = activity.start, activity.end, activity.summary
    invitation.save()
    _send(invitation, activity, method="REQUEST", user=activity.representative)
    return "REQUEST"


@task()
def sync_invitation(activity_id: int) -> str:
    return invitation_sync(activity_id=activity_id)


def activity_changed(event: events.ActivityChanged | events.ActivityCancelled) -> None:
    """Subscribed to the activity's changes and cancellation (see NotificationsConfig.ready): queue the
    invitation's update, if it has one."""
    if Invitation.objects.filter(activity_id=event.activity_id, cancelled_at__isnull=True).exists():
        sync_invitation.enqueue(event.activity_id)
