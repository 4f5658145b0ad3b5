"""In-app notifications and their e-mails; reminders and the daily digest.

Scheduled work (reminders at their due time, the daily digest) is found by `manage.py kadans_schedule`
and done by the task worker (`manage.py db_worker`). Each job is claimed first with a unique key in
Claim: the insert of a second run fails, so running the scheduler twice sends nothing twice.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django_tasks import task

from kadans.accounts.models import User
from kadans.activities.models import Activity, ActivityType, due_before
from kadans.activities.selectors import user_activities
from kadans.core import events
from kadans.notifications import mail
from kadans.notifications.models import Claim, Notification, Preferences


def activity_assigned(event: events.ActivityCreated | events.ActivityChanged) -> list[Notification]:
    """Notify the users someone else made representative of, or added as participant to, an activity.
    Subscribed to the activity's creation and changes (see NotificationsConfig.ready)."""
    representative_before = getattr(event, "representative_before", None)
    participants_before = getattr(event, "participants_before", frozenset())
    wanted = []
    if event.representative_id != representative_before and event.representative_id != event.by_id:
        wanted.append(Notification(user_id=event.representative_id, kind=Notification.Kind.ASSIGNED,
                                   activity_id=event.activity_id, actor_id=event.by_id))
    for pk in sorted(event.participant_ids - participants_before - {event.by_id}):
        wanted.append(Notification(user_id=pk, kind=Notification.Kind.PARTICIPANT, activity_id=event.activity_id,
                                   actor_id=event.by_id))
    return notify(wanted)


def notify(notifications: list[Notification]) -> list[Notification]:
    if not notifications:
        return []
    created = Notification.objects.bulk_create(notifications)
    if created and created[0].pk is not None:
        ids = [n.pk for n in created]
    else:  # backends that return no ids on bulk insert
        ids = list(Notification.objects.order_by("-id").values_list("pk", flat=True)[: len(created)])
    transaction.on_commit(lambda: [send_notification_email.enqueue(pk) for pk in ids])
    return created


def notification_text(notification: Notification) -> str:
    activity = notification.activity
    values = {"activity": str(activity), "relation": activity.relation.name, "by": notification.actor or "Kadans"}
    texts = {
        Notification.Kind.ASSIGNED: _("%(by)s assigned you an action: %(activity)s (%(relation)s)."),
        Notification.Kind.PARTICIPANT: _("%(by)s added you to an action: %(activity)s (%(relation)s)."),
        Notification.Kind.REMINDER: _("Reminder: %(activity)s (%(relation)s)."),
        Notification.Kind.UPLOADED: _("A document was uploaded for %(activity)s (%(relation)s)."),
        Notification.Kind.SIGNED: _("The document of %(activity)s (%(relation)s) was signed."),
    }
    return texts[notification.kind] % values


