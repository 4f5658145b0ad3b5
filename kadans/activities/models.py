import datetime
import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kadans.activities.recurrence import Recurrence


class Product(models.Model):
    """Something given away, typically samples; its cost price pre-fills a cost line."""

    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("code"), max_length=50, blank=True)
    cost_price = models.DecimalField(
        _("cost price"), max_digits=10, decimal_places=2, default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=~Q(code=""), name="product_code_unique"),
            models.CheckConstraint(condition=Q(cost_price__gte=0), name="product_cost_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})" if self.code else self.name


class ActivityType(models.Model):
    class Kind(models.TextChoices):
        TODO = "todo", _("To-do")
        EMAIL = "email", _("E-mail")
        CALL = "call", _("Phone call")
        MEETING = "meeting", _("Meeting")
        UPLOAD = "upload", _("Upload document")
        SIGNATURE = "signature", _("Request signature")
        REMINDER = "reminder", _("Reminder")

    class Chaining(models.TextChoices):
        NONE = "none", _("None")
        SUGGEST = "suggest", _("Suggest next activities")
        TRIGGER = "trigger", _("Trigger next activity")

    class DelayUnit(models.TextChoices):
        DAYS = "days", _("days")
        WEEKS = "weeks", _("weeks")
        MONTHS = "months", _("months")

    class DelayFrom(models.TextChoices):
        COMPLETION = "completion", _("after the completion date")
        DEADLINE = "deadline", _("after the previous deadline")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("action"), max_length=20, choices=Kind.choices, default=Kind.TODO)
    default_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("default user"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+",
    )
    default_summary = models.CharField(_("default summary"), max_length=200, blank=True)
    default_note = models.TextField(_("default note"), blank=True)
    color = models.CharField(
        _("calendar colour"), max_length=7, default="#3b82f6",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour as #rrggbb."))],
    )
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    chaining = models.CharField(_("chaining"), max_length=10, choices=Chaining.choices, default=Chaining.NONE)
    suggested_types = models.ManyToManyField(
        "self", verbose_name=_("suggest"), symmetrical=False, blank=True, related_name="suggested_by"
    )
    triggered_type = models.ForeignKey(
        "self", verbose_name=_("trigger"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="triggered_by",
    )
    delay_count = models.PositiveIntegerField(_("delay"), default=0)
    delay_unit = models.CharField(_("delay unit"), max_length=10, choices=DelayUnit.choices, default=DelayUnit.DAYS)
    delay_from = models.CharField(
        _("delay from"), max_length=12, choices=DelayFrom.choices, default=DelayFrom.COMPLETION
    )
    interval_days = models.PositiveIntegerField(
        _("action interval (days)"), null=True, blank=True,
        help_text=_("A relation should get an action of this type again within this many days."),
    )

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("action type")
        verbose_name_plural = _("action types")
        constraints = [
            models.CheckConstraint(
                condition=Q(chaining="trigger", triggered_type__isnull=False) | ~Q(chaining="trigger"),
                name="activitytype_trigger_has_type",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_calendar_item(self) -> bool:
        """Calls and meetings happen at a time of day; the rest are all-day by default."""
        return self.kind in (self.Kind.CALL, self.Kind.MEETING)


class ActivitySeries(models.Model):
    """A repeating activity: the rule its occurrences were made by.

    Design: every occurrence is a real Activity row (linked here by `series`, with `recurrence_id` its
    start by the rule), all made at once when the series is created. A series always ends (a count or
    a date, at most recurrence.MAX_OCCURRENCES occurrences), so there is no horizon to extend, and every
    list, state, completion, cost and report rule works on occurrences unchanged: completing one
    occurrence completes that row only. "This one" edits change one row; "this and following" splits
    the series at that occurrence (the old rule gets an end, a new series takes the rest). The feed
    writes a series as one event with an RRULE, EXDATEs for cancelled or missing occurrences and
    RECURRENCE-ID overrides for occurrences that differ from the rule.
    """

    rrule = models.CharField(_("repetition"), max_length=200)
    """RFC 5545 RRULE value, UNTIL as a DATE in `time_zone` (see kadans.activities.recurrence)."""
    dtstart = models.DateTimeField(_("first occurrence"))
    all_day = models.BooleanField(_("all day"))
    time_zone = models.CharField(_("time zone"), max_length=64)
    """The wall-clock zone the rule is expanded in: the company's for all-day series, else the creator's."""
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("activity series")
        verbose_name_plural = _("activity series")

    def __str__(self) -> str:
        return self.rrule

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def recurrence(self):
        return Recurrence.from_rrule(self.rrule)


class Activity(models.Model):
    """One action on one relation, planned or done (Douano's "actie", Odoo's "activity").

    All-day activities are stored from midnight of their first day to midnight of their last day in the
    company time zone (settings.TIME_ZONE), so their dates read back the same for everyone; timed ones are
    instants, shown in each user's own time zone. An occurrence of a repeating activity belongs to an
    ActivitySeries (see there).
    """

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DONE = "done", pgettext_lazy("activity status", "Done")
        CANCELLED = "cancelled", _("Cancelled")

    relation = models.ForeignKey(
        "relations.Relation", verbose_name=_("relation"), on_delete=models.PROTECT, related_name="activities"
    )
    contact = models.ForeignKey(
        "relations.Contact", verbose_name=_("contact"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="activities",
    )
    type = models.ForeignKey(ActivityType, verbose_name=_("action type"), on_delete=models.PROTECT, related_name="+")
    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("representative"), on_delete=models.PROTECT,
        related_name="activities",
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("participants"), blank=True, related_name="participations",
        through="Participation",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    all_day = models.BooleanField(_("all day"), default=True)
    summary = models.CharField(_("subject"), max_length=200, blank=True)
    note = models.TextField(_("remark"), blank=True)
    new_status = models.ForeignKey(
        "relations.BusinessStatus", verbose_name=_("new business status"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    new_priority = models.ForeignKey(
        "relations.Priority", verbose_name=_("new priority"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("done by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    previous = models.ForeignKey(
        "self", verbose_name=_("previous activity"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="next_activities",
    )
    plan = models.ForeignKey(
        "ActivityPlan", verbose_name=_("plan"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="activities",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+",
    )
    series = models.ForeignKey(
        ActivitySeries, verbose_name=_("series"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="occurrences",
    )
    recurrence_id = models.DateTimeField(_("occurrence by the rule"), null=True, blank=True)
    """The start the series' rule gives this occurrence; it stays when the occurrence is moved."""
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["start", "id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [
            # "my activities" and the calendar: a representative's activities by status, by date; the end
            # too, so that the calendar's "still running in this period" is answered from the index, not
            # by reading every activity of the three months it looks back
            models.Index(fields=["representative", "status", "start", "end"], name="activity_rep_status_start_end"),
            # a relation's open activities and its history, by date
            models.Index(fields=["relation", "start"], name="activity_relation_start"),
            # reports and the dashboard over a period of done activities
            models.Index(fields=["status", "done_at"], name="activity_status_done_at"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="activity_end_not_before_start"),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(done_at__isnull=False), name="activity_done_has_done_at"
            ),
            # an occurrence has its slot in the series, once; its index serves "the occurrences of a series"
            models.UniqueConstraint(
                fields=["series", "recurrence_id"], condition=Q(series__isnull=False),
                name="activity_series_occurrence_unique",
            ),
            models.CheckConstraint(
                condition=Q(series__isnull=True) | Q(recurrence_id__isnull=False),
                name="activity_occurrence_has_recurrence_id",
            ),
        ]

    def __str__(self) -> str:
        return self.summary or f"{self.type} — {self.relation}"

    def get_absolute_url(self) -> str:
        return reverse("activities:edit", args=[self.pk])

    def _local(self, value: datetime.datetime, tz=None) -> datetime.datetime:
        return local_moment(value, all_day=self.all_day, tz=tz)

    @property
    def due_date(self) -> datetime.date:
        return self._local(self.start).date()

    @property
    def end_date(self) -> datetime.date:
        return self._local(self.end).date()

    def state(self, today: datetime.date | None = None, tz=None) -> str:
        """overdue, today, planned, done or cancelled: see due_state."""
        return due_state(status=self.status, start=self.start, all_day=self.all_day, today=today, tz=tz)


def local_moment(value: datetime.datetime, *, all_day: bool, tz=None) -> datetime.datetime:
    """An activity's moment as its users see it: an all-day one in the company's time zone (its dates are
    stored as the company's midnights), a timed one in `tz`, by default the current (user's) zone."""
    if all_day:
        tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return timezone.localtime(value, tz)


def due_state(*, status: str, start: datetime.datetime, all_day: bool, today=None, tz=None) -> str:
    """overdue, today, planned, done or cancelled, with "today" in the current (user's) time zone, or in
    `tz` (a list passes today and the zone, found once for all its rows)."""
    if status != Activity.Status.PLANNED:
        return status
    today = today or timezone.localdate(timezone=tz)
    due = local_moment(start, all_day=all_day, tz=tz).date()
    if due < today:
        return "overdue"
    if due == today:
        return "today"
    return "planned"


def due_before(day: datetime.date, tz) -> Q:
    """due_state's rule as a filter: the activities due before `day` for a user in `tz`, timed ones by
    their instant in `tz`, all-day ones by their date, which is stored as a midnight in the company time
    zone (so a user far from the company sees an all-day activity on the same day as everyone else)."""
    company = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return Q(all_day=True, start__lt=datetime.datetime.combine(day, datetime.time.min, tzinfo=company)) | Q(
        all_day=False, start__lt=datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)
    )


class Participation(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    # Copies of the activity's status, start and end, kept in step by database triggers (migration 0007:
    # on inserting a participation or changing its activity, and on changing the activity), so that the
    # user's half of "my activities", the counters and the calendar is read from one index without
    # looking up each activity. Never written by Python code. NULL (the status too, not "") until the
    # trigger has found the activity.
    activity_status = models.CharField(max_length=10, null=True, editable=False)  # noqa: DJ001
    activity_start = models.DateTimeField(null=True, editable=False)
    activity_end = models.DateTimeField(null=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["activity", "user"], name="participation_unique"),
        ]
        indexes = [
            # "my activities", the counters and the calendar for activities the user takes part in: every
            # column a key, so that SQLite and PostgreSQL answer from the index alone
            models.Index(
                fields=["user", "activity_status", "activity_start", "activity_end", "activity"],
                name="participation_user_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.activity_id}"


class CostLine(models.Model):
    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="cost_lines"
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    quantity = models.DecimalField(
        _("quantity"), max_digits=10, decimal_places=2, default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    unit_price = models.DecimalField(
        _("price"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("cost line")
        verbose_name_plural = _("cost lines")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="costline_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="costline_price_not_negative"),
            models.CheckConstraint(
                condition=~Q(description="") | Q(product__isnull=False), name="costline_has_description_or_product"
            ),
        ]

    def __str__(self) -> str:
        return self.description or str(self.product)

    @property
    def total(self) -> Decimal:
        """Quantity × unit price: the one cost rule, with cost_amount its SQL form and cost_total the sum."""
        return self.quantity * self.unit_price


def cost_amount(prefix: str = "") -> models.Expression:
    """CostLine.total in SQL, on the cost line or through `prefix` (e.g. "cost_lines__"), for the reports."""
    return F(f"{prefix}quantity") * F(f"{prefix}unit_price")


def cost_total(lines) -> Decimal:
    """The total of an activity's cost lines (instances already read)."""
    return sum((line.total for line in lines), Decimal("0"))


class ActivityPlan(models.Model):
    """A pre-planned sequence of activities, scheduled at once on one or many relations."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("activity plan")
        verbose_name_plural = _("activity plans")

    def __str__(self) -> str:
        return self.name


class ActivityPlanStep(models.Model):
    class Responsible(models.TextChoices):
        REPRESENTATIVE = "representative", _("The relation's representative")
        USER = "user", _("A named user")
        ASK = "ask", _("Asked when applying")

    class Direction(models.TextChoices):
        AFTER = "after", _("after the plan date")
        BEFORE = "before", _("before the plan date")

    plan = models.ForeignKey(ActivityPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveIntegerField(_("order"), default=0)
    type = models.ForeignKey(ActivityType, verbose_name=_("action type"), on_delete=models.PROTECT, related_name="+")
    summary = models.CharField(_("summary"), max_length=200, blank=True)
    responsible = models.CharField(
        _("responsible"), max_length=20, choices=Responsible.choices, default=Responsible.REPRESENTATIVE
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    delay_count = models.PositiveIntegerField(_("delay"), default=0)
    delay_unit = models.CharField(
        _("delay unit"), max_length=10, choices=ActivityType.DelayUnit.choices, default=ActivityType.DelayUnit.DAYS
    )
    direction = models.CharField(_("direction"), max_length=6, choices=Direction.choices, default=Direction.AFTER)

    class Meta:
        ordering = ["plan", "order", "id"]
        verbose_name = _("plan step")
        verbose_name_plural = _("plan steps")
        constraints = [
            models.CheckConstraint(
                condition=~Q(responsible="user") | Q(user__isnull=False), name="planstep_named_user_given"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan}: {self.summary or self.type}"


class PlanRun(models.Model):
    """One line in a relation's history: plan X was started on this date, by this user."""

    plan = models.ForeignKey(ActivityPlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="runs")
    relation = models.ForeignKey(
        "relations.Relation", verbose_name=_("relation"), on_delete=models.CASCADE, related_name="plan_runs"
    )
    plan_date = models.DateField(_("plan date"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("plan started")
        verbose_name_plural = _("plans started")
        indexes = [
            # a relation's history timeline
            models.Index(fields=["relation", "-at"], name="planrun_relation_at"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} — {self.relation}"
