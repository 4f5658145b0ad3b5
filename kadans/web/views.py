import dataclasses

from django import forms
from django.contrib import messages
from django.db.models import ProtectedError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kadans.accounts.access import require_settings_access
from kadans.activities.chaining import chain_edges
from kadans.activities.forms import ActivityTypeForm, ProductForm
from kadans.activities.models import ActivityType, Product
from kadans.core.services import form_save, instance_delete
from kadans.relations.forms import BusinessStatusForm, PriorityForm
from kadans.relations.models import BusinessStatus, Priority


def home(request):
    return redirect("activities:mine")


@dataclasses.dataclass(frozen=True)
class SettingsSection:
    slug: str
    title: str
    model: type
    form: type[forms.ModelForm]
    columns: tuple[str, ...]


SECTIONS = {
    s.slug: s
    for s in [
        SettingsSection("statuses", gettext_lazy("Business statuses"), BusinessStatus,
                        BusinessStatusForm, ("name", "code", "order", "is_won", "is_lost")),
        SettingsSection("priorities", gettext_lazy("Priorities"), Priority, PriorityForm,
                        ("name", "order", "cadence_days")),
        SettingsSection("action-types", gettext_lazy("Action types"), ActivityType,
                        ActivityTypeForm, ("name", "kind", "chaining", "active")),
        SettingsSection("products", gettext_lazy("Products"), Product, ProductForm,
                        ("name", "code", "cost_price", "active")),
    ]
}


def _section(slug: str) -> SettingsSection:
    try:
        return SECTIONS[slug]
    except KeyError:
        raise Http404 from None


def settings_index(request):
    require_settings_access(request)
    return redirect("web:settings_list", slug="statuses")


def settings_list(request, slug: str):
    require_settings_access(request)
    section = _section(slug)
    objects = section.model.objects.all()
    rows = [(obj, [_display(obj, c) for c in section.columns]) for obj in objects]
    headers = [section.model._meta.get_field(c).verbose_name for c in section.columns]
    context = {"section": section, "rows": rows, "headers": headers}
    if section.model is ActivityType:
        context["chain"] = _chain_drawing(list(objects.prefetch_related("suggested_types")))
    return render(request, "web/settings_list.html", context)


def _chain_drawing(types: list[ActivityType]) -> dict:
    """An arc diagram of how the types chain: types down the left, an arc per edge on the right, wider
    for types further apart; trigger solid, suggest dashed, edges on a cycle in red."""
    row, top, left = 34, 24, 190
    position = {t.pk: i for i, t in enumerate(types)}
    arcs = []
    for edge in chain_edges(types):
        y1 = top + position[edge.source.pk] * row
        y2 = top + position[edge.target.pk] * row
        if y1 == y2:
            path = f"M {left} {y1 - 4} C {left + 40} {y1 - 22}, {left + 40} {y1 + 22}, {left} {y1 + 4}"
        else:
            width = 30 + abs(y2 - y1) * 0.9
            path = f"M {left} {y1} C {left + width} {y1}, {left + width} {y2}, {left + 6} {y2}"
        arcs.append({"path": path, "edge": edge})
    nodes = [{"type": t, "y": top + i * row} for i, t in enumerate(types)]
    return {"nodes": nodes, "arcs": arcs, "height": top + len(types) * row, "left": left,
            "has_cycle": any(a["edge"].in_cycle for a in arcs)}


def _display(obj, column: str):
    display = getattr(obj, f"get_{column}_display", None)
    return display() if display else getattr(obj, column)


def settings_edit(request, slug: str, pk: int | None = None):
    require_settings_access(request)
    section = _section(slug)
    instance = get_object_or_404(section.model, pk=pk) if pk else None
    form = section.form(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form_save(form=form)
        messages.success(request, _("Saved."))
        return redirect("web:settings_list", slug=slug)
    return render(request, "web/settings_form.html", {
        "section": section, "form": form, "object": instance,
    })


@require_POST
def settings_delete(request, slug: str, pk: int):
    """Delete a setting that nothing uses yet; one in use stays (archive it instead, where it has 'active')."""
    require_settings_access(request)
    section = _section(slug)
    obj = get_object_or_404(section.model, pk=pk)
    try:
        instance_delete(instance=obj)
    except ProtectedError:
        messages.error(request, _("%(name)s is in use and cannot be deleted.") % {"name": obj}
                       + (" " + _("Untick 'active' to archive it.") if hasattr(obj, "active") else ""))
    else:
        messages.success(request, _("%(name)s deleted.") % {"name": obj})
    return redirect(reverse("web:settings_list", kwargs={"slug": slug}))
