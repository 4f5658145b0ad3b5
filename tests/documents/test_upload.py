"""Uploading documents on an activity, and through a public upload link."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kadans.activities.models import Activity, ActivityType
from kadans.documents import services
from kadans.documents.models import Document, UploadLink
from kadans.notifications.models import Notification
from tests.factories import ContactFactory, make_activity
from tests.mail_support import body_text, media, smtp  # noqa: F401

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def upload_activity(rep, relation, media):  # noqa: F811
    contact = ContactFactory(relation=relation, email="an@cafe.test")
    return make_activity(user=rep, relation=relation, contact=contact,
                         activity_type=ActivityType.objects.get(kind="upload"), summary="Signed price list")


def test_an_upload_is_stored_listed_and_completes_the_activity(client, rep, upload_activity):
    client.force_login(rep)
    f = SimpleUploadedFile("../../etc/price list (v2).pdf", PDF, content_type="application/pdf")
    client.post(f"/documents/activity/{upload_activity.pk}/upload/", {"file": f})
    document = Document.objects.get()
    assert document.name == "price_list_v2.pdf"
    assert ".." not in document.file.name and document.file.name.startswith("documents/")
    assert document.size == len(PDF)
    upload_activity.refresh_from_db()
    assert upload_activity.status == Activity.Status.DONE
    page = client.get(upload_activity.relation.get_absolute_url()).content.decode()
    assert f"/documents/{document.pk}/download/" in page
    response = client.get(f"/documents/{document.pk}/download/")
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]


def test_files_are_not_served_to_anonymous_visitors(client, rep, upload_activity):
    document = services.document_upload(activity=upload_activity, user=rep,
                                        uploaded=SimpleUploadedFile("a.pdf", PDF))
    response = client.get(f"/documents/{document.pk}/download/")
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize(("name", "content", "message"), [
    ("script.exe", b"MZ....", "not allowed"),
    ("fake.pdf", b"<html>not a pdf</html>", "does not match"),
    ("photo.png", PDF, "does not match"),
])
def test_forbidden_files_are_refused_and_nothing_is_stored(client, rep, upload_activity, name, content, message):
    client.force_login(rep)
    response = client.post(f"/documents/activity/{upload_activity.pk}/upload/",
                           {"file": SimpleUploadedFile(name, content)}, follow=True)
    assert message in response.content.decode()
    assert not Document.objects.exists()
    upload_activity.refresh_from_db()
    assert upload_activity.status == Activity.Status.PLANNED


def test_an_oversized_file_is_refused(client, rep, upload_activity, settings):
    settings.KADANS_UPLOAD_MAX_BYTES = 100
    client.force_login(rep)
    response = client.post(f"/documents/activity/{upload_activity.pk}/upload/",
                           {"file": SimpleUploadedFile("big.txt", b"x" * 101)}, follow=True)
    assert "too large" in response.content.decode()
    assert not Document.objects.exists()


def test_a_contact_uploads_through_the_link_and_the_representative_is_notified(
    client, rep, upload_activity, smtp  # noqa: F811
):
    client.force_login(rep)
    client.post(f"/documents/activity/{upload_activity.pk}/upload-link/")
    [message] = smtp.messages
    assert message.envelope_rcpt == ["an@cafe.test"]
    url = next(word for word in body_text(message).split() if "/documents/u/" in word)
    path = url[url.index("/documents/u/"):]
    client.logout()
    assert "Upload a document" in client.get(path).content.decode()
    response = client.post(path, {"file": SimpleUploadedFile("offer.txt", b"hello")})
    assert "your file was received" in response.content.decode()
    document = Document.objects.get()
    assert document.activity_id == upload_activity.pk and document.source == "link"
    assert Notification.objects.get(user=rep).kind == "uploaded"
    upload_activity.refresh_from_db()
    assert upload_activity.status == Activity.Status.DONE
    # used: a second upload gets the neutral message and stores nothing
    response = client.post(path, {"file": SimpleUploadedFile("again.txt", b"again")})
    assert response.status_code == 404
    assert Document.objects.count() == 1


def test_wrong_and_expired_tokens_reveal_nothing(client, rep, upload_activity, smtp):  # noqa: F811
    link, token = services.upload_link_send(activity=upload_activity, user=rep)
    response = client.get("/documents/u/not-a-token/")
    assert response.status_code == 404 and "not valid" in response.content.decode()
    assert upload_activity.relation.name not in response.content.decode()
    UploadLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = client.post(f"/documents/u/{token}/", {"file": SimpleUploadedFile("a.txt", b"a")})
    assert response.status_code == 404
    assert not Document.objects.exists()


def test_a_forbidden_file_through_the_link_keeps_the_link_open(client, rep, upload_activity, smtp):  # noqa: F811
    link, token = services.upload_link_send(activity=upload_activity, user=rep)
    response = client.post(f"/documents/u/{token}/", {"file": SimpleUploadedFile("a.exe", b"MZ")})
    assert response.status_code == 200 and "not allowed" in response.content.decode()
    link.refresh_from_db()
    assert link.used_at is None
    assert not Document.objects.exists()
