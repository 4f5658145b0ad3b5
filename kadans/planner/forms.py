import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from kadans.planner.models import WEEKDAYS

FIRST_WEEK, LAST_WEEK = datetime.date(1900, 1, 8), datetime.date(9000, 1, 1)
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class WeekForm(forms.Form):
    representative = forms.ModelChoiceField(queryset=None, label=_("Representative"), required=False)
    week = forms.DateField(label=_("Week of"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, representatives, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["representative"].queryset = representatives

    def clean_week(self):
        week = self.cleaned_data["week"]
        if week is not None and not FIRST_WEEK <= week <= LAST_WEEK:
            raise forms.ValidationError(_("Choose a week between 1900 and 9000."))
        return week


class MoveForm(forms.Form):
    day = forms.DateField(label=_("Move to"))


def _coordinate(label, limit):
    return forms.DecimalField(label=label, required=False, max_digits=9, decimal_places=6, min_value=-limit,
                              max_value=limit)


class WorkingDayForm(forms.Form):
    weekday = forms.TypedChoiceField(choices=WEEKDAYS, coerce=int, widget=forms.HiddenInput)
    works = forms.BooleanField(label=_("Works"), required=False)
    starts = forms.TimeField(label=_("Starts"), required=False, widget=TIME)
    ends = forms.TimeField(label=_("Ends"), required=False, widget=TIME)
    start_latitude = _coordinate(_("Start latitude"), 90)
    start_longitude = _coordinate(_("Start longitude"), 180)
    end_latitude = _coordinate(_("End latitude"), 90)
    end_longitude = _coordinate(_("End longitude"), 180)

    def clean(self):
        data = super().clean()
        if data.get("works") and not (data.get("starts") and data.get("ends")):
            raise forms.ValidationError(_("Give the hours of a working day."))
        return data

    def as_row(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("works"):
            return None
        return {k: data.get(k) for k in ("weekday", "starts", "ends", "start_latitude", "start_longitude",
                                         "end_latitude", "end_longitude")}


class OpeningHoursForm(forms.Form):
    weekday = forms.TypedChoiceField(choices=WEEKDAYS, coerce=int, widget=forms.HiddenInput)
    open = forms.BooleanField(label=_("Open"), required=False)
    opens = forms.TimeField(label=_("Opens"), required=False, widget=TIME)
    closes = forms.TimeField(label=_("Closes"), required=False, widget=TIME)
    lunch_from = forms.TimeField(label=_("Lunch from"), required=False, widget=TIME)
    lunch_until = forms.TimeField(label=_("Lunch until"), required=False, widget=TIME)

    def clean(self):
        data = super().clean()
        if data.get("open") and not (data.get("opens") and data.get("closes")):
            raise forms.ValidationError(_("Give the opening hours of an open day."))
        return data

    def as_row(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("open"):
            return None
        return {k: data.get(k) for k in ("weekday", "opens", "closes", "lunch_from", "lunch_until")}


class VisitLengthForm(forms.Form):
    visit_minutes = forms.IntegerField(
        label=_("Visit length (minutes)"), required=False, min_value=5, max_value=600,
        help_text=_("Empty: an hour, the default length of an activity."),
    )


WorkingDayFormSet = forms.formset_factory(WorkingDayForm, extra=0, min_num=7, max_num=7, validate_max=True)
OpeningHoursFormSet = forms.formset_factory(OpeningHoursForm, extra=0, min_num=7, max_num=7, validate_max=True)
