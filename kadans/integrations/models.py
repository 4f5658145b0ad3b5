"""Integrations: web forms that take in leads, webhook subscriptions with their delivery log, import jobs."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def new_key() -> str:
    return secrets.token_urlsafe(24)


class WebForm(models.Model):
    """A lead form on a website: its own public key, who gets the leads, which plan starts for them."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    key = models.CharField(_("key"), max_length=64, unique=True, default=new_key, editable=False)
    active = models.BooleanField(_("active"), default=True)
    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("representative"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", help_text=_("Every lead goes to this user; or choose a team instead."),
    )
    team = models.ForeignKey(
        "accounts.Team", verbose_name=_("team"), on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text=_("Leads go round the team's active members, the one without a lead for longest first."),
    )
    business_status = models.ForeignKey(
        "relations.BusinessStatus", verbose_name=_("business status"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="+", help_text=_("Empty: the default status for new relations."),
    )
    plan = models.ForeignKey(
        "activities.ActivityPlan", verbose_name=_("plan"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", help_text=_("Applied to every lead, e.g. a call on the next working day."),
    )
    rate_limit = models.PositiveIntegerField(
        _("submissions per hour per address"), default=10,
    )
    success_url = models.URLField(
        _("page after sending"), blank=True,
        help_text=_("A browser that posts the form is sent here; empty: a short JSON answer."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("web form")
        verbose_name_plural = _("web forms")
        constraints = [
            models.CheckConstraint(
                condition=Q(representative__isnull=False) | Q(team__isnull=False), name="webform_has_assignee"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class LeadRotation(models.Model):
    """When a user last received a web lead by round-robin: the one waiting longest gets the next."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_assigned_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.last_assigned_at}"


class IntakeHit(models.Model):
    """Submissions counted per form, client address and hour (a fixed window), in the database so that
    every app process shares the count."""

    web_form = models.ForeignKey(WebForm, on_delete=models.CASCADE, related_name="+")
    ip = models.GenericIPAddressField()
    window = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            # one counter per window; its index serves the lookup of each submission
            models.UniqueConstraint(fields=["web_form", "ip", "window"], name="intakehit_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.ip} @ {self.window}: {self.count}"


class WebhookSubscription(models.Model):
    class Event(models.TextChoices):
        ACTIVITY_CREATED = "activity.created", _("Activity created")
        ACTIVITY_COMPLETED = "activity.completed", _("Activity completed")
        ACTIVITY_CANCELLED = "activity.cancelled", _("Activity cancelled")
        RELATION_STATUS_CHANGED = "relation.status_changed", _("Relation status changed")

    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(
        _("secret"), max_length=100, default=new_key,
        help_text=_("The receiver checks X-Kadans-Signature: sha256=HMAC-SHA256 of the body with this secret."),
    )
    events = models.JSONField(_("events"), default=list)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")

    def __str__(self) -> str:
        return self.name


class WebhookDelivery(models.Model):
    """One attempt to deliver one event to one subscription."""

    subscription = models.ForeignKey(
        WebhookSubscription, verbose_name=_("subscription"), on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(_("event"), max_length=40)
    event_id = models.CharField(_("event id"), max_length=64)
    attempt = models.PositiveIntegerField(_("attempt"))
    status_code = models.PositiveIntegerField(_("status code"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    succeeded = models.BooleanField(_("succeeded"), default=False)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [
            # a subscription's delivery log, newest first
            models.Index(fields=["subscription", "-at"], name="webhookdelivery_sub_at"),
        ]

    def __str__(self) -> str:
        return f"{self.event} #{self.attempt}"


class ImportJob(models.Model):
    """An uploaded file waiting for its column mapping, its dry run and its commit."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        CHECKED = "checked", _("Checked")
        FAILED = "failed", _("Failed")
        DONE = "done", _("Imported")

    kind = models.CharField(_("kind"), max_length=20)
    filename = models.CharField(_("file"), max_length=200)
    content = models.BinaryField(_("content"))
    mapping = models.JSONField(_("mapping"), default=dict)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.UPLOADED)
    report = models.JSONField(_("report"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return self.filename
