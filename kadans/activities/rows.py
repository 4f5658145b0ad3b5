"""Rows of activity lists, rendered in one go: "my activities", a relation's open activities, the
dashboard's "due now", and the single row an htmx action (done, +1 day) answers with.

Rows are a Jinja2 template (kadans/web/jinja2.py explains why): its labels are translated here, so that
makemessages finds them, and the due date is formatted once per day shown rather than once per row.
"""

from __future__ import annotations

import functools
import urllib.parse
from collections.abc import Iterable

from django.db.models import QuerySet
from django.template import engines
from django.template.backends.utils import csrf_input
from django.utils import formats, timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from kadans.activities.models import Activity
from kadans.activities.selectors import list_related
from kadans.activities.templatetags.pk_urls import pk_urls

ROW_FIELDS = [
    "status", "start", "all_day", "summary", "series", "relation", "relation__name", "type", "type__name",
    "type__color", "contact", "contact__first_name", "contact__last_name", "representative",
    "representative__username", "representative__first_name", "representative__last_name",
]
"""What a row shows (activities/jinja2/activities/rows.html): a row object with 5 models' columns cost
twice as much to build as the whole row takes to render."""

LABELS = {
    "overdue": _("Overdue"),
    "today": _("Today"),
    "planned": _("Planned"),
    Activity.Status.DONE: Activity.Status.DONE.label,
    Activity.Status.CANCELLED: Activity.Status.CANCELLED.label,
    "repeats": _("Repeats"),
    "mark_done": _("Mark as done"),
    "done_button": _("Done"),
    "more": _("More"),
}


@functools.lru_cache(maxsize=2048)
def _day(language: str, day) -> str:
    """"Mon 23 Nov" in `language`: the same for every row on that day."""
    return formats.date_format(day, "D j M")


def due_label(activity: Activity, *, tz, language: str) -> str:
    """The date an all-day activity is due, or its day and time in `tz`."""
    if activity.all_day:
        return _day(language, activity.due_date)
    local = timezone.localtime(activity.start, tz)
    return f"{_day(language, local.date())} {local:%H:%M}"


def rows_of(activities: QuerySet[Activity]) -> QuerySet[Activity]:
    """The activities with what their rows show, and nothing else."""
    return list_related(activities).only(*ROW_FIELDS)


def render_rows(request, activities: Iterable[Activity], *, hide_relation: bool = False) -> SafeString:
    """The <tr> of each activity, read by rows_of."""
    # what each row would otherwise look up again: the time zone, the language, the URLs' script prefix
    tz = timezone.get_current_timezone()
    here = request.get_full_path()
    html = engines["jinja2"].get_template("activities/rows.html").render({
        "activities": activities, "hide_relation": hide_relation, "viewer_id": request.user.pk,
        "today": timezone.localdate(timezone=tz), "tz": tz, "url": pk_urls(),
        "due": functools.partial(due_label, tz=tz, language=translation.get_language()),
        "labels": {key: str(label) for key, label in LABELS.items()},
        "here": here, "here_quoted": urllib.parse.quote(here, safe="/"), "csrf_input": csrf_input(request),
    })
    return mark_safe(html)
