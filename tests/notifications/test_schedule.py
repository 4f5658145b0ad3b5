"""The scheduler: reminders at their due time and the daily digest, each sent once however often it runs;
the digest can be turned off per user. The work itself runs on the task worker (db_worker)."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from kadans.activities.models import ActivityType
from kadans.notifications.models import Notification, Preferences
from kadans.notifications.services import schedule
from tests.factories import UserFactory, make_activity
from tests.mail_support import body_text, smtp  # noqa: F401

BRUSSELS = datetime.timezone(datetime.timedelta(hours=1))


@pytest.fixture
def me(db):
    return UserFactory(username="me", email="me@kadans.test", time_zone="Europe/Brussels", language="en")


def test_a_reminder_notifies_its_assignee_at_its_due_time_once(me, relation, smtp):  # noqa: F811
    start = datetime.datetime(2026, 11, 20, 14, 0, tzinfo=BRUSSELS)
    make_activity(user=me, relation=relation, representative=me, all_day=False, start=start,
                  activity_type=ActivityType.objects.get(kind="reminder"), summary="Call back Jan")
    assert schedule(start - datetime.timedelta(minutes=5), digest_hour=24)["reminders"] == 0
    assert schedule(start + datetime.timedelta(minutes=1), digest_hour=24)["reminders"] == 1
    assert schedule(start + datetime.timedelta(minutes=6), digest_hour=24)["reminders"] == 0
    notification = Notification.objects.get(kind="reminder")
    assert notification.user_id == me.pk
    assert [m["Subject"].strip() for m in smtp.messages] == [f"Kadans: Reminder: Call back Jan ({relation.name})."]


def test_the_digest_lists_today_and_overdue_once_a_day(me, relation, smtp):  # noqa: F811
    with time_machine.travel(datetime.datetime(2026, 11, 20, 8, 0, tzinfo=BRUSSELS)):
        make_activity(user=me, relation=relation, representative=me, start=datetime.date(2026, 11, 18), summary="Late")
        make_activity(user=me, relation=relation, representative=me, start=datetime.date(2026, 11, 20), summary="Now")
        make_activity(user=me, relation=relation, representative=me, start=datetime.date(2026, 11, 25), summary="Later")
        now = timezone.now()
        assert schedule(now.replace(hour=5), digest_hour=7)["digests"] == 0  # 6:00 in Brussels: too early
        assert schedule(now, digest_hour=7)["digests"] == 1
        assert schedule(now, digest_hour=7)["digests"] == 0
    [message] = smtp.messages
    assert message.envelope_rcpt == ["me@kadans.test"]
    text = body_text(message)
    assert "Late" in text and "Now" in text and "Later" not in text
    assert "[Overdue]" in text and "[Today]" in text


def test_the_digest_is_in_the_users_language_and_can_be_turned_off(me, relation, smtp, client):  # noqa: F811
    me.language = "nl"
    me.save()
    make_activity(user=me, relation=relation, representative=me, start=timezone.localdate())
    schedule(timezone.now(), digest_hour=0)
    assert "Kadans" in smtp.messages[0]["Subject"]
    client.force_login(me)
    client.post("/notifications/", {})  # the box unticked: no digest
    assert Preferences.objects.get(user=me).daily_digest is False
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1)):
        assert schedule(timezone.now(), digest_hour=0)["digests"] == 0


@pytest.mark.django_db(transaction=True)
def test_the_scheduler_enqueues_and_the_worker_sends(me, relation, smtp, settings):  # noqa: F811
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    make_activity(user=me, relation=relation, representative=me, start=yesterday)
    with time_machine.travel(timezone.now().replace(hour=12)):
        call_command("kadans_schedule")
        call_command("kadans_schedule")
    assert smtp.messages == []  # enqueued, not sent yet
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert len(smtp.messages) == 1
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert len(smtp.messages) == 1
