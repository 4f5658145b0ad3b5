"""Writing an e-mail from an e-mail activity: sent over SMTP, kept in the history, completing it."""

import pytest

from kadans.activities.models import Activity, ActivityType
from kadans.notifications.models import SentMail
from tests.factories import ContactFactory, make_activity
from tests.mail_support import body_text, smtp  # noqa: F401


@pytest.fixture
def email_activity(rep, relation):
    rep.email = "rep@kadans.test"
    rep.save()
    contact = ContactFactory(relation=relation, email="an@cafe.test")
    return make_activity(user=rep, relation=relation, contact=contact,
                         activity_type=ActivityType.objects.get(kind="email", name="E-mail"),
                         summary="Offer for the new tripel", note="Dear An,\nhere is our offer.")


def test_the_form_is_prefilled_from_the_activity(client, rep, email_activity):
    client.force_login(rep)
    response = client.get(f"/notifications/activity/{email_activity.pk}/email/")
    form = response.context["form"]
    assert form["to"].value() == "an@cafe.test"
    assert form["subject"].value() == "Offer for the new tripel"
    assert "here is our offer" in form["body"].value()


def test_sending_mails_the_contact_records_it_and_completes_the_activity(client, rep, email_activity, smtp):  # noqa: F811
    client.force_login(rep)
    response = client.post(f"/notifications/activity/{email_activity.pk}/email/", {
        "to": "an@cafe.test", "subject": "Offer for the new tripel", "body": "Dear An,\nhere it is.", "complete": "on",
    })
    assert response.status_code == 302
    [message] = smtp.messages
    assert message["Subject"] == "Offer for the new tripel"
    assert message.envelope_rcpt == ["an@cafe.test"]
    assert "crm@kadans.test" in message["From"]
    assert message["Reply-To"] == "rep@kadans.test"
    assert "here it is" in body_text(message)
    sent = SentMail.objects.get()
    assert (sent.to, sent.subject, sent.activity_id) == ("an@cafe.test", "Offer for the new tripel", email_activity.pk)
    email_activity.refresh_from_db()
    assert email_activity.status == Activity.Status.DONE

    page = client.get(email_activity.relation.get_absolute_url()).content.decode()
    assert f'id="mail-{sent.pk}"' in page
    assert "an@cafe.test" in page and "here it is" in page


def test_sending_without_completing_keeps_it_planned(client, rep, email_activity, smtp):  # noqa: F811
    client.force_login(rep)
    client.post(f"/notifications/activity/{email_activity.pk}/email/",
                {"to": "an@cafe.test", "subject": "Hi", "body": "Hello"})
    email_activity.refresh_from_db()
    assert email_activity.status == Activity.Status.PLANNED
    assert len(smtp.messages) == 1


def test_an_unreachable_server_shows_an_error_and_records_nothing(client, rep, email_activity, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    client.force_login(rep)
    response = client.post(f"/notifications/activity/{email_activity.pk}/email/",
                           {"to": "an@cafe.test", "subject": "Hi", "body": "Hello", "complete": "on"})
    assert response.status_code == 200
    assert "could not be sent" in response.content.decode()
    assert not SentMail.objects.exists()
    email_activity.refresh_from_db()
    assert email_activity.status == Activity.Status.PLANNED


def test_someone_who_may_not_change_the_activity_cannot_send(client, email_activity):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    response = client.post(f"/notifications/activity/{email_activity.pk}/email/",
                           {"to": "x@y.test", "subject": "Hi", "body": "Hello"})
    assert response.status_code == 403
