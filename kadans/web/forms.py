from django import forms
from django.utils.translation import gettext_lazy as _

from kadans.activities.models import ActivityType, Product
from kadans.relations.models import BusinessStatus, Priority


class BusinessStatusForm(forms.ModelForm):
    class Meta:
        model = BusinessStatus
        fields = ["name", "code", "order", "is_won", "is_lost", "is_default"]

    def clean(self):
        data = super().clean()
        if data.get("is_won") and data.get("is_lost"):
            raise forms.ValidationError(_("A status cannot be both won and lost."))
        return data


class PriorityForm(forms.ModelForm):
    class Meta:
        model = Priority
        fields = ["name", "order", "cadence_days"]


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
