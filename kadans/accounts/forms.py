import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kadans.accounts.models import ApiToken, User


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "language", "time_zone"]


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. the integration that uses it.")
    )
    expires_on = forms.DateField(
        label=_("Expires on"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Empty: it does not expire. It stops working at the start of that day."),
    )
    scope = forms.ChoiceField(
        label=_("Use"), choices=ApiToken.Scope.choices, initial=ApiToken.Scope.API, required=False,
        help_text=_("A calendar app password works only for calendar sync (CalDAV), an API token only for "
                    "the REST API."),
    )
    read_only = forms.BooleanField(
        label=_("Read-only"), required=False, help_text=_("It can read but not change anything.")
    )

    def clean_scope(self):
        """Not given (a script posting the older form): an API token, as before app passwords existed."""
        return self.cleaned_data["scope"] or ApiToken.Scope.API

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        if day is not None and day <= timezone.localdate():
            raise forms.ValidationError(_("Choose a day after today."))
        return day

    def expires_at(self) -> datetime.datetime | None:
        """The start of the chosen day, in the user's time zone."""
        day = self.cleaned_data["expires_on"]
        if day is None:
            return None
        return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())
