"""The REST API under /api/v1/: thin endpoints over the same services, selectors and permission functions
as the pages. Every error is JSON with a `detail` sentence, and with `errors` per field where a field is
at fault."""

import json
import re

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as ModelValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as InputError

from kadans.api import activities, audit, configuration, people, planner, plans, relations, reports
from kadans.api.auth import SessionAuth, TokenAuth
from kadans.api.common import FieldError

DESCRIPTION = """\
The Kadans CRM: relations, contacts, activities and their settings.

**Authentication.** Send a personal access token, made on *My settings → API tokens*, as
`Authorization: Bearer <token>`. In the browser the login session works too; then a request that changes
something needs the `X-CSRFToken` header.

**Permissions** are those of the pages: everyone reads everything; relations are changed by their
representative, the representative's sales manager and administrators; activities by their
representative, participants, that manager and administrators; settings by administrators only. A
read-only token only reads.

**Lists** take `limit` (at most 200) and `offset` and answer with `count` and `items`, in a fixed order.

**Errors** answer `{"detail": "...", "errors": {"field": ["..."]}}`: 400 unreadable request, 401 not
authenticated, 403 not allowed, 404 not found, 409 conflicts with the current state, 422 invalid input.
"""


class KadansAPI(NinjaAPI):
    def get_operation_id(self, operation) -> str:
        # the view's own name ("list_relations"), not ninja's module-qualified one
        return operation.view_func.__name__


api = KadansAPI(
    title="Kadans API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=[TokenAuth(), SessionAuth()],
    # the docs page loads Swagger UI from ninja's own static files ("ninja" is an installed app), and
    # sends the schema to no outside validator
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": True}),
)


def _error(request, status: int, detail: str, errors: dict | None = None):
    return api.create_response(request, {"detail": detail, "errors": errors or {}}, status=status)


def _field_name(loc) -> str:
    parts = [str(p) for p in loc]
    # ninja puts where the value came from first ("body", "query", "path"), then for a body the
    # parameter's own name: neither is a field the caller sent
    if parts and parts[0] in ("body", "query", "path", "header", "cookie", "form"):
        source, parts = parts[0], parts[1:]
        if source == "body" and parts and parts[0] == "payload":
            parts = parts[1:]
    # a union's member names ("function-after[...]") are not part of the field's path either
    parts = [p for p in parts if re.fullmatch(r"\w+", p)]
    return ".".join(parts) or "__all__"


def _sentence(message: str) -> str:
    return message if message.endswith((".", "!", "?")) else f"{message}."


@api.exception_handler(InputError)
def on_invalid_input(request, exc: InputError):
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        message = error.get("msg", "invalid")
        if error.get("type") == "extra_forbidden":
            message = _("Unknown field.")
        elif error.get("type") == "missing":
            message = _("This field is required.")
        messages = errors.setdefault(_field_name(error.get("loc", ())), [])
        if message not in messages:
            messages.append(message)
    summary = " ".join(f"{field}: {' '.join(map(_sentence, messages))}" for field, messages in errors.items())
    return _error(request, 422, _("Invalid input. %(errors)s") % {"errors": summary}, errors)


@api.exception_handler(AuthenticationError)
def on_not_authenticated(request, exc):
    response = _error(request, 401, _("Not authenticated: send a valid token as 'Authorization: Bearer <token>'."))
    response["WWW-Authenticate"] = 'Bearer realm="Kadans API"'
    return response


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    cause = exc.__cause__
    if exc.status_code == 400 and cause is not None:
        if isinstance(cause, json.JSONDecodeError):
            return _error(request, 400, _("The request body is not valid JSON: %(error)s.") % {"error": cause})
        return _error(request, 400, _("The request body cannot be read: send JSON in UTF-8."))
    return _error(request, exc.status_code, str(exc))


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _error(request, 404, _("Not found."))


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc):
    return _error(request, 403, _("You may not do this."))


@api.exception_handler(FieldError)
def on_field_error(request, exc: FieldError):
    return _error(request, 422, f"{exc.field}: {exc.message}", {exc.field: [exc.message]})


@api.exception_handler(ModelValidationError)
def on_validation_error(request, exc: ModelValidationError):
    if hasattr(exc, "error_dict"):
        errors = {field: list(messages) for field, messages in exc.message_dict.items()}
        detail = " ".join(f"{field}: {' '.join(messages)}" if field != "__all__" else " ".join(messages)
                          for field, messages in errors.items())
    else:
        errors = {"__all__": list(exc.messages)}
        detail = " ".join(exc.messages)
    return _error(request, 422, detail, errors)


@api.exception_handler(ProtectedError)
def on_protected(request, exc):
    return _error(request, 409, _("It is in use and cannot be deleted."))


@api.exception_handler(RestrictedError)
def on_restricted(request, exc):
    return _error(request, 409, _("It is in use and cannot be deleted."))


@api.exception_handler(IntegrityError)
def on_integrity_error(request, exc):
    # the services validate before they write; this is the rare race between two writers
    return _error(request, 409, _("This conflicts with data saved at the same time; try again."))


api.add_router("", relations.router)
api.add_router("", activities.router)
api.add_router("", plans.router)
api.add_router("", people.router)
api.add_router("", configuration.router)
api.add_router("", reports.router)
api.add_router("", planner.router)
api.add_router("", audit.router)
