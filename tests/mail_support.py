"""A real SMTP server on loopback (aiosmtpd) for the e-mail tests; Django sends to it over SMTP."""

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message.envelope_rcpt = list(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 OK"

    def clear(self):
        self.messages.clear()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """Start an SMTP server on 127.0.0.1, point Django at it, run tasks at once; yield its inbox."""
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.DEFAULT_FROM_EMAIL = "crm@kadans.test"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def body_text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def attachment(message, filename: str) -> bytes:
    for part in message.iter_attachments():
        if part.get_filename() == filename:
            return part.get_content() if isinstance(part.get_content(), bytes) else part.get_content().encode()
    raise AssertionError(f"no attachment {filename}")
