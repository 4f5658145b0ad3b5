"""The reports' filters. A bad value (an unknown id, a date that is not one, a period that ends before it
starts, a representative whose numbers the user may not see) becomes a message on the page, never an
error page and never someone else's numbers."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kadans.accounts.models import Team
from kadans.accounts.permissions import visible_representatives
from kadans.activities.forms import DateInput
from kadans.activities.models import ActivityType, Product
from kadans.core.exports import FORMATS
from kadans.relations.models import BusinessStatus, Priority, Relation
from kadans.reports import periods
from kadans.reports.periods import MAX_DAYS, Period

NO_PRODUCT = "none"
GROUPINGS = {
    "representative": _("Representative"),
    "month": _("Month"),
    "relation": _("Relation"),
    "type": _("Action type"),
    "product": _("Product"),
}
DEFAULT_GROUPING = ("representative", "month")


class FilterMessages:
    def messages(self) -> list[str]:
        """Every error as one sentence, named after its field, for the message at the top of the page."""
        out = []
        for name, errors in self.errors.items():
            label = self.fields[name].label if name in self.fields else None
            out += [f"{label}: {e}" if label and name != "__all__" else e for e in errors]
        return out


class ReportForm(FilterMessages, forms.Form):
    """A period and a representative, the filters every report has. Without any period in the query the
    report's default period applies; a period given but empty, malformed or inverted is an error."""

    default_period: Callable = staticmethod(periods.this_year)

    start = forms.DateField(
        label=_("From"), widget=DateInput(),
        error_messages={"required": _("Give the first day of the period."),
                        "invalid": _("Give the first day of the period as a date.")},
    )
    end = forms.DateField(
        label=_("To"), widget=DateInput(),
        error_messages={"required": _("Give the last day of the period."),
                        "invalid": _("Give the last day of the period as a date.")},
    )
    representative = forms.ModelChoiceField(
        None, label=_("Representative"), required=False, empty_label=_("Everyone"),
        error_messages={"invalid_choice": _("Choose a representative whose numbers you may see.")},
    )
    export = forms.ChoiceField(
        choices=[("", "")] + [(f, f.upper()) for f in FORMATS], required=False, widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Export as csv or xlsx.")},
    )

    def __init__(self, query: QueryDict, *, user):
        data = query.copy()
        if "start" not in data and "end" not in data:
            default = self.default_period(timezone.localdate())
            data["start"], data["end"] = default.start.isoformat(), default.end.isoformat()
        super().__init__(data)
        self.user = user
        self.fields["representative"].queryset = visible_representatives(user).order_by(
            "first_name", "last_name", "username"
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                raise forms.ValidationError(
                    _("The period ends before it starts: choose a last day on or after the first.")
                )
            if (end - start).days + 1 > MAX_DAYS:
                raise forms.ValidationError(_("Choose a period of at most ten years."))
            data["period"] = Period(start, end)
        return data


class CostsForm(ReportForm):
    team = forms.ModelChoiceField(
        None, label=_("Team"), required=False, empty_label=_("All teams"),
        error_messages={"invalid_choice": _("Choose a team whose numbers you may see.")},
    )
    relation = forms.ModelChoiceField(
        Relation.objects.all(), label=_("Relation"), required=False, widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("This relation does not exist.")},
    )
    status = forms.ModelChoiceField(
        BusinessStatus.objects.all(), label=_("Business status"), required=False, empty_label=_("All"),
        error_messages={"invalid_choice": _("Choose an existing business status.")},
    )
    type = forms.ModelChoiceField(
        ActivityType.objects.all(), label=_("Action type"), required=False, empty_label=_("All"),
        error_messages={"invalid_choice": _("Choose an existing action type.")},
    )
    product = forms.ChoiceField(
        label=_("Product"), required=False,
        error_messages={"invalid_choice": _("Choose an existing product.")},
    )
    group = forms.CharField(label=_("Group by"), required=False)

    def __init__(self, query: QueryDict, *, user):
        query = query.copy()
        # Two selects on the page post group=a&group=b; links and the benchmark use group=a,b.
        if "group" in query:
            query["group"] = ",".join(v for v in query.getlist("group") if v)
        super().__init__(query, user=user)
        if user.is_administrator:
            self.fields["team"].queryset = Team.objects.all()
        elif user.is_manager and user.team_id is not None:
            self.fields["team"].queryset = Team.objects.filter(pk=user.team_id)
        else:
            # a representative sees their own numbers only: a team filter would change nothing
            del self.fields["team"]
        self.fields["product"].choices = [("", _("All")), (NO_PRODUCT, _("No product (other costs)"))] + [
            (str(p.pk), str(p)) for p in Product.objects.all()
        ]

    def clean_product(self):
        value = self.cleaned_data["product"]
        return int(value) if value and value != NO_PRODUCT else value or None

    def clean_group(self) -> tuple[str, ...]:
        names = [n.strip() for n in self.cleaned_data["group"].split(",") if n.strip()]
        if not names:
            return DEFAULT_GROUPING
        unknown = [n for n in names if n not in GROUPINGS]
        if unknown:
            raise forms.ValidationError(
                _("Unknown grouping “%(name)s”: choose one or two of %(choices)s."),
                params={"name": unknown[0], "choices": ", ".join(GROUPINGS)},
            )
        if len(names) > 2 or len(set(names)) != len(names):
            raise forms.ValidationError(_("Group by one or two different things."))
        return tuple(names)

    def selected_groups(self) -> list[str]:
        """What the two group selects show: the grouping in use, else what was asked (after is_valid)."""
        names = self.cleaned_data.get("group") or self.data.get("group", "").split(",")
        return ([n for n in names if n] or list(DEFAULT_GROUPING) + [""])[:2] + [""] * (2 - len(names))


class ConversionsForm(ReportForm):
    type = forms.ModelChoiceField(
        ActivityType.objects.all(), label=_("Action type"), required=False, empty_label=_("All"),
        error_messages={"invalid_choice": _("Choose an existing action type.")},
    )


class ActivityAnalysisForm(ReportForm):
    default_period = staticmethod(periods.recent_weeks)


class ToScheduleForm(FilterMessages, forms.Form):
    representative = forms.ModelChoiceField(
        None, label=_("Representative"), required=False, empty_label=_("Everyone"),
        error_messages={"invalid_choice": _("Choose a representative whose numbers you may see.")},
    )
    priority = forms.ModelChoiceField(
        Priority.objects.all(), label=_("Priority"), required=False, empty_label=_("All"),
        error_messages={"invalid_choice": _("Choose an existing priority.")},
    )

    def __init__(self, query: QueryDict, *, user):
        # a manager's list opens on the team; an administrator's on their own relations, since the whole
        # company's is long (and slow to work out): "Everyone" is one choice away
        super().__init__(query or ({"representative": user.pk} if user.is_administrator else {}))
        self.fields["representative"].queryset = visible_representatives(user).order_by(
            "first_name", "last_name", "username"
        )
