"""What the CalDAV server keeps besides Kadans' own data: the sync state of each calendar and the events a
calendar app created. Activities themselves are never copied here: a resource is rendered from its
activity on every request, and Kadans' database stays the one source of truth.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SyncCollection(models.Model):
    """One calendar as one user sees it (e.g. "12:own"), with the number of its last change: the
    sync-token and getctag of RFC 6578 / CalendarServer are derived from `seq`."""

    key = models.CharField(max_length=100, unique=True)
    seq = models.PositiveBigIntegerField(default=0)
    fingerprint = models.CharField(max_length=64, blank=True)
    """A hash of every resource's name and ETag at `seq`: equal now means nothing changed since."""

    def __str__(self) -> str:
        return f"{self.key} @ {self.seq}"


class SyncEntry(models.Model):
    """A resource (by its name in the calendar) as the calendar was last seen: its ETag, and `seq`, the
    collection's change number at which it last changed or disappeared (`deleted`, a tombstone). A
    sync-collection since token N answers the entries with seq > N."""

    collection = models.ForeignKey(SyncCollection, on_delete=models.CASCADE, related_name="entries")
    name = models.CharField(max_length=255)
    etag = models.CharField(max_length=64)
    seq = models.PositiveBigIntegerField()
    deleted = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["collection", "name"], name="caldav_syncentry_unique"),
        ]
        indexes = [
            # sync-collection: a collection's entries changed since a token
            models.Index(fields=["collection", "seq"], name="caldav_syncentry_seq"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.etag}"


class ClientEvent(models.Model):
    """An event a calendar app created in a user's Kadans calendar (PUT to a new resource name).

    Linked (`activity` set): the activity is served under the app's resource name and UID, so the app
    keeps seeing the event it made. Unlinked (no relation could be told from the event): the event as
    the app sent it waits here, served back unchanged, and is listed for the user to pick its relation;
    it is never dropped.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("resource name"), max_length=255)
    uid = models.CharField(_("UID"), max_length=255)
    activity = models.ForeignKey(
        "activities.Activity", verbose_name=_("activity"), on_delete=models.CASCADE, null=True, blank=True,
        related_name="+",
    )
    ical = models.TextField(_("event as sent"), blank=True)
    summary = models.CharField(_("subject"), max_length=200, blank=True)
    start = models.DateTimeField(_("start"), null=True, blank=True)
    all_day = models.BooleanField(_("all day"), default=False)
    location = models.CharField(_("location"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["start", "id"]
        verbose_name = _("event from a calendar app")
        verbose_name_plural = _("events from calendar apps")
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="caldav_clientevent_name_unique"),
        ]

    def __str__(self) -> str:
        return self.summary or self.name


class EventAlarm(models.Model):
    """The alarms (VALARM) a user set in their calendar app on an action or a series: Kadans has no
    reminder time on an activity (reminders are activities of their own kind), so the app's alarms are
    kept here and served back with the event, for this user only."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    activity = models.ForeignKey(
        "activities.Activity", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    series = models.ForeignKey(
        "activities.ActivitySeries", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    ical = models.TextField()
    """The VALARM components as the app sent them."""

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "activity"], name="caldav_eventalarm_activity_unique"),
            models.UniqueConstraint(fields=["user", "series"], name="caldav_eventalarm_series_unique"),
            models.CheckConstraint(
                condition=models.Q(activity__isnull=True, series__isnull=False)
                | models.Q(activity__isnull=False, series__isnull=True),
                name="caldav_eventalarm_activity_or_series",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.activity_id or self.series_id}"
