from django import template
from django.urls import reverse

from kadans.accounts.permissions import viewable_teams
from kadans.calendars.models import FeedToken

register = template.Library()


@register.inclusion_tag("calendars/feed_links.html", takes_context=True)
def calendar_feed_links(context):
    """The private feed addresses on the profile page: the user's own, and their teams' for managers. It
    only reads: an address that does not exist yet is made by its button (calendars:feed_regenerate)."""
    request = context["request"]
    user = request.user
    keys = {token.team_id: token.key for token in FeedToken.objects.filter(user=user)}
    feeds = [(None, keys.get(None))] + [(team, keys.get(team.pk)) for team in viewable_teams(user)]
    return {
        "feeds": [
            {"team": team, "url": request.build_absolute_uri(reverse("calendars:feed", args=[key])) if key else ""}
            for team, key in feeds
        ],
        "csrf_token": context.get("csrf_token"),
    }
