"""A user is notified (in the app and by e-mail, in their language) when someone else assigns them an
activity or adds them as a participant; never for what they did themselves."""

import html

import pytest

from kadans.activities import services
from kadans.notifications.models import Notification
from tests.factories import UserFactory, make_activity
from tests.mail_support import smtp  # noqa: F401


@pytest.fixture
def colleague(db):
    return UserFactory(username="colleague", email="colleague@kadans.test", language="nl")


def test_assigning_someone_else_notifies_them_by_mail_in_their_language(
    rep, relation, colleague, smtp, django_capture_on_commit_callbacks  # noqa: F811
):
    with django_capture_on_commit_callbacks(execute=True):
        activity = make_activity(user=rep, relation=relation, representative=colleague, summary="Visit")
    notification = Notification.objects.get()
    assert (notification.user_id, notification.kind, notification.actor_id) == (colleague.pk, "assigned", rep.pk)
    [message] = smtp.messages
    assert message.envelope_rcpt == ["colleague@kadans.test"]
    assert "Visit" in message["Subject"]
    assert f"/activities/{activity.pk}/edit/" in message.get_body().get_content()


def test_assigning_yourself_notifies_nobody(rep, relation, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_activity(user=rep, relation=relation, summary="Mine")
    assert not Notification.objects.exists()


def test_adding_a_participant_notifies_only_the_new_one(rep, relation, colleague, django_capture_on_commit_callbacks):
    third = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        activity = make_activity(user=rep, relation=relation, participants=[colleague])
    assert list(Notification.objects.values_list("user_id", "kind")) == [(colleague.pk, "participant")]
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_update(activity=activity, user=rep, participants=[colleague, third])
    assert sorted(Notification.objects.values_list("user_id", flat=True)) == sorted([colleague.pk, third.pk])


def test_reassigning_notifies_the_new_representative(rep, relation, colleague, django_capture_on_commit_callbacks):
    activity = make_activity(user=rep, relation=relation)
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_update(activity=activity, user=rep, representative=colleague)
    assert Notification.objects.get().user_id == colleague.pk


def test_the_bell_counts_unread_notifications_and_they_can_be_read(
    client, rep, relation, colleague, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_activity(user=rep, relation=relation, representative=colleague, summary="Visit")
    client.force_login(colleague)
    assert 'id="unread-count">1<' in client.get("/notifications/bell/").content.decode()
    page = html.unescape(client.get("/notifications/").content.decode())
    # in the colleague's language (Dutch), naming who assigned it, the action and its relation; unread: bold
    assert f"<strong>{rep} heeft u een actie toegewezen: Visit ({relation.name}).</strong>" in page
    client.post("/notifications/read/")
    assert "unread-count" not in client.get("/notifications/bell/").content.decode()
