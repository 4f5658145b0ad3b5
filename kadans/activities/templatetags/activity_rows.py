"""`{% activity_rows activities %}`: the rows of an activity list (kadans.activities.rows)."""

from django import template

from kadans.activities.rows import render_rows

register = template.Library()


@register.simple_tag(takes_context=True)
def activity_rows(context, activities, hide_relation=False):
    return render_rows(context["request"], activities, hide_relation=hide_relation)
