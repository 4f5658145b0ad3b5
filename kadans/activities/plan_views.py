"""Activity plans: their settings page (steps in order) and applying one to one or many relations."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kadans.accounts.access import require_settings_access
from kadans.accounts.permissions import assignable_representatives
from kadans.activities import plans
from kadans.activities.forms import DateInput
from kadans.activities.models import ActivityPlan, ActivityPlanStep, ActivityType
from kadans.core.forms import add_service_errors, is_id
from kadans.core.services import form_save
from kadans.relations.models import Relation


class PlanForm(forms.ModelForm):
    class Meta:
        model = ActivityPlan
        fields = ["name", "description", "active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class StepForm(forms.ModelForm):
    class Meta:
        model = ActivityPlanStep
        fields = ["order", "type", "summary", "responsible", "user", "delay_count", "delay_unit", "direction"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].queryset = ActivityType.objects.filter(active=True)
        self.fields["user"].queryset = assignable_representatives()

    def clean(self):
        data = super().clean()
        if data.get("responsible") == ActivityPlanStep.Responsible.USER and not data.get("user"):
            self.add_error("user", _("Choose the user responsible for this step."))
        return data


StepFormSet = forms.inlineformset_factory(
    ActivityPlan, ActivityPlanStep, form=StepForm, extra=2, can_delete=True, max_num=30
)


def plan_list(request):
    require_settings_access(request)
    return render(request, "activities/plan_list.html", {
        "plans": ActivityPlan.objects.prefetch_related("steps__type"),
    })


def plan_edit(request, pk: int | None = None):
    require_settings_access(request)
    plan = get_object_or_404(ActivityPlan, pk=pk) if pk else ActivityPlan()
    form = PlanForm(request.POST or None, instance=plan)
    formset = StepFormSet(request.POST or None, instance=plan, prefix="steps")
    if request.method == "POST" and form.is_valid() & formset.is_valid():
        plan = form_save(form=form, formsets=[formset])
        messages.success(request, _("Plan %(name)s saved.") % {"name": plan})
        return redirect("activities:plan_list")
    return render(request, "activities/plan_form.html", {
        "form": form, "formset": formset, "plan": plan if pk else None,
    })


class ApplyPlanForm(forms.Form):
    plan = forms.ModelChoiceField(ActivityPlan.objects.filter(active=True), label=gettext_lazy("Plan"))
    plan_date = forms.DateField(label=gettext_lazy("Plan date"), widget=DateInput())
    asked_user = forms.ModelChoiceField(
        assignable_representatives(), label=gettext_lazy("Responsible for the steps that ask"), required=False
    )
    relations = forms.ModelMultipleChoiceField(Relation.objects.all(), widget=forms.MultipleHiddenInput)


def plan_apply(request):
    """Choose a plan and a date for the selected relations, see what it will create, then apply it."""
    data = request.POST if request.method == "POST" and "plan" in request.POST else None
    initial = {"plan_date": timezone.localdate(), "relations": request.POST.getlist("relations")
               or request.GET.getlist("relations")}
    form = ApplyPlanForm(data, initial=initial)
    preview = None
    if data is not None and form.is_valid():
        d = form.cleaned_data
        kwargs = {"plan": d["plan"], "relations": list(d["relations"]), "plan_date": d["plan_date"],
                  "asked_user": d["asked_user"]}
        try:
            if request.POST.get("confirm"):
                created = plans.plan_apply(user=request.user, **kwargs)
                messages.success(request, _("Plan %(plan)s started: %(count)d activities scheduled.")
                                 % {"plan": d["plan"], "count": len(created)})
                relations = d["relations"]
                return redirect(relations[0] if len(relations) == 1 else "relations:list")
            preview = plans.plan_preview(**kwargs)
        except ValidationError as e:
            add_service_errors(form, e)
    relation_ids = form["relations"].value() or []
    selected = Relation.objects.filter(pk__in=[r for r in relation_ids if is_id(str(r))])
    return render(request, "activities/plan_apply.html", {"form": form, "preview": preview, "selected": selected})
