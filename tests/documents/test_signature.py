"""Signature requests: the contact signs once, through an expiring link; Kadans records who, when, from
where and the document's SHA-256, and keeps the signature and a certificate on the activity."""

import base64
import datetime
import hashlib
import json
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kadans.activities.models import Activity, ActivityType
from kadans.documents import services
from kadans.documents.models import Document, SignatureRequest
from tests.factories import ContactFactory, make_activity
from tests.mail_support import media, smtp  # noqa: F401

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_data_url() -> str:
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)) + \
        chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b"")
    return "data:image/png;base64," + base64.b64encode(raw).decode()


@pytest.fixture
def signing(rep, relation, media, smtp):  # noqa: F811
    signature_type = ActivityType.objects.create(name="Contract", kind=ActivityType.Kind.SIGNATURE)
    contact = ContactFactory(relation=relation, email="an@cafe.test")
    activity = make_activity(user=rep, relation=relation, contact=contact, activity_type=signature_type)
    document = services.document_upload(activity=activity, user=rep, uploaded=SimpleUploadedFile("contract.pdf", PDF))
    request, token = services.signature_request_send(activity=activity, document=document, user=rep)
    return activity, request, token


def test_signing_records_everything_and_completes_the_activity(client, signing, smtp):  # noqa: F811
    activity, request, token = signing
    assert smtp.messages[0].envelope_rcpt == ["an@cafe.test"]
    page = client.get(f"/documents/s/{token}/").content.decode()
    assert "contract.pdf" in page and 'id="signature-pad"' in page
    assert client.get(f"/documents/s/{token}/document/").getvalue() == PDF
    response = client.post(f"/documents/s/{token}/", {
        "name": "An Claes", "signature": png_data_url(), "consent": "on",
    }, HTTP_USER_AGENT="TestBrowser/1.0", REMOTE_ADDR="192.0.2.7")
    assert "the document is signed" in response.content.decode()
    request.refresh_from_db()
    assert request.signer_name == "An Claes"
    assert request.ip_address == "192.0.2.7" and request.user_agent == "TestBrowser/1.0"
    assert request.document_sha256 == hashlib.sha256(PDF).hexdigest()
    assert request.used_at is not None
    certificate = json.loads(request.certificate.file.read())
    assert certificate["document_sha256"] == hashlib.sha256(PDF).hexdigest()
    assert certificate["signer_name"] == "An Claes" and certificate["ip_address"] == "192.0.2.7"
    assert request.signature.file.read().startswith(b"\x89PNG")
    assert set(Document.objects.filter(activity=activity).values_list("source", flat=True)) == {
        "user", "signature", "certificate"}
    activity.refresh_from_db()
    assert activity.status == Activity.Status.DONE


def test_a_request_is_signed_once(client, signing):
    activity, request, token = signing
    data = {"name": "An Claes", "signature": png_data_url(), "consent": "on"}
    client.post(f"/documents/s/{token}/", data)
    response = client.post(f"/documents/s/{token}/", data)
    assert response.status_code == 404
    assert Document.objects.filter(source="certificate").count() == 1


@pytest.mark.parametrize(("data", "message"), [
    ({"name": "An Claes", "signature": "PNG"}, "agree to sign"),
    ({"name": "An Claes", "consent": "on", "signature": ""}, "Draw your signature"),
    ({"name": "An Claes", "consent": "on", "signature": "data:image/png;base64,aGVsbG8="}, "Draw your signature"),
    ({"name": "", "consent": "on", "signature": "x"}, "required"),
])
def test_an_incomplete_signature_stores_nothing(client, signing, data, message):
    activity, request, token = signing
    data = {**data, "signature": png_data_url() if data["signature"] == "PNG" else data["signature"]}
    response = client.post(f"/documents/s/{token}/", data)
    assert response.status_code == 200 and message in response.content.decode()
    request.refresh_from_db()
    assert request.used_at is None
    assert Document.objects.count() == 1
    activity.refresh_from_db()
    assert activity.status == Activity.Status.PLANNED


def test_an_expired_or_wrong_token_shows_the_neutral_page(client, signing):
    activity, request, token = signing
    SignatureRequest.objects.filter(pk=request.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    for path in (f"/documents/s/{token}/", "/documents/s/guess/", f"/documents/s/{token}/document/"):
        response = client.get(path)
        assert response.status_code == 404
        assert b"contract" not in response.content


def test_only_documents_of_the_activity_can_be_sent_for_signature(rep, relation, signing):
    activity, request, token = signing
    other = make_activity(user=rep, relation=relation, activity_type=activity.type,
                          contact=activity.contact)
    with pytest.raises(Exception, match="document of this action"):
        services.signature_request_send(activity=other, document=request.document, user=rep)
