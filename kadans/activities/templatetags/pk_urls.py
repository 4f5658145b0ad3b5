"""`{{ obj|pk_url:"activities:complete" }}` is reverse("activities:complete", args=[obj.pk]), fast.

A row of "my activities" links its activity and relation six or seven ways; reverse() costs about 15 µs a
call, a third of the time of rendering the list (bench, operation b). Here each URL name is reversed once
per script prefix, with a marker where the id goes, and each row only puts its id in.
"""

import functools

from django import template
from django.urls import get_script_prefix, reverse

register = template.Library()

_MARKER = 2147483647


@functools.lru_cache(maxsize=128)
def _pattern(prefix: str, viewname: str) -> tuple[str, str]:
    head, _, tail = reverse(viewname, args=[_MARKER]).partition(str(_MARKER))
    return head, tail


@register.filter
def pk_url(obj, viewname: str) -> str:
    head, tail = _pattern(get_script_prefix(), viewname)
    return f"{head}{obj.pk}{tail}"


def pk_urls():
    """pk_url as a function of (obj, viewname) for one rendering: the script prefix looked up once."""
    prefix = get_script_prefix()

    def url(obj, viewname: str) -> str:
        head, tail = _pattern(prefix, viewname)
        return f"{head}{obj.pk}{tail}"

    return url
