"""Error answers (handler400/403/404/500 in kadans.urls): the Kadans pages 400.html, 403.html, 404.html
and 500.html, in the user's language; under /api/ the API's own JSON shape instead, also for a path the
API does not know (which never reaches the API's exception handlers)."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token

API_PREFIX = "/api/"


def _api_error(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail, "errors": {}}, status=status)


def _is_api(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


@requires_csrf_token
def bad_request(request, exception):
    if _is_api(request):
        return _api_error(400, _("Bad request."))
    return defaults.bad_request(request, exception)


@requires_csrf_token
def permission_denied(request, exception):
    if _is_api(request):
        return _api_error(403, _("You may not do this."))
    return defaults.permission_denied(request, exception)


@requires_csrf_token
def page_not_found(request, exception):
    if _is_api(request):
        return _api_error(404, _("Not found."))
    return defaults.page_not_found(request, exception)


@requires_csrf_token
def server_error(request):
    if _is_api(request):
        return _api_error(500, _("Internal server error."))
    return defaults.server_error(request)
