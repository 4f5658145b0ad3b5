"""The public pages a contact opens from an e-mail, without an account: upload link and signing page."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile

from kadans.activities.models import Activity, ActivityType
from kadans.documents import services
from kadans.documents.models import Document, SignatureRequest
from kadans.notifications.models import Notification
from tests.factories import ContactFactory, RelationFactory, UserFactory, make_activity
from tests.mail_support import media, smtp  # noqa: F401

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _activity(kind: str):
    rep = UserFactory(username="pieter", email="pieter@kadans.test", language="en")
    relation = RelationFactory(name="Café De Gouden Leeuw", representative=rep)
    contact = ContactFactory(relation=relation, first_name="An", last_name="Claes", email="an@cafe.test")
    activity_type = ActivityType.objects.filter(kind=kind).first() or ActivityType.objects.create(
        name="Contract", kind=kind)
    return rep, make_activity(user=rep, relation=relation, contact=contact, activity_type=activity_type,
                              summary="Price list")


def test_a_contact_uploads_a_file_through_the_link(live_server, page, smtp, media, tmp_path):  # noqa: F811
    rep, activity = _activity("upload")
    link, token = services.upload_link_send(activity=activity, user=rep)
    forbidden = tmp_path / "virus.exe"
    forbidden.write_bytes(b"MZ\x00\x00")
    good = tmp_path / "price list.pdf"
    good.write_bytes(PDF)

    page.goto(f"{live_server.url}/documents/u/{token}/")
    page.set_input_files("input[name=file]", str(forbidden))
    page.click("#public-upload-form button[type=submit]")
    page.wait_for_selector("text=not allowed")
    assert not Document.objects.exists()

    page.set_input_files("input[name=file]", str(good))
    page.click("#public-upload-form button[type=submit]")
    page.wait_for_selector("#done-message")
    document = Document.objects.get()
    assert document.name == "price_list.pdf" and document.activity_id == activity.pk
    assert Notification.objects.filter(user=rep, kind="uploaded").exists()
    activity.refresh_from_db()
    assert activity.status == Activity.Status.DONE

    page.goto(f"{live_server.url}/documents/u/{token}/")
    assert "not valid" in page.inner_text("#closed-message")


def test_a_contact_draws_a_signature_and_signs(live_server, page, smtp, media):  # noqa: F811
    rep, activity = _activity("signature")
    document = services.document_upload(activity=activity, user=rep, uploaded=SimpleUploadedFile("contract.pdf", PDF))
    request, token = services.signature_request_send(activity=activity, document=document, user=rep)

    # Chromium's own PDF viewer, once loaded in the page's frame (about a second after the page), takes
    # the focus and scrolls the page, which moves the canvas and the checkbox under the pointer. The
    # viewer is the browser's, not ours: the frame gets a plain page here, and the link is checked below.
    document_url = f"{live_server.url}/documents/s/{token}/document/"
    framed = []

    def plain_frame(route):
        framed.append(route.request.url)
        route.fulfill(content_type="text/html", body="<p>contract</p>")

    page.route(document_url, plain_frame)

    page.goto(f"{live_server.url}/documents/s/{token}/")
    assert "contract.pdf" in page.inner_text("#document-link")
    assert page.get_attribute("#document-link", "href") == f"/documents/s/{token}/document/"
    assert framed == [document_url]
    assert page.context.request.get(document_url).body() == PDF  # the link itself serves the PDF
    page.fill("#id_name", "An Claes")
    # without consent and without a signature: refused, nothing stored. The consent's label also says
    # "agree to sign", so wait for the answer page itself, not for a text the form already shows.
    with page.expect_navigation():
        page.click("#sign-form button[type=submit]")
    errors = page.inner_text("#sign-form")
    assert "You must agree to sign electronically." in errors and "Draw your signature." in errors
    assert SignatureRequest.objects.get().used_at is None

    page.locator("#signature-pad").scroll_into_view_if_needed()
    box = page.locator("#signature-pad").bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 40)
    page.mouse.down()
    for step in range(1, 20):
        page.mouse.move(box["x"] + 20 + step * 15, box["y"] + 40 + (step % 5) * 12)
    page.mouse.up()
    # a drawing without consent is refused too, and the drawing stays on the page to sign with
    with page.expect_navigation():
        page.click("#sign-form button[type=submit]")
    assert "You must agree to sign electronically." in page.inner_text("#sign-form")
    assert "Draw your signature." not in page.inner_text("#sign-form")
    assert page.input_value("#id_signature").startswith("data:image/png;base64,")
    assert SignatureRequest.objects.get().used_at is None
    page.check("#id_consent")
    with page.expect_navigation():
        page.click("#sign-form button[type=submit]")
    page.wait_for_selector("#done-message")

    request.refresh_from_db()
    assert request.signer_name == "An Claes" and request.ip_address == "127.0.0.1"
    assert "Chrome" in request.user_agent
    signature = request.signature.file.read()
    assert signature.startswith(b"\x89PNG") and len(signature) > 500  # a real drawing, not an empty canvas
    assert json.loads(request.certificate.file.read())["document_sha256"] == document.sha256
    activity.refresh_from_db()
    assert activity.status == Activity.Status.DONE
