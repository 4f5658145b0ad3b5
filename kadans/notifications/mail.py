"""Sending e-mail through the configured SMTP server, and recording what went to a relation's contact."""

from __future__ import annotations

import contextlib
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone, translation

from kadans.notifications.models import SentMail


def user_language(user) -> str:
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


def contact_language() -> str:
    """Contacts have no language of their own: they get the company's default language."""
    return settings.LANGUAGE_CODE


@contextlib.contextmanager
def in_language(language: str):
    with translation.override(language):
        yield


def sender_for(user) -> str:
    """Mail goes out from the configured address, under the user's name; replies go to the user."""
    name = str(user) if user is not None else "Kadans"
    address = settings.DEFAULT_FROM_EMAIL
    if "<" in address:
        return address
    return formataddr((name, address))


def absolute_url(path: str) -> str:
    return settings.KADANS_BASE_URL.rstrip("/") + path


def send(
    *, to: list[str], subject: str, body: str, sender: str | None = None, reply_to: list[str] | None = None,
    attachments: list[tuple[str, bytes, str]] = (), alternatives: list[tuple[str, str]] = (),
) -> None:
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=sender or settings.DEFAULT_FROM_EMAIL, to=to,
        reply_to=reply_to or None,
    )
    for content, mimetype in alternatives:
        message.attach_alternative(content, mimetype)
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    message.send(fail_silently=False)


def send_to_contact(
    *, activity, user, to: str, subject: str, body: str, kind: str = SentMail.Kind.EMAIL,
    attachments: list[tuple[str, bytes, str]] = (), alternatives: list[tuple[str, str]] = (),
) -> SentMail:
    """Send a mail to a contact and keep it, with its sender, recipient and time, for the history."""
    sender = sender_for(user)
    reply_to = [user.email] if user is not None and user.email else None
    send(to=[to], subject=subject, body=body, sender=sender, reply_to=reply_to, attachments=attachments,
         alternatives=alternatives)
    return SentMail.objects.create(
        relation_id=activity.relation_id, activity=activity, kind=kind, sender=sender, to=to, subject=subject,
        body=body, sent_by=user, sent_at=timezone.now(),
    )
