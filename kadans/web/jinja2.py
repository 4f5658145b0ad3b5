"""The Jinja2 environment for the few partials rendered many times per page: the rows of activity lists
and a relation's timeline.

Pages are Django templates; a row repeated up to fifty times per page renders several times faster as
compiled Jinja2 than in the Django template language (docs/benchmark.md, operation b). Such partials live in
an app's `jinja2/` folder and are rendered through `engines["jinja2"]`; their text comes translated from
Python (gettext in the module that renders them), so that makemessages finds every string.
"""

import datetime

from django.template.defaultfilters import filesizeformat, floatformat, linebreaksbr
from django.utils import formats, timezone
from django.utils.safestring import SafeString
from jinja2 import Environment, StrictUndefined

from kadans.activities.templatetags.pk_urls import pk_url


def localized(value: datetime.date | datetime.datetime | None, format_name: str) -> str:
    """Django's `date` filter: a date-time in the current time zone, in the active language's format."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, format_name)


def _linebreaksbr(value) -> SafeString:
    return linebreaksbr(value, autoescape=True)


def environment(**options) -> Environment:
    # undefined names are errors, as a typo in a row should not render an empty link
    env = Environment(**{**options, "undefined": StrictUndefined})
    env.filters.update(
        pk_url=pk_url, localized=localized, floatformat=floatformat, linebreaksbr=_linebreaksbr,
        filesizeformat=filesizeformat,
    )
    return env
