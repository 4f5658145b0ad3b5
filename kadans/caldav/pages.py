"""The page of events created in a calendar app that wait for their relation (/caldav/unlinked/): the user
picks the relation and the event becomes an activity, through the activity service."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kadans.caldav import selectors, services
from kadans.caldav.forms import LinkForm
from kadans.caldav.models import ClientEvent


def unlinked_list(request):
    events = selectors.unlinked_events(request.user)
    rows = [(event, LinkForm(user=request.user, prefix=f"e{event.pk}")) for event in events]
    relations = selectors.relation_names(request.user)
    return render(request, "caldav/unlinked.html", {"rows": rows, "relations": relations})


@require_POST
def unlinked_link(request, pk: int):
    event = get_object_or_404(ClientEvent, pk=pk, user=request.user, activity__isnull=True)
    if request.POST.get("discard"):
        services.client_event_discard(event=event, user=request.user)
        messages.success(request, _("The event was removed."))
        return redirect("caldav:unlinked")
    form = LinkForm(request.POST, user=request.user, prefix=f"e{event.pk}")
    if form.is_valid():
        try:
            activity = services.client_event_link(
                event=event, user=request.user, relation=form.cleaned_data["relation"]
            )
        except ValidationError as e:
            messages.error(request, "; ".join(e.messages))
        else:
            messages.success(request, _("%(event)s is now an action on %(relation)s.")
                             % {"event": event, "relation": activity.relation})
            return redirect("caldav:unlinked")
    else:
        messages.error(request, "; ".join(form.errors.get("relation", [])))
    return redirect("caldav:unlinked")


def unlinked_panel(request):
    """A line on "my activities", loaded after the page, when events wait for their relation."""
    return render(request, "caldav/unlinked_panel.html", {"count": selectors.unlinked_count(request.user)})
