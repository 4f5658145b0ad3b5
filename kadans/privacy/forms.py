from django import forms
from django.utils.translation import gettext_lazy as _


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that this erases the person's data for good and cannot be undone."),
        required=True,
    )
