"""Writes on documents: uploads (by a user or through a public link) and signatures.

An upload is checked on its size, its extension and its content (the first bytes must match the
extension); its name is sanitised and it is stored under a random folder. Public links carry a random
token of which only the SHA-256 is kept; a link is open until it expires or is used, once.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import io
import json
import secrets
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from kadans.activities.models import Activity, ActivityType
from kadans.activities.services import activity_complete
from kadans.documents.models import Document, SignatureRequest, UploadLink
from kadans.notifications import mail
from kadans.notifications.models import Notification, SentMail
from kadans.notifications.services import notify

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "txt": "text/plain",
}
MAX_SIGNATURE_BYTES = 500 * 1024


def _zip_has(data: bytes, prefix: str) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return any(name.startswith(prefix) for name in archive.namelist())
    except zipfile.BadZipFile:
        return False


def content_matches(extension: str, data: bytes) -> bool:
    """Content sniffing: do the bytes look like what the extension says?"""
    if extension == "pdf":
        return data.startswith(b"%PDF-")
    if extension == "png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in ("jpg", "jpeg"):
        return data.startswith(b"\xff\xd8\xff")
    if extension == "docx":
        return data.startswith(b"PK\x03\x04") and _zip_has(data, "word/")
    if extension == "xlsx":
        return data.startswith(b"PK\x03\x04") and _zip_has(data, "xl/")
    if extension == "txt":
        if b"\x00" in data:
            return False
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True
    return False


def clean_upload(uploaded) -> tuple[str, str, bytes]:
    """Check an uploaded file; return its safe name, content type and bytes, or raise ValidationError."""
    if uploaded is None:
        raise ValidationError(_("Choose a file."))
    limit = settings.KADANS_UPLOAD_MAX_BYTES
    if uploaded.size > limit:
        raise ValidationError(_("The file is too large: at most %(size)s.") % {
            "size": formats.number_format(limit / 1024 / 1024, 1) + " MB"})
    allowed = [e.lower().lstrip(".") for e in settings.KADANS_UPLOAD_EXTENSIONS]
    raw_name = (uploaded.name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    extension = raw_name.rsplit(".", 1)[-1].lower() if "." in raw_name else ""
    if extension not in allowed or extension not in CONTENT_TYPES:
        raise ValidationError(_("This kind of file is not allowed. Allowed: %(types)s.") % {
            "types": ", ".join(allowed)})
    data = uploaded.read()
    if len(data) > limit:
        raise ValidationError(_("The file is too large."))
    if not data or not content_matches(extension, data):
        raise ValidationError(_("The file's content does not match its type (.%(ext)s).") % {"ext": extension})
    try:
        name = get_valid_filename(raw_name)
    except Exception:  # get_valid_filename refuses names that are empty once cleaned
        name = f"document.{extension}"
    return name[-150:], CONTENT_TYPES[extension], data


def document_store(*, activity: Activity, name: str, content_type: str, data: bytes, source: str,
                   user=None) -> Document:
    document = Document(
        activity=activity, name=name, content_type=content_type, size=len(data),
        sha256=hashlib.sha256(data).hexdigest(), source=source, uploaded_by=user,
    )
    document.file.save(name, ContentFile(data), save=False)
    document.save()
    return document


@transaction.atomic
def document_upload(*, activity: Activity, user, uploaded, complete: bool = True) -> Document:
    """A user adds a file to an activity; for an "upload document" activity that completes it."""
    name, content_type, data = clean_upload(uploaded)
    document = document_store(activity=activity, name=name, content_type=content_type, data=data,
                              source=Document.Source.USER, user=user)
    if complete and activity.type.kind == ActivityType.Kind.UPLOAD and activity.status == Activity.Status.PLANNED:
        activity_complete(activity=activity, user=user)
    return document


def _token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, hashlib.sha256(token.encode()).hexdigest()


def _find(model, token: str, *, lock: bool = False):
    """The open link with this token, or None: unknown, expired and used tokens look the same."""
    if not token or len(token) > 100:
        return None
    qs = model.objects.select_related("activity__relation", "activity__representative", "activity__type")
    if lock:
        qs = qs.select_for_update(of=("self",))
    link = qs.filter(token_hash=hashlib.sha256(token.encode()).hexdigest()).first()
    if link is None or not link.is_open():
        return None
    return link


def _contact_email(activity: Activity) -> str:
    if activity.contact is None or not activity.contact.email:
        raise ValidationError(_("Choose a contact with an e-mail address first."))
    return activity.contact.email


def _expiry() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=settings.KADANS_LINK_VALID_DAYS)


@transaction.atomic
def upload_link_send(*, activity: Activity, user) -> tuple[UploadLink, str]:
    """Mail the activity's contact a link to upload a file without an account. Returns the link and its
    token (shown nowhere else: only its hash is kept)."""
    email = _contact_email(activity)
    token, token_hash = _token()
    link = UploadLink.objects.create(activity=activity, token_hash=token_hash, email=email,
                                     expires_at=_expiry(), created_by=user)
    url = mail.absolute_url(reverse("documents:public_upload", args=[token]))
    with mail.in_language(mail.contact_language()):
        subject = _("Please upload a document: %(what)s") % {"what": activity.summary or activity.type}
        body = _("Hello,\n\n%(user)s asks you to upload a document for “%(what)s”.\nUse this link, valid until "
                 "%(date)s:\n\n%(url)s\n") % {
            "user": user, "what": activity.summary or activity.type, "url": url,
            "date": formats.date_format(timezone.localtime(link.expires_at), "DATE_FORMAT")}
    mail.send_to_contact(activity=activity, user=user, to=email, subject=subject, body=body,
                         kind=SentMail.Kind.UPLOAD_LINK)
    return link, token


def upload_link_find(token: str) -> UploadLink | None:
    return _find(UploadLink, token)


@transaction.atomic
def upload_by_link(*, token: str, uploaded) -> Document | None:
    """A contact uploads through a link: the file lands on the activity, the link is used, the
    representative is notified and the activity completed. None when the link is not open."""
    link = _find(UploadLink, token, lock=True)
    if link is None:
        return None
    name, content_type, data = clean_upload(uploaded)
    # conditional update: two uploads at once through the same link store one file
    if not UploadLink.objects.filter(pk=link.pk, used_at__isnull=True).update(used_at=timezone.now()):
        return None
    activity = link.activity
    document = document_store(activity=activity, name=name, content_type=content_type, data=data,
                              source=Document.Source.LINK)
    notify([Notification(user_id=activity.representative_id, kind=Notification.Kind.UPLOADED, activity=activity)])
    if activity.status == Activity.Status.PLANNED and activity.type.kind == ActivityType.Kind.UPLOAD:
        activity_complete(activity=activity, user=activity.representative)
    return document


@transaction.atomic
def signature_request_send(*, activity: Activity, document: Document, user) -> tuple[SignatureRequest, str]:
    """Mail the contact a link to sign `document` (a file of this activity)."""
    if document.activity_id != activity.pk:
        raise ValidationError(_("Choose a document of this action."))
    email = _contact_email(activity)
    token, token_hash = _token()
    request = SignatureRequest.objects.create(
        activity=activity, document=document, document_sha256=document.sha256, token_hash=token_hash,
        email=email, expires_at=_expiry(), created_by=user,
    )
    url = mail.absolute_url(reverse("documents:public_sign", args=[token]))
    with mail.in_language(mail.contact_language()):
        subject = _("Please sign: %(name)s") % {"name": document.name}
        body = _("Hello,\n\n%(user)s asks you to sign “%(name)s”.\nUse this link, valid until %(date)s:\n\n"
                 "%(url)s\n") % {
            "user": user, "name": document.name, "url": url,
            "date": formats.date_format(timezone.localtime(request.expires_at), "DATE_FORMAT")}
    mail.send_to_contact(activity=activity, user=user, to=email, subject=subject, body=body,
                         kind=SentMail.Kind.SIGNATURE_LINK)
    return request, token


def signature_request_find(token: str) -> SignatureRequest | None:
    request = _find(SignatureRequest, token)
    if request is not None:
        request.document  # noqa: B018 - the signing page shows it
    return request


def decode_signature(data_url: str) -> bytes:
    """The drawn signature, posted as a PNG data URL; refused unless it is a small, real PNG."""
    prefix = "data:image/png;base64,"
    if not data_url or not data_url.startswith(prefix) or len(data_url) > MAX_SIGNATURE_BYTES * 4 // 3 + 100:
        raise ValidationError(_("Draw your signature."))
    try:
        data = base64.b64decode(data_url[len(prefix):], validate=True)
    except ValueError:
        raise ValidationError(_("Draw your signature.")) from None
    if not data.startswith(b"\x89PNG\r\n\x1a\n") or len(data) > MAX_SIGNATURE_BYTES:
        raise ValidationError(_("Draw your signature."))
    return data


@transaction.atomic
def signature_sign(*, token: str, name: str, signature_data_url: str, consent: bool, ip_address: str | None,
                   user_agent: str) -> SignatureRequest | None:
    """Sign a request once: record who, when, from where, the document's SHA-256; store the drawn
    signature and a certificate on the activity and complete it. None when the link is not open."""
    request = _find(SignatureRequest, token, lock=True)
    if request is None:
        return None
    errors = {}
    if not name.strip():
        errors["name"] = _("Type your name.")
    if not consent:
        errors["consent"] = _("You must agree to sign electronically.")
    try:
        png = decode_signature(signature_data_url)
    except ValidationError as e:
        errors["signature"] = e.messages
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    if not SignatureRequest.objects.filter(pk=request.pk, used_at__isnull=True).update(used_at=now):
        return None
    document = request.document
    with document.file.open("rb") as f:
        current = hashlib.sha256(f.read()).hexdigest()
    activity = request.activity
    signature = document_store(activity=activity, name=f"signature-{request.pk}.png", content_type="image/png",
                               data=png, source=Document.Source.SIGNATURE)
    record = {
        "document": document.name, "document_sha256": request.document_sha256,
        "document_sha256_at_signing": current, "signer_name": name.strip(), "signer_email": request.email,
        "signed_at": now.isoformat(), "ip_address": ip_address, "user_agent": user_agent[:500],
        "consent": True, "signature_png_sha256": signature.sha256, "activity": activity.pk,
        "relation": activity.relation.name,
    }
    certificate = document_store(
        activity=activity, name=f"signature-certificate-{request.pk}.txt", content_type="text/plain",
        data=(json.dumps(record, indent=2, ensure_ascii=False) + "\n").encode(), source=Document.Source.CERTIFICATE,
    )
    request.signer_name, request.ip_address, request.user_agent = name.strip()[:200], ip_address, user_agent[:500]
    request.signature, request.certificate, request.used_at = signature, certificate, now
    request.save()
    notify([Notification(user_id=activity.representative_id, kind=Notification.Kind.SIGNED, activity=activity)])
    if activity.status == Activity.Status.PLANNED:
        activity_complete(activity=activity, user=activity.representative)
    return request
