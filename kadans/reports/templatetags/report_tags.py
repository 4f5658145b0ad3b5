import datetime

from django import template
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from kadans.reports.tables import COUNT, DATE, DAYS, MONEY, MONTH, WEEK

register = template.Library()


@register.filter
def cell(value, kind: str) -> str:
    """A report cell in the reader's language: 1.234,56 in Dutch, 1,234.56 in English."""
    if value is None:
        return "—"
    if kind == MONEY:
        return number_format(value, 2, force_grouping=True)
    if kind == COUNT:
        return number_format(value, 0, force_grouping=True)
    if kind == DAYS:
        return number_format(round(float(value), 1), 1)
    if isinstance(value, datetime.date):
        if kind == MONTH:
            return date_format(value, "YEAR_MONTH_FORMAT")
        if kind == WEEK:
            return _("week %(number)s, %(monday)s") % {
                "number": value.isocalendar().week, "monday": date_format(value, "SHORT_DATE_FORMAT"),
            }
        if kind == DATE:
            return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


@register.simple_tag(takes_context=True)
def query(context, **changes) -> str:
    """The current query string with some parameters replaced (None or "" removes one)."""
    params = context["request"].GET.copy()
    for name, value in changes.items():
        params.pop(name, None)
        if value not in (None, ""):
            params[name] = value
    return params.urlencode()

