"""The public lead endpoint: POST /forms/<key>/ from a website, as a form post or as JSON.

Answers: 201 (or a redirect to the form's page) when taken in, 400 with a `detail` sentence when the
input is wrong, 404 for an unknown or inactive key, 429 past the rate limit. A filled honeypot field
answers 201 like a real lead but stores nothing.
"""

import json
import logging

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from kadans.integrations.leads import LeadData, intake_allowed, lead_intake
from kadans.integrations.models import WebForm

logger = logging.getLogger(__name__)

HONEYPOT = "website"
"""Hidden from people by the site's CSS; bots fill it in."""
FIELDS = {f.name: f for f in LeadData.__dataclass_fields__.values()}
MAX_LENGTHS = {"message": 5000, "vat_number": 30, "email": 254}


def _error(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"detail": message}, status=status)


def _read(request) -> dict:
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"null")
        except (ValueError, UnicodeDecodeError) as e:
            raise ValueError(_("The body is not valid JSON: %(error)s") % {"error": e}) from None
        if not isinstance(data, dict):
            raise ValueError(_("The body must be a JSON object."))
        return data
    return {key: request.POST.get(key) for key in request.POST}


def _lead_data(raw: dict) -> LeadData:
    unknown = sorted(set(raw) - set(FIELDS) - {HONEYPOT})
    if unknown:
        raise ValueError(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(unknown)})
    values = {}
    for name, value in raw.items():
        if name == HONEYPOT:
            continue
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise ValueError(_("The field %(field)s must be text.") % {"field": name})
        if "\x00" in value:
            raise ValueError(_("The field %(field)s contains a NUL character.") % {"field": name})
        if len(value) > MAX_LENGTHS.get(name, 200):
            raise ValueError(_("The field %(field)s is too long.") % {"field": name})
        values[name] = value
    return LeadData(**values)


@csrf_exempt
@login_not_required
@require_POST
def intake(request, key: str):
    web_form = get_object_or_404(WebForm, key=key, active=True)
    if not intake_allowed(web_form=web_form, ip=request.META.get("REMOTE_ADDR") or "0.0.0.0"):
        return _error(_("Too many submissions; try again later."), status=429)
    try:
        raw = _read(request)
        data = _lead_data(raw)
    except ValueError as e:
        return _error(str(e))
    if raw.get(HONEYPOT):
        logger.info("web form %s: honeypot filled, nothing stored", web_form.pk)
        return _accepted(request, web_form)
    if data.email:
        try:
            validate_email(data.email)
        except ValidationError:
            return _error(_("The e-mail address is not valid."))
    try:
        lead_intake(web_form=web_form, data=data)
    except ValidationError as e:
        return _error(" ".join(e.messages))
    return _accepted(request, web_form)


def _accepted(request, web_form: WebForm):
    if web_form.success_url and request.content_type != "application/json":
        return HttpResponseRedirect(web_form.success_url, status=303)
    return JsonResponse({"detail": _("Thank you, we will contact you soon.")}, status=201)
