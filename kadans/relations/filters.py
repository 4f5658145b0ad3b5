"""The relation list's and the contact list's filters: one FilterSet each, run by the page, its export and
the API list alike (kadans.core.filters says how)."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kadans.accounts.permissions import assignable_representatives
from kadans.core.filters import FilterSet, IdChoiceFilter, IdFilter, SortFilter
from kadans.relations.models import BusinessStatus, Contact, Priority, Relation

RELATION_SORTS = {
    "name": ["name", "id"],
    "-name": ["-name", "-id"],
    "city": ["city", "name", "id"],
    "status": ["business_status__order", "name", "id"],
    "priority": ["priority__order", "name", "id"],
    "-updated": ["-updated_at", "-id"],
}
RELATION_SORT_LABELS = [
    ("name", _("Name")),
    ("-name", _("Name (Z–A)")),
    ("city", _("City")),
    ("status", _("Business status")),
    ("priority", _("Priority")),
    ("-updated", _("Recently changed")),
]


def search_relations(qs: QuerySet[Relation], q: str) -> QuerySet[Relation]:
    """Relations whose name or city holds `q`, or that have a contact whose name does."""
    if not (q := (q or "").strip()):
        return qs
    contact_match = Contact.objects.filter(relation=OuterRef("pk")).filter(
        Q(last_name__icontains=q) | Q(first_name__icontains=q)
    )
    return qs.filter(Q(name__icontains=q) | Q(city__icontains=q) | Exists(contact_match))


class RelationFilterSet(FilterSet):
    """The relation list: a search on name, city or a contact's name; a business status, priority or
    representative (by id); a sort. Query parameters: q, status, priority, representative, sort."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    status = IdChoiceFilter(field_name="business_status_id", queryset=BusinessStatus.objects.all(),
                            label=_("Business status"))
    priority = IdChoiceFilter(field_name="priority_id", queryset=Priority.objects.all(), label=_("Priority"))
    representative = IdChoiceFilter(field_name="representative_id", queryset=assignable_representatives(),
                                    label=_("Representative"))
    sort = SortFilter(label=_("Sort"), choices=RELATION_SORT_LABELS, orders=RELATION_SORTS, default="name",
                      empty_label=None)

    class Meta:
        model = Relation
        fields = []

    def filter_q(self, qs, name, value):
        return search_relations(qs, value)


class BoardFilterSet(FilterSet):
    """The pipeline's and the overview's filter bar: a representative ("everyone" when empty) and a
    priority, as the relation list filters them; each board orders its cards itself."""

    representative = IdChoiceFilter(field_name="representative_id", queryset=assignable_representatives(),
                                    label=_("Representative"), empty_label=_("Everyone"))
    priority = IdChoiceFilter(field_name="priority_id", queryset=Priority.objects.all(), label=_("Priority"))

    class Meta:
        model = Relation
        fields = []


class ContactFilterSet(FilterSet):
    """The contact list (the API's): of one relation (by id), matching a first or last name or e-mail."""

    relation = IdFilter(field_name="relation_id")
    q = django_filters.CharFilter(method="filter_q")
    sort = SortFilter(choices=[("name", "name")], orders={"name": ["last_name", "first_name", "id"]}, default="name")

    class Meta:
        model = Contact
        fields = []

    def filter_q(self, qs, name, value):
        if not (value := value.strip()):
            return qs
        return qs.filter(Q(last_name__icontains=value) | Q(first_name__icontains=value) | Q(email__icontains=value))
