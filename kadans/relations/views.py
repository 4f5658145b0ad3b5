from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kadans.core.forms import add_service_errors
from kadans.relations import selectors, services
from kadans.relations.access import relation_for_edit
from kadans.relations.filters import RelationFilterSet, search_relations
from kadans.relations.forms import ContactForm, RelationForm
from kadans.relations.models import Contact

PAGE_SIZE = 25


def relation_list(request):
    """The relations with the filter bar's search, filters and sort (RelationFilterSet, as the export and
    the API run it). A value that does not validate is shown with its message and left out."""
    filterset = RelationFilterSet(request.GET or None, queryset=selectors.relation_list(user=request.user))
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    # the export links travel with the table, so that an htmx filter change updates them too
    context = {"filters": filterset.form, "page": page, "query": query.urlencode()}
    if request.htmx and request.htmx.target == "relation-table":
        return render(request, "relations/relation_list.html#filtered", context)
    return render(request, "relations/relation_list.html", context)


@require_GET
def relation_search(request):
    """Search as you type for the action form: at most 10 matches on name, city or contact."""
    q = request.GET.get("q", "").strip()
    relations = search_relations(selectors.relation_list(user=request.user), q).order_by("name", "id")[:10] \
        if len(q) >= 2 else []
    return render(request, "relations/relation_search.html", {"relations": relations, "q": q})


def _relation_data(form: RelationForm) -> dict:
    return {name: form.cleaned_data[name] for name in form.Meta.fields}


def relation_create(request):
    form = RelationForm(request.POST or None, initial={"representative": request.user})
    if request.method == "POST" and form.is_valid():
        try:
            relation = services.relation_create(user=request.user, **_relation_data(form))
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Relation %(name)s created.") % {"name": relation.name})
            return redirect(relation)
    return render(request, "relations/relation_form.html", {"form": form})


def relation_edit(request, pk: int):
    relation = relation_for_edit(request, pk)
    form = RelationForm(request.POST or None, instance=relation)
    if request.method == "POST" and form.is_valid():
        data = _relation_data(form)
        # the form already wrote its values on the instance; the service records the status change
        relation.refresh_from_db()
        try:
            services.relation_update(relation=relation, user=request.user, **data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Relation saved."))
            return redirect(relation)
    return render(request, "relations/relation_form.html", {"form": form, "relation": relation})


def contact_create(request, pk: int):
    relation = relation_for_edit(request, pk)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.contact_create(relation=relation, **form.cleaned_data)
        messages.success(request, _("Contact added."))
        return redirect(relation)
    return render(request, "relations/contact_form.html", {"form": form, "relation": relation})


def contact_edit(request, pk: int, contact_pk: int):
    relation = relation_for_edit(request, pk)
    contact = get_object_or_404(Contact, pk=contact_pk, relation=relation)
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        services.contact_update(contact=Contact.objects.get(pk=contact.pk), **form.cleaned_data)
        messages.success(request, _("Contact saved."))
        return redirect(relation)
    return render(request, "relations/contact_form.html", {"form": form, "relation": relation, "contact": contact})
