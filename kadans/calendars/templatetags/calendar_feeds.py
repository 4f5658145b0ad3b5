from django import template
from django.urls import reverse

from kadans.accounts.permissions import viewable_teams
from kadans.calendars.services import feed_token_get_or_create

register = template.Library()


@register.inclusion_tag("calendars/feed_links.html", takes_context=True)
def calendar_feed_links(context):
    """The private feed addresses on the profile page: the user's own, and their teams' for managers.
    A key is made the first time the page shows it."""
    request = context["request"]
    user = request.user
    feeds = [(None, feed_token_get_or_create(user=user))]
    feeds += [(team, feed_token_get_or_create(user=user, team=team)) for team in viewable_teams(user)]
    return {
        "feeds": [
            {"team": team, "url": request.build_absolute_uri(reverse("calendars:feed", args=[token.key]))}
            for team, token in feeds
        ],
        "csrf_token": context.get("csrf_token"),
    }
