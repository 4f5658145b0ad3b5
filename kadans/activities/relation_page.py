"""The relation page: the relation's details and contacts, its open activities and its timeline.

It lives here, above the relations app, because most of what it shows are activities; the URL stays in
the relations namespace (`relations:detail`, see kadans/urls.py)."""

from django.shortcuts import get_object_or_404, render

from kadans.accounts.permissions import can_add_activity_to, can_edit_relation
from kadans.activities import history
from kadans.relations.models import Relation


def relation_detail(request, pk: int):
    relation = get_object_or_404(
        history.with_history_sources(Relation.objects.select_related(
            "representative", "business_status", "priority"
        )),
        pk=pk,
    )
    entries = history.relation_history(relation)
    context = {
        "relation": relation,
        # a query of its own rather than prefetch_related, whose machinery cost more than the query
        "contacts": list(relation.contacts.order_by("last_name", "first_name")),
        "can_edit": can_edit_relation(request.user, relation),
        "can_add_activity": can_add_activity_to(request.user, relation),
        "open_activities": history.relation_open_activities(relation),
        "history": entries,
        "history_html": history.render_history(entries),
    }
    return render(request, "relations/relation_detail.html", context)
