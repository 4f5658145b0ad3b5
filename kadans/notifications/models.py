"""In-app notifications, sent e-mails (a relation's history shows them), meeting invitations, and the
claims that make scheduled jobs idempotent."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """Something a user should know about an activity; its text is rendered in the reader's language."""

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("Assigned to you")
        PARTICIPANT = "participant", _("Added as participant")
        REMINDER = "reminder", _("Reminder")
        UPLOADED = "uploaded", _("Document uploaded")
        SIGNED = "signed", _("Document signed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    activity = models.ForeignKey(
        "activities.Activity", verbose_name=_("activity"), on_delete=models.CASCADE, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            # the bell's unread count and the notification list, newest first
            models.Index(fields=["user", "read_at", "-created_at"], name="notification_user_read"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.activity_id}"


class SentMail(models.Model):
    """An e-mail Kadans sent to a relation's contact; shown in the relation's history."""

    class Kind(models.TextChoices):
        EMAIL = "email", _("E-mail")
        INVITATION = "invitation", _("Meeting invitation")
        UPLOAD_LINK = "upload_link", _("Upload link")
        SIGNATURE_LINK = "signature_link", _("Signature request")

    relation = models.ForeignKey(
        "relations.Relation", verbose_name=_("relation"), on_delete=models.CASCADE, related_name="+"
    )
    activity = models.ForeignKey(
        "activities.Activity", verbose_name=_("activity"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.EMAIL)
    sender = models.CharField(_("from"), max_length=300)
    to = models.CharField(_("to"), max_length=300)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("message"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sent by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent"))

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("sent e-mail")
        verbose_name_plural = _("sent e-mails")
        indexes = [
            # a relation's history timeline
            models.Index(fields=["relation", "-sent_at"], name="sentmail_relation_at"),
        ]

    def __str__(self) -> str:
        return self.subject


class Invitation(models.Model):
    """The meeting invitation of a call or meeting, as last sent to its contact: SEQUENCE grows with each
    update, and what was sent is kept so that only a real change sends an update."""

    activity = models.OneToOneField(
        "activities.Activity", verbose_name=_("activity"), on_delete=models.CASCADE, related_name="invitation"
    )
    attendee = models.EmailField(_("attendee"))
    sequence = models.PositiveIntegerField(_("sequence"), default=0)
    sent_start = models.DateTimeField()
    sent_end = models.DateTimeField()
    sent_summary = models.CharField(max_length=200, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("meeting invitation")
        verbose_name_plural = _("meeting invitations")

    def __str__(self) -> str:
        return f"{self.activity_id} #{self.sequence}"


class Claim(models.Model):
    """A scheduled job that was done, so that running the scheduler twice does it once: the unique key
    (e.g. "digest:<user>:<date>") is inserted before the work is enqueued, and a second insert fails."""

    key = models.CharField(max_length=100, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key


class Preferences(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    daily_digest = models.BooleanField(
        _("daily digest e-mail"), default=True,
        help_text=_("Every morning, an e-mail with your actions of today and the overdue ones."),
    )

    class Meta:
        verbose_name = _("notification preferences")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user_id)
