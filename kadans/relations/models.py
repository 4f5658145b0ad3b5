from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class BusinessStatus(models.Model):
    """Lead, prospect, customer, lost, ...: an ordered, editable list; won and lost are flags."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    code = models.SlugField(_("code"), max_length=30, unique=True, help_text=_("Used by imports and the API."))
    order = models.PositiveIntegerField(_("order"), default=0)
    is_won = models.BooleanField(_("won"), default=False, help_text=_("Reaching this status counts as a conversion."))
    is_lost = models.BooleanField(_("lost"), default=False)
    is_default = models.BooleanField(_("default for new relations"), default=False)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("business status")
        verbose_name_plural = _("business statuses")
        constraints = [
            models.CheckConstraint(condition=~(Q(is_won=True) & Q(is_lost=True)), name="status_not_won_and_lost"),
        ]

    def __str__(self) -> str:
        return self.name


class Priority(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    cadence_days = models.PositiveIntegerField(
        _("contact cadence (days)"), null=True, blank=True,
        help_text=_("A relation with this priority should be contacted at least this often."),
    )

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("priority")
        verbose_name_plural = _("priorities")

    def __str__(self) -> str:
        return self.name


class Relation(models.Model):
    class Kind(models.TextChoices):
        COMPANY = "company", _("Company")
        PERSON = "person", _("Person")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.COMPANY)
    name = models.CharField(_("name"), max_length=200)
    vat_number = models.CharField(_("VAT number"), max_length=30, blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True, default="BE")
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("representative"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="relations",
    )
    business_status = models.ForeignKey(
        BusinessStatus, verbose_name=_("business status"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="relations",
    )
    priority = models.ForeignKey(
        Priority, verbose_name=_("priority"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="relations",
    )
    notes = models.TextField(_("notes"), blank=True)
    cadence_days = models.PositiveIntegerField(
        _("contact cadence (days)"), null=True, blank=True,
        help_text=_("Overrides the priority's cadence for this relation."),
    )
    # WGS 84 degrees, 6 decimals (~0.1 m): where a visit goes (the week planner, the visit sheet's check)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(Decimal("-90")), MaxValueValidator(Decimal("90"))],
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(Decimal("-180")), MaxValueValidator(Decimal("180"))],
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("relation")
        verbose_name_plural = _("relations")
        indexes = [
            # the relation list, sorted by name (the default order)
            models.Index(fields=["name"], name="relation_name"),
            # "my relations": the list filtered on representative, sorted by name
            models.Index(fields=["representative", "name"], name="relation_rep_name"),
            # the pipeline and the list filtered on status
            models.Index(fields=["business_status", "name"], name="relation_status_name"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="relation_coordinates_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("relations:detail", args=[self.pk])

    def clean(self):
        super().clean()
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(_("Give both the latitude and the longitude, or neither."))

    @property
    def address(self) -> str:
        place = " ".join(p for p in [self.postal_code, self.city] if p)
        return ", ".join(p for p in [self.street, place] if p)


class Contact(models.Model):
    relation = models.ForeignKey(
        Relation, verbose_name=_("relation"), on_delete=models.CASCADE, related_name="contacts"
    )
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100)
    function = models.CharField(_("function"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [
            # the relation list's search on contact name
            models.Index(fields=["last_name"], name="contact_last_name"),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class StatusChange(models.Model):
    """A dated fact: relation X went from A to B (business status or priority), through an activity, by a user."""

    class Field(models.TextChoices):
        STATUS = "status", _("Business status")
        PRIORITY = "priority", _("Priority")

    relation = models.ForeignKey(
        Relation, verbose_name=_("relation"), on_delete=models.CASCADE, related_name="status_changes"
    )
    field = models.CharField(_("field"), max_length=10, choices=Field.choices, default=Field.STATUS)
    from_status = models.ForeignKey(
        BusinessStatus, verbose_name=_("from status"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    to_status = models.ForeignKey(
        BusinessStatus, verbose_name=_("to status"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    from_priority = models.ForeignKey(
        Priority, verbose_name=_("from priority"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_priority = models.ForeignKey(
        Priority, verbose_name=_("to priority"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    activity = models.ForeignKey(
        "activities.Activity", verbose_name=_("activity"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="status_changes",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        indexes = [
            # a relation's history timeline
            models.Index(fields=["relation", "-at"], name="statuschange_relation_at"),
            # the conversion report: changes per month
            models.Index(fields=["field", "at"], name="statuschange_field_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(field="status", to_status__isnull=False) | Q(field="priority", to_priority__isnull=False)),
                name="statuschange_has_target",
            ),
        ]

    def __str__(self) -> str:
        if self.field == self.Field.STATUS:
            return f"{self.from_status or '—'} → {self.to_status}"
        return f"{self.from_priority or '—'} → {self.to_priority}"
