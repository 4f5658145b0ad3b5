from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from kadans.accounts.permissions import can_view_audit_trail
from kadans.audit import selectors
from kadans.relations.selectors import visible_relations

PANEL_SIZE = 50


@require_GET
def relation_changes(request, pk: int):
    """The "Changes" panel of a relation's page (loaded by htmx): the latest changes of the relation, its
    contacts, activities and cost lines, for managers and administrators only."""
    if not can_view_audit_trail(request.user):
        raise PermissionDenied
    relation = get_object_or_404(visible_relations(request.user), pk=pk)
    entries = list(selectors.audit_entries(relation_id=relation.pk)[: PANEL_SIZE + 1])
    more = len(entries) > PANEL_SIZE
    entries = entries[:PANEL_SIZE]
    changes = selectors.changes_of(entries)
    rows = [{"entry": e, "action": selectors.ACTIONS.get(e.action, ""), "changes": changes[e.pk],
             "what": e.content_type.model_class()._meta.verbose_name if e.content_type.model_class() else ""}
            for e in entries]
    return render(request, "audit/relation_changes.html",
                  {"relation": relation, "rows": rows, "more": more, "panel_size": PANEL_SIZE})
