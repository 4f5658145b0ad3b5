"""Files on activities, public upload links and signature requests.

Files are stored under a random folder in the configured storage (MEDIA_ROOT by default) and are only
served through a permission-checked view, never from the media folder directly. Public links carry a
random token; only its SHA-256 is stored, so a database leak reveals no usable link.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def document_path(instance: "Document", filename: str) -> str:
    return f"documents/{timezone.now():%Y/%m}/{secrets.token_hex(16)}/{filename}"


class Document(models.Model):
    class Source(models.TextChoices):
        USER = "user", _("Uploaded by a user")
        LINK = "link", _("Uploaded through a link")
        SIGNATURE = "signature", _("Signature")
        CERTIFICATE = "certificate", _("Signature certificate")

    activity = models.ForeignKey(
        "activities.Activity", verbose_name=_("activity"), on_delete=models.PROTECT, related_name="documents"
    )
    file = models.FileField(_("file"), upload_to=document_path, max_length=300)
    name = models.CharField(_("name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.USER)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [
            # a relation's history: the documents of its activities, newest first
            models.Index(fields=["activity", "created_at"], name="document_activity_created"),
        ]

    def __str__(self) -> str:
        return self.name


class PublicLink(models.Model):
    """Base of the links a contact opens without an account: a token (hashed), an expiry, used once."""

    activity = models.ForeignKey("activities.Activity", verbose_name=_("activity"), on_delete=models.CASCADE,
                                 related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    email = models.EmailField(_("sent to"))
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        abstract = True

    def is_open(self, now=None) -> bool:
        return self.used_at is None and self.expires_at > (now or timezone.now())


class UploadLink(PublicLink):
    class Meta:
        verbose_name = _("upload link")
        verbose_name_plural = _("upload links")

    def __str__(self) -> str:
        return f"upload {self.activity_id}"


class SignatureRequest(PublicLink):
    document = models.ForeignKey(Document, verbose_name=_("document"), on_delete=models.PROTECT, related_name="+")
    document_sha256 = models.CharField(_("SHA-256 of the document"), max_length=64)
    signer_name = models.CharField(_("name of the signer"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=500, blank=True)
    signature = models.ForeignKey(Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    certificate = models.ForeignKey(Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("signature request")
        verbose_name_plural = _("signature requests")

    def __str__(self) -> str:
        return f"signature {self.activity_id}"
