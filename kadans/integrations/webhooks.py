"""Webhooks: events are sent, after their transaction commits, to every active subscription that wants
them, as JSON signed with HMAC-SHA256 (`X-Kadans-Signature: sha256=<hex>` over the raw body with the
subscription's secret). Delivery runs on the task worker; a failed attempt is retried with exponential
back-off (1, 4, 16, 64 minutes, then about 4 hours) and every attempt is logged per subscription."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
import uuid

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django_tasks import task

from kadans.activities.models import Activity
from kadans.core import events
from kadans.integrations.models import WebhookDelivery, WebhookSubscription
from kadans.relations.models import BusinessStatus, Relation

MAX_ATTEMPTS = 6
FIRST_RETRY = datetime.timedelta(minutes=1)
TIMEOUT_SECONDS = 10


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def retry_delay(attempt: int) -> datetime.timedelta:
    """How long to wait after failed attempt `attempt` (1-based): 1, 4, 16, 64, 256 minutes."""
    return FIRST_RETRY * 4 ** (attempt - 1)


def _active_subscriptions() -> list[WebhookSubscription]:
    """Read once per commit: completing an activity publishes "completed" and the triggered "created"."""
    return events.commit_memo(
        "webhook-subscriptions", lambda: list(WebhookSubscription.objects.filter(active=True).only("pk", "events"))
    )


def emit(event: str, data_factory) -> int:
    """Queue `event` for every active subscription to it; `data_factory()` builds the payload's data only
    when someone listens. Returns the number of subscriptions."""
    subscriptions = [s for s in _active_subscriptions() if event in (s.events or [])]
    if not subscriptions:
        return 0
    body = json.dumps(
        {"id": uuid.uuid4().hex, "event": event, "at": timezone.now(), "data": data_factory()},
        cls=DjangoJSONEncoder, separators=(",", ":"),
    )
    event_id = json.loads(body)["id"]
    for subscription in subscriptions:
        deliver.enqueue(subscription.pk, event, event_id, body, 1)
    return len(subscriptions)


def _post(url: str, body: bytes, headers: dict) -> int:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 (http/https only)
        return response.status


@task()
def deliver(subscription_id: int, event: str, event_id: str, body: str, attempt: int) -> bool:
    """One delivery attempt; on failure the next one is queued with back-off until MAX_ATTEMPTS."""
    subscription = WebhookSubscription.objects.filter(pk=subscription_id, active=True).first()
    if subscription is None:
        return False
    raw = body.encode()
    headers = {
        "Content-Type": "application/json", "User-Agent": "Kadans-Webhooks/1",
        "X-Kadans-Event": event, "X-Kadans-Delivery": event_id, "X-Kadans-Attempt": str(attempt),
        "X-Kadans-Signature": sign(subscription.secret, raw),
    }
    started = time.perf_counter()
    status, error = None, ""
    try:
        status = _post(subscription.url, raw, headers)
    except urllib.error.HTTPError as e:
        status, error = e.code, str(e.reason)[:500]
    except (urllib.error.URLError, OSError, ValueError) as e:
        error = str(getattr(e, "reason", e))[:500] or type(e).__name__
    succeeded = status is not None and 200 <= status < 300
    log = WebhookDelivery(
        subscription=subscription, event=event, event_id=event_id, attempt=attempt, status_code=status,
        error=error, duration_ms=int((time.perf_counter() - started) * 1000), succeeded=succeeded,
    )
    if not succeeded and attempt < MAX_ATTEMPTS:
        log.next_attempt_at = timezone.now() + retry_delay(attempt)
    log.save()
    if log.next_attempt_at is not None:
        retry = deliver
        if retry.get_backend().supports_defer:
            retry = deliver.using(run_after=log.next_attempt_at)
        # a backend without deferred tasks (the immediate one, in development) retries at once
        retry.enqueue(subscription_id, event, event_id, body, attempt + 1)
    return succeeded


# The payloads, built after the commit from what the database now holds.

def _activity_data(activity_id: int) -> dict:
    a = Activity.objects.select_related("relation", "type", "representative", "contact").get(pk=activity_id)
    return {
        "id": a.pk, "status": a.status, "type": a.type.name, "summary": a.summary, "note": a.note,
        "start": a.start, "end": a.end, "all_day": a.all_day, "done_at": a.done_at,
        "cancelled_at": a.cancelled_at, "cancel_reason": a.cancel_reason,
        "relation": {"id": a.relation_id, "name": a.relation.name},
        "contact": {"id": a.contact_id, "name": str(a.contact)} if a.contact_id else None,
        "representative": {"id": a.representative_id, "username": a.representative.username},
    }


ACTIVITY_EVENTS = {
    events.ActivityCreated: WebhookSubscription.Event.ACTIVITY_CREATED.value,
    events.ActivityCompleted: WebhookSubscription.Event.ACTIVITY_COMPLETED.value,
    events.ActivityCancelled: WebhookSubscription.Event.ACTIVITY_CANCELLED.value,
}


def activity_event(event: events.ActivityCreated | events.ActivityCompleted | events.ActivityCancelled) -> None:
    """Subscribed to the activity events (see IntegrationsConfig.ready)."""
    emit(ACTIVITY_EVENTS[type(event)], lambda: _activity_data(event.activity_id))


def relation_status_changed(event: events.RelationStatusChanged) -> None:
    """Subscribed to events.RelationStatusChanged (see IntegrationsConfig.ready)."""

    def data():
        relation = Relation.objects.get(pk=event.relation_id)
        ids = [event.from_status_id, event.to_status_id]
        statuses = {s.pk: s for s in BusinessStatus.objects.filter(pk__in=ids)}

        def status(pk):
            return {"id": pk, "code": statuses[pk].code, "name": statuses[pk].name} if pk in statuses else None

        return {
            "relation": {"id": relation.pk, "name": relation.name}, "from_status": status(event.from_status_id),
            "to_status": status(event.to_status_id), "at": event.at,
        }

    emit(WebhookSubscription.Event.RELATION_STATUS_CHANGED.value, data)


def subscribe() -> None:
    for event_type in ACTIVITY_EVENTS:
        events.subscribe(event_type, activity_event)
    events.subscribe(events.RelationStatusChanged, relation_status_changed)
