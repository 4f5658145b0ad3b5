"""The personal access tokens page: make a token (its secret shown once), see them, revoke one."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kadans.accounts.forms import ApiTokenForm
from kadans.accounts.models import ApiToken
from kadans.accounts.services import token_create, token_revoke


def token_list(request):
    """The user's tokens and a form for a new one. A new token's secret is shown in this response only
    (no redirect, nothing kept in the session): it is stored nowhere but as a hash."""
    form = ApiTokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        token, secret = token_create(
            user=request.user, name=form.cleaned_data["name"], read_only=form.cleaned_data["read_only"],
            expires_at=form.expires_at(), scope=form.cleaned_data["scope"],
        )
        messages.success(request, _("Token %(name)s created.") % {"name": token.name})
        form = ApiTokenForm()
    now = timezone.now()
    tokens = [(token, token.is_usable(now)) for token in ApiToken.objects.filter(user=request.user)]
    caldav_url = request.build_absolute_uri(reverse("caldav:root"))
    response = render(
        request, "accounts/tokens.html",
        {"form": form, "tokens": tokens, "secret": secret, "caldav_url": caldav_url},
    )
    if secret:
        response["Cache-Control"] = "no-store"
    return response


@require_POST
def token_revoke_view(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if token_revoke(token=token):
        messages.success(request, _("Token %(name)s revoked: it no longer works.") % {"name": token.name})
    return redirect("accounts:tokens")
