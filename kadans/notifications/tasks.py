"""Background work, run by the task worker (`manage.py db_worker`)."""

import datetime

from django_tasks import task

from kadans.notifications import invitations, services


@task()
def send_notification_email(notification_id: int) -> bool:
    return services.notification_email(notification_id)


@task()
def send_reminder(activity_id: int) -> bool:
    return services.reminder_send(activity_id) is not None


@task()
def send_digest(user_id: int, day: str) -> bool:
    return services.digest_send(user_id, datetime.date.fromisoformat(day))


@task()
def sync_invitation(activity_id: int) -> str:
    return invitations.invitation_sync(activity_id=activity_id)
