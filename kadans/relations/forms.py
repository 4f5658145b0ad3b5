from django import forms
from django.utils.translation import gettext_lazy as _

from kadans.accounts.permissions import assignable_representatives
from kadans.relations.models import BusinessStatus, Contact, Priority, Relation


class RelationForm(forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Relation
        fields = [
            "kind", "name", "vat_number", "street", "postal_code", "city", "country", "phone", "email", "website",
            "representative", "business_status", "priority", "cadence_days", "latitude", "longitude", "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["representative"].queryset = assignable_representatives()
        self.fields["business_status"].required = True
        if not self.instance.pk:
            self.fields["business_status"].initial = BusinessStatus.objects.filter(is_default=True).first()


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["first_name", "last_name", "function", "email", "phone"]


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
