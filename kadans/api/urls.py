"""/api/v1/: the API, its OpenAPI document (openapi.json) and its docs page (docs).

The site asks for a login on every page (LoginRequiredMiddleware); the API answers for itself instead,
with 401 JSON rather than a redirect to the login page, so its views are exempt here.
"""

from django.contrib.auth.decorators import login_not_required
from django.urls import URLResolver

from kadans.api.api import api

app_name = "api"
urlpatterns, _app, _namespace = api.urls


def _exempt(patterns) -> None:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _exempt(pattern.url_patterns)
        else:
            login_not_required(pattern.callback)


_exempt(urlpatterns)
