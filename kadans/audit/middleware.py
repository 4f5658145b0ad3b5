"""Who made a change: the user of the request, also when the API learns it only from a token.

django-auditlog's middleware takes the actor when the request starts, before the API has read the
`Authorization: Bearer` token (kadans.api.auth sets request.user later). This middleware also keeps the
request in auditlog's context, and set_actor_from_request (a pre_save receiver of AuditEntry) fills in
the request's user at the moment an entry is written. The address is the connection's own (REMOTE_ADDR):
X-Forwarded-For is whatever the client sends unless a trusted proxy rewrites it.
"""

from auditlog.context import auditlog_value
from auditlog.middleware import AuditlogMiddleware
from django.contrib.auth import get_user_model

REQUEST_KEY = "kadans_request"
# an auditlog context that names no actor and matches no receiver: "nobody in particular"
BARE_CONTEXT = {"signal_duid": None}


class AuditActorMiddleware(AuditlogMiddleware):
    @staticmethod
    def _get_remote_addr(request):
        return request.META.get("REMOTE_ADDR") or None

    def __call__(self, request):
        previous = auditlog_value.get(None)
        try:
            return super().__call__(request)
        finally:
            # auditlog leaves its context set after the request: put back what was there, so that work
            # done later on this thread (a command, a test) is not put on this request's user
            auditlog_value.set(previous if previous is not None else BARE_CONTEXT)

    def get_extra_data(self, request):
        data = super().get_extra_data(request)
        data[REQUEST_KEY] = request
        return data


def set_actor_from_request(sender, instance, **kwargs) -> None:
    if instance.actor_id is not None:
        return
    try:
        context = auditlog_value.get()
    except LookupError:
        return
    request = context.get(REQUEST_KEY)
    user = getattr(request, "user", None)
    if isinstance(user, get_user_model()) and user.is_authenticated:
        instance.actor = user
        instance.actor_email = user.email