def notification_email(notification_id: int) -> bool:
    """E-mail one notification to its user, in their language. False when there is nothing to send."""
    notification = (
        Notification.objects.select_related("user", "actor", "activity__relation", "activity__type")
        .filter(pk=notification_id).first()
    )
    if notification is None or not notification.user.email or not notification.user.is_active:
        return False
    with mail.in_language(mail.user_language(notification.user)):
        text = notification_text(notification)
        url = mail.absolute_url(reverse("activities:edit", args=[notification.activity_id]))
        mail.send(to=[notification.user.email], subject=f"Kadans: {text}"[:200], body=f"{text}\n\n{url}\n")
    return True


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def mark_read(user: User, pk: int | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if pk is not None:
        qs = qs.filter(pk=pk)
    return qs.update(read_at=timezone.now())


def claim(key: str) -> bool:
    """Claim a scheduled job once: True for the first caller, False for every later one."""
    try:
        with transaction.atomic():
            Claim.objects.create(key=key)
    except IntegrityError:
        return False
    return True


def preferences_for(user: User) -> Preferences:
    return Preferences.objects.get_or_create(user=user)[0]


# --- reminders -------------------------------------------------------------------------------------------

REMINDER_LOOKBACK = datetime.timedelta(days=7)


def due_reminders(now: datetime.datetime) -> list[int]:
    """Planned reminder activities whose start has come (in the last week: a fresh install does not
    remind of every old one)."""
    return list(
        Activity.objects.filter(
            type__kind=ActivityType.Kind.REMINDER, status=Activity.Status.PLANNED,
            start__lte=now, start__gt=now - REMINDER_LOOKBACK,
        ).values_list("pk", flat=True)
    )


def reminder_send(activity_id: int) -> Notification | None:
    activity = Activity.objects.filter(pk=activity_id, status=Activity.Status.PLANNED).first()
    if activity is None:
        return None
    # already on the worker: the e-mail goes out here, not through another task
    notification = Notification.objects.create(user_id=activity.representative_id,
                                               kind=Notification.Kind.REMINDER, activity=activity)
    notification_email(notification.pk)
    return notification


# --- daily digest ----------------------------------------------------------------------------------------


def digest_activities(user: User, day: datetime.date) -> list[Activity]:
    """The user's open activities due on `day` or before (overdue), by the one due rule."""
    due_by_tomorrow = due_before(day + datetime.timedelta(days=1), user.tzinfo)
    return list(
        user_activities(user).filter(due_by_tomorrow, status=Activity.Status.PLANNED)
        .select_related("relation", "type").order_by("start", "id")[:200]
    )


def digest_recipients():
    return User.objects.filter(is_active=True).exclude(email="").exclude(notification_preferences__daily_digest=False)


def digest_send(user_id: int, day: datetime.date) -> bool:
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return False
    activities = digest_activities(user, day)
    if not activities:
        return False
    with mail.in_language(mail.user_language(user)), timezone.override(user.tzinfo):
        lines = [_("Your actions for %(date)s:") % {"date": formats.date_format(day, "DATE_FORMAT")}, ""]
        for activity in activities:
            state = _("Overdue") if activity.state(day) == "overdue" else _("Today")
            when = formats.date_format(timezone.localtime(activity.start) if not activity.all_day
                                       else activity.due_date, "SHORT_DATETIME_FORMAT" if not activity.all_day
                                       else "SHORT_DATE_FORMAT")
            lines.append(f"- [{state}] {when} {activity.type}: {activity} — {activity.relation.name}")
        lines += ["", mail.absolute_url(reverse("activities:mine")), "",
                  _("You can turn this e-mail off in your notification settings.")]
        subject = _("Kadans: your actions for %(date)s") % {"date": formats.date_format(day, "DATE_FORMAT")}
        mail.send(to=[user.email], subject=subject, body="\n".join(lines))
    return True


def schedule(now: datetime.datetime | None = None, *, digest_hour: int | None = None) -> dict[str, int]:
    """Enqueue the reminders that are due and the digests whose hour has come; each once (see Claim)."""
    now = now or timezone.now()
    hour = settings.KADANS_DIGEST_HOUR if digest_hour is None else digest_hour
    counts = {"reminders": 0, "digests": 0}
    for activity_id in due_reminders(now):
        if claim(f"reminder:{activity_id}"):
            send_reminder.enqueue(activity_id)
            counts["reminders"] += 1
    for user in digest_recipients():
        local = now.astimezone(user.tzinfo)
        if local.hour < hour:
            continue
        if not digest_activities(user, local.date()):
            continue
        if claim(f"digest:{user.pk}:{local.date().isoformat()}"):
            send_digest.enqueue(user.pk, local.date().isoformat())
            counts["digests"] += 1
    return counts


# --- background work, run by the task worker (`manage.py db_worker`) -----------------------------------


@task()
def send_notification_email(notification_id: int) -> bool:
    return notification_email(notification_id)


@task()
def send_reminder(activity_id: int) -> bool:
    return reminder_send(activity_id) is not None


@task()
def send_digest(user_id: int, day: str) -> bool:
    return digest_send(user_id, datetime.date.fromisoformat(day))
