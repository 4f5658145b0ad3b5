"""A relation's timeline as HTML (kadans/relations/jinja2/relations/history.html): entries from
selectors.relation_history, labels translated here so that makemessages finds them."""

from __future__ import annotations

from django.template import engines
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from kadans.activities.models import Activity
from kadans.relations.selectors import HistoryEntry

LABELS = {
    Activity.Status.PLANNED: Activity.Status.PLANNED.label,
    Activity.Status.DONE: Activity.Status.DONE.label,
    Activity.Status.CANCELLED: Activity.Status.CANCELLED.label,
    "with": _("with"),
    "reason": _("Reason"),
    "costs": _("Costs"),
    "from": _("from"),
    "to": _("to"),
    "plan_started": _("Plan %(plan)s started (plan date %(date)s)."),
    "business_status": _("Business status"),
    "priority": _("Priority"),
    "through": _("through"),
}


def render_history(entries: list[HistoryEntry]) -> SafeString:
    """The <li> of each entry; empty when there are none."""
    if not entries:
        return SafeString("")
    html = engines["jinja2"].get_template("relations/history.html").render({
        "history": entries, "labels": {key: str(label) for key, label in LABELS.items()},
    })
    return mark_safe(html)
