from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class FeedToken(models.Model):
    """The secret in a private iCalendar feed URL: one per user for their own calendar, and one per team
    they may follow (managers their team, administrators any). Regenerating replaces the key, so the
    old URL stops working at once. The key is kept readable because the profile page shows the URL."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="feed_tokens"
    )
    team = models.ForeignKey(
        "accounts.Team", verbose_name=_("team"), on_delete=models.CASCADE, null=True, blank=True,
        related_name="+",
    )
    key = models.CharField(_("key"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=Q(team__isnull=True), name="feedtoken_one_per_user"),
            models.UniqueConstraint(fields=["user", "team"], name="feedtoken_one_per_user_team"),
        ]

    def __str__(self) -> str:
        return f"{self.user} / {self.team or '-'}"
