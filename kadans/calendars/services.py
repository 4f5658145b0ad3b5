"""Writes on calendar feeds: make and regenerate the secret feed keys."""

from __future__ import annotations

import secrets

from django.db import IntegrityError, transaction

from kadans.accounts.models import Team, User
from kadans.calendars.models import FeedToken


def _new_key() -> str:
    return secrets.token_urlsafe(24)


def feed_token_get_or_create(*, user: User, team: Team | None = None) -> FeedToken:
    """The user's feed key for their own calendar (or a team's), made on first use. Two first uses at
    once (two tabs) make one: the unique constraint refuses the second, which then reads the first."""
    token = FeedToken.objects.filter(user=user, team=team).first()
    if token is not None:
        return token
    try:
        with transaction.atomic():
            return FeedToken.objects.create(user=user, team=team, key=_new_key())
    except IntegrityError:
        return FeedToken.objects.get(user=user, team=team)


def feed_token_regenerate(*, user: User, team: Team | None = None) -> FeedToken:
    """Give the feed a new key; the old URL answers 404 from now on."""
    token = feed_token_get_or_create(user=user, team=team)
    token.key = _new_key()
    token.save(update_fields=["key", "created_at"])
    return token
