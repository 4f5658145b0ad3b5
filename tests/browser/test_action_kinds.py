"""End to end in Chromium, the representative's side of the action kinds: write an e-mail from an e-mail
action, upload a document on an upload action, see both in the relation's history, and the bell."""

from kadans.activities.models import Activity, ActivityType
from tests.factories import ContactFactory, RelationFactory, UserFactory, make_activity
from tests.mail_support import media, smtp  # noqa: F401

PASSWORD = "secret-pass-123"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_write_an_email_and_upload_a_document(live_server, page, login, smtp, media, tmp_path):  # noqa: F811
    rep = UserFactory(username="pieter", email="pieter@kadans.test", language="en")
    relation = RelationFactory(name="Café De Gouden Leeuw", representative=rep)
    contact = ContactFactory(relation=relation, first_name="An", last_name="Claes", email="an@cafe.test")
    email = make_activity(user=rep, relation=relation, contact=contact, summary="Offer tripel",
                          activity_type=ActivityType.objects.get(kind="email"))
    upload = make_activity(user=rep, relation=relation, contact=contact, summary="Price list",
                           activity_type=ActivityType.objects.get(kind="upload"))
    login("pieter", PASSWORD)

    page.goto(f"{live_server.url}/activities/{email.pk}/edit/")
    page.click("#write-email")
    assert page.input_value("#id_to") == "an@cafe.test"
    assert page.input_value("#id_subject") == "Offer tripel"
    page.fill("#id_body", "Dear An, here is the offer.")
    with page.expect_navigation():
        page.click("#email-form button[type=submit]")
    [message] = smtp.messages
    assert message["Subject"] == "Offer tripel" and message.envelope_rcpt == ["an@cafe.test"]
    assert "Dear An, here is the offer." in page.inner_text("#history")
    email.refresh_from_db()
    assert email.status == Activity.Status.DONE

    path = tmp_path / "price list.pdf"
    path.write_bytes(PDF)
    page.goto(f"{live_server.url}/activities/{upload.pk}/edit/")
    page.set_input_files("#kind-actions input[name=file]", str(path))
    with page.expect_navigation():
        page.click("#upload-document")
    upload.refresh_from_db()
    assert upload.status == Activity.Status.DONE
    page.goto(live_server.url + relation.get_absolute_url())
    assert "price_list.pdf" in page.inner_text("#history")
    with page.expect_download() as download:
        page.click("#history a:has-text('price_list.pdf')")
    assert download.value.suggested_filename == "price_list.pdf"


def test_the_bell_shows_an_assignment_by_a_colleague(live_server, page, login):
    rep = UserFactory(username="pieter", language="en")
    manager = UserFactory(username="marie")
    make_activity(user=manager, relation=RelationFactory(representative=manager), representative=rep, summary="Visit")
    login("pieter", PASSWORD)
    page.wait_for_selector("#unread-count")
    assert page.inner_text("#unread-count") == "1"
    page.click("#notification-bell")
    assert "assigned you an action: Visit" in page.inner_text("#notifications")
