"""What the week planner needs besides the relations' coordinates: when a relation can be visited and for
how long, when and from where a representative works, and the proposals of a week plan."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

WEEKDAYS = [
    (0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")),
    (4, _("Friday")), (5, _("Saturday")), (6, _("Sunday")),
]


def latitude_field(label):
    return models.DecimalField(
        label, max_digits=8, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(Decimal("-90")), MaxValueValidator(Decimal("90"))],
    )


def longitude_field(label):
    return models.DecimalField(
        label, max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(Decimal("-180")), MaxValueValidator(Decimal("180"))],
    )


class RelationPlanning(models.Model):
    """How long a visit to this relation usually takes (else an activity's default duration)."""

    relation = models.OneToOneField(
        "relations.Relation", verbose_name=_("relation"), on_delete=models.CASCADE, related_name="planning"
    )
    visit_minutes = models.PositiveIntegerField(
        _("visit length (minutes)"), null=True, blank=True,
        validators=[MinValueValidator(5), MaxValueValidator(600)],
    )

    class Meta:
        verbose_name = _("visit length")
        verbose_name_plural = _("visit lengths")

    def __str__(self) -> str:
        return f"{self.relation_id}: {self.visit_minutes}"


class OpeningHours(models.Model):
    """When a relation receives visits on one weekday, with an optional lunch break. A relation with
    opening hours on some weekdays is closed on the others; one without any is open all working day."""

    relation = models.ForeignKey(
        "relations.Relation", verbose_name=_("relation"), on_delete=models.CASCADE, related_name="opening_hours"
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=WEEKDAYS)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))
    lunch_from = models.TimeField(_("lunch break from"), null=True, blank=True)
    lunch_until = models.TimeField(_("lunch break until"), null=True, blank=True)

    class Meta:
        ordering = ["relation", "weekday"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [
            # also the index of plan_week's read of the candidates' hours (relation__in)
            models.UniqueConstraint(fields=["relation", "weekday"], name="openinghours_one_per_weekday"),
            models.CheckConstraint(condition=Q(opens__lt=models.F("closes")), name="openinghours_opens_before_closes"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self):
        if self.opens and self.closes and self.opens >= self.closes:
            raise ValidationError({"closes": _("Closing time must be after opening time.")})
        if (self.lunch_from is None) != (self.lunch_until is None):
            raise ValidationError({"lunch_until": _("Give both ends of the lunch break, or neither.")})
        if self.lunch_from is not None and self.opens and self.closes:
            if not (self.opens <= self.lunch_from < self.lunch_until <= self.closes):
                raise ValidationError({"lunch_from": _("The lunch break must lie within the opening hours.")})


class WorkingDay(models.Model):
    """A representative's working hours on one weekday and where the day starts and ends (home, office).
    A representative without any works Monday to Friday, 08:30–17:30, from nowhere in particular."""

    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("representative"), on_delete=models.CASCADE,
        related_name="working_days",
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=WEEKDAYS)
    starts = models.TimeField(_("starts"))
    ends = models.TimeField(_("ends"))
    start_latitude = latitude_field(_("start latitude"))
    start_longitude = longitude_field(_("start longitude"))
    end_latitude = latitude_field(_("end latitude"))
    end_longitude = longitude_field(_("end longitude"))

    class Meta:
        ordering = ["representative", "weekday"]
        verbose_name = _("working day")
        verbose_name_plural = _("working days")
        constraints = [
            models.UniqueConstraint(fields=["representative", "weekday"], name="workingday_one_per_weekday"),
            models.CheckConstraint(condition=Q(starts__lt=models.F("ends")), name="workingday_starts_before_ends"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts:%H:%M}–{self.ends:%H:%M}"

    def clean(self):
        if self.starts and self.ends and self.starts >= self.ends:
            raise ValidationError({"ends": _("The day must end after it starts.")})
        for prefix in ("start", "end"):
            if (getattr(self, f"{prefix}_latitude") is None) != (getattr(self, f"{prefix}_longitude") is None):
                raise ValidationError(
                    {f"{prefix}_longitude": _("Give both the latitude and the longitude, or neither.")}
                )


class WeekPlan(models.Model):
    """The last plan made for a representative's week: what slipped and why, and its proposals."""

    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("representative"), on_delete=models.CASCADE, related_name="+"
    )
    week = models.DateField(_("week"), help_text=_("The Monday of the week."))
    planned_at = models.DateTimeField(_("planned"))
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("planned by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    total_km = models.DecimalField(_("driving distance (km)"), max_digits=8, decimal_places=1, default=0)
    slipped = models.JSONField(_("slipped"), default=list, blank=True)
    """[{"relation": id, "name": str, "due": "YYYY-MM-DD", "days_late": int}], most urgent first"""
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    """[{"relation": id, "name": str, "code": "no-coordinates"}]"""

    class Meta:
        verbose_name = _("week plan")
        verbose_name_plural = _("week plans")
        constraints = [
            # also the index of the planner page's read of one representative's week
            models.UniqueConstraint(fields=["representative", "week"], name="weekplan_one_per_week"),
        ]

    def __str__(self) -> str:
        return f"{self.representative_id} {self.week}"


class Proposal(models.Model):
    """One proposed visit of a week plan. Accepting turns it into a planned activity (kept in `activity`);
    planning the week again replaces only the proposals not accepted yet."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")

    plan = models.ForeignKey(WeekPlan, verbose_name=_("week plan"), on_delete=models.CASCADE, related_name="proposals")
    relation = models.ForeignKey(
        "relations.Relation", verbose_name=_("relation"), on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    position = models.PositiveSmallIntegerField(_("position"), help_text=_("Order within its day."))
    distance_km = models.DecimalField(
        _("distance from the previous stop (km)"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    due = models.DateField(_("due"), null=True, blank=True)
    has_coordinates = models.BooleanField(_("has coordinates"), default=True)
    activity = models.OneToOneField(
        "activities.Activity", verbose_name=_("activity"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["start", "position"]
        verbose_name = _("proposed visit")
        verbose_name_plural = _("proposed visits")
        indexes = [
            # the planner page: a plan's proposals in time order
            models.Index(fields=["plan", "start"], name="proposal_plan_start"),
        ]

    def __str__(self) -> str:
        return f"{self.relation_id} {self.start}"
