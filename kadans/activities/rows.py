"""Rows of activity lists, rendered in one go: "my activities", a relation's open activities, the
dashboard's "due now", and the single row an htmx action (done, +1 day) answers with.

Rows are a Jinja2 template (kadans/web/jinja2.py explains why): its labels are translated here, so that
makemessages finds them, and the due date is formatted once per day shown rather than once per row.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import types
import urllib.parse
from collections.abc import Iterable

from django.db.models import QuerySet
from django.template import engines
from django.template.backends.utils import csrf_input
from django.utils import formats, timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from kadans.accounts.models import display_name
from kadans.activities.models import Activity, due_state, local_moment
from kadans.activities.templatetags.pk_urls import pk_urls


@dataclasses.dataclass(slots=True)
class Row:
    """An activity as its list row shows it. Read as values: a model instance for the activity and each of
    its four related rows cost more than rendering the row (benchmark, operation b)."""

    pk: int
    status: str
    start: datetime.datetime
    all_day: bool
    summary: str
    series_id: int | None
    relation: types.SimpleNamespace  # pk, name
    type: types.SimpleNamespace  # name, color
    contact_id: int | None
    contact: str
    representative_id: int
    representative: str

    @property
    def due_date(self) -> datetime.date:
        return local_moment(self.start, all_day=self.all_day).date()

    def state(self, today: datetime.date | None = None, tz=None) -> str:
        return due_state(status=self.status, start=self.start, all_day=self.all_day, today=today, tz=tz)


ROW_VALUES = [
    "pk", "status", "start", "all_day", "summary", "series_id", "relation_id", "relation__name", "type__name",
    "type__color", "contact_id", "contact__first_name", "contact__last_name", "representative_id",
    "representative__username", "representative__first_name", "representative__last_name",
]


def rows_of(activities: QuerySet[Activity]) -> list[Row]:
    """The rows of the activities (ordered and sliced as they come), with what a row shows."""
    rows = []
    for (pk, status, start, all_day, summary, series_id, relation_id, relation_name, type_name, type_color,
         contact_id, contact_first, contact_last, rep_id, rep_username, rep_first, rep_last,
         ) in activities.values_list(*ROW_VALUES):
        rows.append(Row(
            pk=pk, status=status, start=start, all_day=all_day, summary=summary, series_id=series_id,
            relation=types.SimpleNamespace(pk=relation_id, name=relation_name),
            type=types.SimpleNamespace(name=type_name, color=type_color),
            contact_id=contact_id, contact=f"{contact_first or ''} {contact_last or ''}".strip(),
            # as User.__str__ and Contact.__str__ say them
            representative_id=rep_id, representative=display_name(rep_first, rep_last, rep_username),
        ))
    return rows


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


def due_label(activity: Row, *, tz, language: str) -> str:
    """The date an all-day activity is due, or its day and time in `tz`."""
    if activity.all_day:
        return _day(language, activity.due_date)
    local = timezone.localtime(activity.start, tz)
    return f"{_day(language, local.date())} {local:%H:%M}"


def render_rows(
    request, activities: Iterable[Row], *, hide_relation: bool = False, here: str | None = None
) -> SafeString:
    """The <tr> of each activity, read by rows_of; `here`: the page its forms return to (this request's)."""
    # what each row would otherwise look up again: the time zone, the language, the URLs' script prefix
    tz = timezone.get_current_timezone()
    here = here or request.get_full_path()
    html = engines["jinja2"].get_template("activities/rows.html").render({
        "activities": activities, "hide_relation": hide_relation, "viewer_id": request.user.pk,
        "today": timezone.localdate(timezone=tz), "tz": tz, "url": pk_urls(),
        "due": functools.partial(due_label, tz=tz, language=translation.get_language()),
        "labels": {key: str(label) for key, label in LABELS.items()},
        "here": here, "here_quoted": urllib.parse.quote(here, safe="/"), "csrf_input": csrf_input(request),
    })
    return mark_safe(html)
