"""Writes on accounts: personal access tokens for the REST API and app passwords for calendar sync."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.utils import timezone

from kadans.accounts.models import ApiToken, User

TOKEN_PREFIX = "kdn_"
"""Every token starts with this, so that a leaked one is recognisable (by people and secret scanners)."""
VISIBLE_CHARS = 12
LAST_USED_RESOLUTION = datetime.timedelta(minutes=5)


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def token_create(
    *, user: User, name: str, read_only: bool = False, expires_at: datetime.datetime | None = None,
    scope: str = ApiToken.Scope.API,
) -> tuple[ApiToken, str]:
    """Make a token for the user and return it with its secret, which is not stored and cannot be shown
    again: only its SHA-256 is kept, and the first characters for recognising it in the list. A token
    works for its `scope` only: the REST API, or calendar sync (an app password)."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user, name=name, prefix=secret[:VISIBLE_CHARS], key_hash=token_hash(secret),
        read_only=read_only, expires_at=expires_at, scope=scope,
    )
    token.full_clean()
    token.save()
    return token, secret


def token_revoke(*, token: ApiToken) -> bool:
    """Revoke a token for good; it stays in the list as revoked. False when it already was."""
    now = timezone.now()
    revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now)
    token.refresh_from_db(fields=["revoked_at"])
    return bool(revoked)


def token_authenticate(secret: str, *, scope: str = ApiToken.Scope.API) -> ApiToken | None:
    """The usable token with this secret, with its user: None when unknown, revoked, expired, made for
    another scope (an app password on the API, an API token for calendar sync) or when its user is
    deactivated. Records when it was last used, to the nearest few minutes, so that a busy
    integration does not write on every request."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    token = ApiToken.objects.select_related("user", "user__team").filter(key_hash=token_hash(secret)).first()
    now = timezone.now()
    if token is None or token.scope != scope or not token.is_usable(now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
