"""Views that show many relations at once: the pipeline and the activity overview."""

from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kadans.accounts.permissions import can_edit_relation
from kadans.activities import selectors
from kadans.activities.models import Activity, ActivityType
from kadans.activities.open_activities import nav_counters
from kadans.core.forms import is_id
from kadans.relations.filters import BoardFilterSet
from kadans.relations.models import BusinessStatus, Relation
from kadans.relations.selectors import relation_list
from kadans.relations.services import relation_change_status

CARDS_PER_COLUMN = 40


def _filtered_relations(request):
    filterset = BoardFilterSet(
        request.GET or {"representative": request.user.pk},
        queryset=relation_list(user=request.user),
    )
    return filterset.form, filterset.qs


def _with_next_activities(relations: list[Relation]) -> list[Relation]:
    next_ids = selectors.next_activity_ids([r.pk for r in relations])
    activities = Activity.objects.select_related("type").in_bulk(next_ids.values())
    for relation in relations:
        relation.next_activity = activities.get(next_ids.get(relation.pk))
    return relations


def pipeline(request):
    """Relations as cards in columns by business status, each with its next activity."""
    form, relations = _filtered_relations(request)
    columns = []
    for status in BusinessStatus.objects.all():
        in_column = relations.filter(business_status=status).order_by("priority__order", "name")
        columns.append({"status": status, "count": in_column.count(), "cards": list(in_column[:CARDS_PER_COLUMN])})
    _with_next_activities([card for column in columns for card in column["cards"]])
    return render(request, "activities/pipeline.html", {"form": form, "columns": columns})


@require_POST
def pipeline_move(request):
    """A card dropped in another column: the relation gets that status, recorded as a StatusChange."""
    relation_id, status_id = request.POST.get("relation", ""), request.POST.get("status", "")
    if not (is_id(relation_id) and is_id(status_id)):
        return HttpResponseBadRequest(_("Give a relation and a status."))
    relation = get_object_or_404(Relation.objects.select_related("representative"), pk=relation_id)
    status = get_object_or_404(BusinessStatus, pk=status_id)
    if not can_edit_relation(request.user, relation):
        return HttpResponseForbidden(_("You may not change the status of %(relation)s.") % {"relation": relation})
    with transaction.atomic():
        relation_change_status(relation=relation, user=request.user, new_status=status)
    return HttpResponse(status=204)


def overview(request):
    """Relations as rows and action types as columns; each cell the next due date, coloured by state."""
    form, relations = _filtered_relations(request)
    types = list(ActivityType.objects.filter(active=True))
    page = Paginator(relations.order_by("name"), 50).get_page(request.GET.get("page"))
    due = selectors.next_due_by_type([r.pk for r in page], tz=timezone.get_current_timezone())
    today = timezone.localdate()
    rows = []
    for relation in page:
        cells = []
        for t in types:
            day = due.get((relation.pk, t.pk))
            state = "none" if day is None else "overdue" if day < today else "today" if day == today else "planned"
            cells.append({"type": t, "date": day, "state": state})
        rows.append({"relation": relation, "cells": cells})
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "activities/overview.html", {
        "form": form, "types": types, "rows": rows, "page": page, "query": query.urlencode(),
    })


def counters(request):
    """The navigation's counters, fetched again when an activity changes on the page."""
    return render(request, "activities/nav_counters.html", {"nav_counters": nav_counters(request.user)})
