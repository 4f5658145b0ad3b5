import datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kadans.accounts.permissions import assignable_representatives
from kadans.activities.models import Activity, ActivityType, Product
from kadans.activities.occurrences import recurrence_from
from kadans.activities.recurrence import MAX_OCCURRENCES, WEEKDAY_CHOICES, WEEKDAYS, Recurrence
from kadans.activities.services import CostLineData, activity_period
from kadans.core.time import company_tz
from kadans.relations.models import BusinessStatus, Contact, Priority, Relation


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class ActivityForm(forms.Form):
    """The action form, field by field as Douano's page describes it."""

    relation = forms.ModelChoiceField(Relation.objects.all(), label=_("Relation"), widget=forms.HiddenInput)
    contact = forms.ModelChoiceField(Contact.objects.none(), label=_("Contact"), required=False)
    participants = forms.ModelMultipleChoiceField(
        assignable_representatives(), label=_("Participants"), required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
        help_text=_("They see this action in their calendar too."),
    )
    type = forms.ModelChoiceField(ActivityType.objects.filter(active=True), label=_("Action type"))
    representative = forms.ModelChoiceField(
        assignable_representatives(), label=_("Representative"), required=False,
        help_text=_("Filled in from the type's default user, else the relation's representative."),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(Activity.Status.PLANNED, _("Planned")), (Activity.Status.DONE, _("Executed"))],
        initial=Activity.Status.PLANNED,
    )
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())
    start_time = forms.TimeField(label=_("Start time"), required=False, widget=TimeInput())
    end_date = forms.DateField(label=_("End date"), required=False, widget=DateInput())
    end_time = forms.TimeField(label=_("End time"), required=False, widget=TimeInput())
    all_day = forms.BooleanField(label=_("All day"), required=False, initial=True)
    summary = forms.CharField(label=_("Subject"), max_length=200, required=False)
    note = forms.CharField(
        label=_("Remark"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you plan to discuss, and afterwards what was discussed: shown in the relation's history."),
    )
    new_status = forms.ModelChoiceField(BusinessStatus.objects.all(), label=_("New business status"), required=False)
    new_priority = forms.ModelChoiceField(Priority.objects.all(), label=_("New priority"), required=False)
    previous = forms.ModelChoiceField(Activity.objects.all(), required=False, widget=forms.HiddenInput)
    repeat = forms.ChoiceField(
        label=_("Repeat"), required=False,
        choices=[("", _("Does not repeat")), ("DAILY", _("Daily")), ("WEEKLY", _("Weekly")), ("MONTHLY", _("Monthly"))],
    )
    repeat_interval = forms.IntegerField(label=_("Every (days, weeks, months)"), min_value=1, max_value=99, initial=1,
                                         required=False)
    repeat_weekdays = forms.MultipleChoiceField(
        label=_("On"), choices=WEEKDAY_CHOICES, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Weekly: empty means the weekday of the start date."),
    )
    repeat_end = forms.ChoiceField(
        label=_("Ends"), choices=[("count", _("After a number of times")), ("until", _("On a date"))],
        initial="count", required=False,
    )
    repeat_count = forms.IntegerField(label=_("Number of times"), min_value=1, max_value=MAX_OCCURRENCES,
                                      initial=10, required=False)
    repeat_until = forms.DateField(label=_("Last date"), required=False, widget=DateInput())
    scope = forms.ChoiceField(
        label=_("Apply the changes to"), widget=forms.RadioSelect, initial="this", required=False,
        choices=[("this", _("This action only")), ("following", _("This and the following actions"))],
    )

    def __init__(self, *args, activity: Activity | None = None, **kwargs):
        self.activity = activity
        super().__init__(*args, **kwargs)
        if activity is None or activity.series_id is None:
            del self.fields["scope"]
        else:
            self.fields["repeat_count"].help_text = _("Counted from this action.")
        relation_id = self.data.get(self.add_prefix("relation")) or self.initial.get("relation")
        if isinstance(relation_id, Relation):
            relation_id = relation_id.pk
        if activity is not None:
            relation_id = activity.relation_id
            self.fields["relation"].disabled = True
            # an activity keeps its archived type when edited; new ones only get active types
            self.fields["type"].queryset = ActivityType.objects.filter(active=True) | ActivityType.objects.filter(
                pk=activity.type_id
            )
        try:
            relation_id = int(relation_id) if relation_id else None
        except (TypeError, ValueError):
            relation_id = None
        # any contact is accepted here; the service checks it belongs to the relation, with a clear message
        self.fields["contact"].queryset = Contact.objects.all()
        self.contact_choices = (
            Contact.objects.filter(relation_id=relation_id) if relation_id else Contact.objects.none()
        )
        # read when the widget renders, so that a valid POST does not fetch the contacts for nothing
        self.fields["contact"].widget.choices = lambda: [("", "---------")] + [
            (c.pk, str(c)) for c in self.contact_choices
        ]

    @classmethod
    def initial_for(cls, activity: Activity) -> dict:
        start = timezone.localtime(activity.start, company_tz() if activity.all_day else None)
        end = timezone.localtime(activity.end, company_tz() if activity.all_day else None)
        return {
            "relation": activity.relation_id, "contact": activity.contact_id, "type": activity.type_id,
            "participants": list(activity.participants.values_list("pk", flat=True)),
            "representative": activity.representative_id, "status": activity.status,
            "start_date": start.date(), "end_date": end.date(), "all_day": activity.all_day,
            "start_time": None if activity.all_day else start.time(),
            "end_time": None if activity.all_day else end.time(),
            "summary": activity.summary, "note": activity.note,
            "new_status": activity.new_status_id, "new_priority": activity.new_priority_id,
            **cls.recurrence_initial(activity),
        }

    @staticmethod
    def recurrence_initial(activity: Activity) -> dict:
        rule = recurrence_from(activity)
        if rule is None:
            return {"repeat": ""}
        return {
            "repeat": rule.freq, "repeat_interval": rule.interval, "repeat_weekdays": list(rule.weekdays),
            "repeat_end": "count" if rule.count is not None else "until",
            "repeat_count": rule.count, "repeat_until": rule.until, "scope": "this",
        }

    def _clean_recurrence(self, data) -> Recurrence | None:
        freq = data.get("repeat")
        if not freq:
            return None
        weekdays = tuple(d for d in data.get("repeat_weekdays") or () if d in WEEKDAYS) if freq == "WEEKLY" else ()
        interval = data.get("repeat_interval") or 1
        if data.get("repeat_end") == "until":
            until = data.get("repeat_until")
            if until is None:
                self.add_error("repeat_until", _("Give the last date."))
                return None
            if data.get("start_date") and until < data["start_date"]:
                self.add_error("repeat_until", _("The last date cannot be before the start."))
                return None
            return Recurrence(freq=freq, interval=interval, weekdays=weekdays, until=until)
        count = data.get("repeat_count")
        if count is None:
            self.add_error("repeat_count", _("Give the number of times."))
            return None
        return Recurrence(freq=freq, interval=interval, weekdays=weekdays, count=count)

    def clean(self):
        data = super().clean()
        data["recurrence"] = self._clean_recurrence(data)
        relation = data.get("relation")
        previous = data.get("previous")
        if relation and previous and previous.relation_id != relation.pk:
            data["previous"] = None
        # whether the contact belongs to the relation is the service's rule (its error lands on the field)
        start_date = data.get("start_date")
        if not start_date:
            return data
        end_date = data.get("end_date") or start_date
        if data.get("all_day"):
            start, end = start_date, end_date
        else:
            start_time = data.get("start_time")
            if start_time is None:
                self.add_error("start_time", _("Give a start time, or tick 'All day'."))
                return data
            start = timezone.make_aware(datetime.datetime.combine(start_date, start_time))
            end_time = data.get("end_time")
            end = timezone.make_aware(datetime.datetime.combine(end_date, end_time)) if end_time else None
        try:
            data["start"], data["end"] = activity_period(all_day=bool(data.get("all_day")), start=start, end=end)
        except ValidationError as error:  # the period's own rule: the end is never before the start
            self.add_error("end_date", error.message_dict["end"])
        return data

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        kwargs = {
            "contact": d["contact"], "participants": d["participants"], "representative": d["representative"],
            "start": d["start"], "end": d["end"], "all_day": d["all_day"], "summary": d["summary"],
            "note": d["note"], "new_status": d["new_status"], "new_priority": d["new_priority"],
        }
        if self.activity is None:
            kwargs["previous"] = d["previous"]
        return kwargs


class CostLineForm(forms.Form):
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    product = forms.ModelChoiceField(Product.objects.filter(active=True), label=_("Product"), required=False)
    quantity = forms.DecimalField(
        label=_("Quantity"), min_value=Decimal("0.01"), max_digits=10, decimal_places=2, initial=1
    )
    unit_price = forms.DecimalField(
        label=_("Price"), min_value=Decimal("0"), max_digits=10, decimal_places=2, required=False,
        help_text=_("Empty: the product's cost price."),
    )

    def clean(self):
        data = super().clean()
        if not data.get("description") and not data.get("product"):
            raise ValidationError(_("Give a description or choose a product."))
        if data.get("unit_price") is None and not data.get("product"):
            self.add_error("unit_price", _("Give a price."))
        return data

    def line(self) -> CostLineData:
        d = self.cleaned_data
        return CostLineData(
            description=d["description"], product=d["product"], quantity=d["quantity"], unit_price=d["unit_price"]
        )


class BaseCostLineFormSet(forms.BaseFormSet):
    """Every line offers the same products: they are read once for the formset, not once per line and
    once more for the empty line the page's script copies (an N+1 on the action form otherwise)."""

    def _product_choices(self) -> list:
        if not hasattr(self, "_products"):
            # iter(): list() of the iterator itself would ask its len() first, a COUNT query
            self._products = list(iter(CostLineForm.base_fields["product"].choices))
        return self._products

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.fields["product"].choices = self._product_choices()
        return form

    @property
    def empty_form(self):
        form = super().empty_form
        form.fields["product"].choices = self._product_choices()
        return form


CostLineFormSet = forms.formset_factory(
    CostLineForm, formset=BaseCostLineFormSet, extra=0, can_delete=True, max_num=50, validate_max=True
)


def cost_lines_initial(activity: Activity) -> list[dict]:
    return [
        {"description": c.description, "product": c.product_id, "quantity": c.quantity, "unit_price": c.unit_price}
        for c in activity.cost_lines.all()
    ]


class CompleteForm(forms.Form):
    feedback = forms.CharField(label=_("Feedback"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class RescheduleForm(forms.Form):
    by = forms.ChoiceField(choices=[("1d", _("+1 day")), ("1w", _("+1 week"))], required=False)
    date = forms.DateField(label=_("New date"), required=False, widget=DateInput())

    def clean(self):
        data = super().clean()
        if not data.get("by") and not data.get("date"):
            raise ValidationError(_("Choose a new date."))
        return data

    def service_kwargs(self) -> dict:
        if self.cleaned_data.get("date"):
            return {"start": self.cleaned_data["date"]}
        days = {"1d": 1, "1w": 7}[self.cleaned_data["by"]]
        return {"delta": datetime.timedelta(days=days)}


class ProductForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = ["name", "code", "cost_price", "active"]


class ActivityTypeForm(forms.ModelForm):
    class Meta:
        model = ActivityType
        fields = [
            "name", "kind", "color", "order", "active", "default_user", "default_summary", "default_note",
            "interval_days",
            "chaining", "suggested_types", "triggered_type", "delay_count", "delay_unit", "delay_from",
        ]
        widgets = {
            "color": forms.TextInput(attrs={"type": "color"}),
            "default_note": forms.Textarea(attrs={"rows": 3}),
            "suggested_types": forms.CheckboxSelectMultiple,
        }

    def clean(self):
        data = super().clean()
        chaining = data.get("chaining")
        if chaining == ActivityType.Chaining.TRIGGER and not data.get("triggered_type"):
            self.add_error("triggered_type", _("Choose the action type this one triggers."))
        if chaining == ActivityType.Chaining.SUGGEST and not data.get("suggested_types"):
            self.add_error("suggested_types", _("Choose at least one action type to suggest."))
        return data
