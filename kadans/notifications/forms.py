from django import forms
from django.utils.translation import gettext_lazy as _

from kadans.notifications.models import Preferences


class EmailForm(forms.Form):
    to = forms.EmailField(label=_("To"))
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 10}))
    complete = forms.BooleanField(label=_("Mark the action as done after sending"), required=False, initial=True)


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = Preferences
        fields = ["daily_digest"]
