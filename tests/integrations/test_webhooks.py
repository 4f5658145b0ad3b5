"""Webhooks: signed deliveries of activity and relation events, retries with back-off, a delivery log."""

import datetime
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kadans.activities.services import activity_cancel, activity_complete
from kadans.core import events as core_events
from kadans.integrations import webhooks
from kadans.integrations.models import WebhookDelivery, WebhookSubscription
from kadans.relations.models import BusinessStatus
from kadans.relations.services import relation_update
from tests.factories import make_activity

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
ALL_EVENTS = [e.value for e in WebhookSubscription.Event]


@pytest.fixture
def receiver():
    """A tiny HTTP server on the loopback that records what it receives and answers `status`."""
    received = []

    class Handler(BaseHTTPRequestHandler):
        status = 200

        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((dict(self.headers), body))
            self.send_response(server.status)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    server.status = 200
    server.received = received
    server.url = f"http://127.0.0.1:{server.server_port}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def subscription(receiver):
    return WebhookSubscription.objects.create(name="ERP", url=receiver.url, events=ALL_EVENTS, secret="s3cret")


def events(receiver):
    return [json.loads(body)["event"] for _, body in receiver.received]


def test_activity_events_are_delivered_signed(settings, receiver, subscription, rep, relation,
                                              django_capture_on_commit_callbacks):
    settings.TASKS = IMMEDIATE
    with django_capture_on_commit_callbacks(execute=True):
        activity = make_activity(user=rep, relation=relation, summary="Visit")
    with django_capture_on_commit_callbacks(execute=True):
        activity_complete(activity=activity, user=rep)
    other = make_activity(user=rep, relation=relation)
    with django_capture_on_commit_callbacks(execute=True):
        activity_cancel(activity=other, user=rep, reason="ill")
    assert events(receiver) == ["activity.created", "activity.completed", "activity.cancelled"]
    headers, body = receiver.received[0]
    expected = "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert headers["X-Kadans-Signature"] == expected
    payload = json.loads(body)
    assert payload["data"]["id"] == activity.pk and payload["data"]["summary"] == "Visit"
    assert payload["data"]["relation"] == {"id": relation.pk, "name": relation.name}
    log = list(subscription.deliveries.order_by("at", "id"))
    assert [(d.event, d.attempt, d.status_code, d.succeeded) for d in log] == [
        ("activity.created", 1, 200, True), ("activity.completed", 1, 200, True),
        ("activity.cancelled", 1, 200, True),
    ]


def test_a_status_change_is_delivered(settings, receiver, subscription, rep, relation,
                                      django_capture_on_commit_callbacks):
    settings.TASKS = IMMEDIATE
    with django_capture_on_commit_callbacks(execute=True):
        relation_update(relation=relation, user=rep, business_status=BusinessStatus.objects.get(code="customer"))
    assert events(receiver) == ["relation.status_changed"]
    data = json.loads(receiver.received[0][1])["data"]
    assert data["from_status"]["code"] == "lead" and data["to_status"]["code"] == "customer"


def test_only_subscribed_events_are_sent(settings, receiver, subscription, rep, relation,
                                         django_capture_on_commit_callbacks):
    settings.TASKS = IMMEDIATE
    subscription.events = ["activity.completed"]
    subscription.save()
    with django_capture_on_commit_callbacks(execute=True):
        make_activity(user=rep, relation=relation)
    assert receiver.received == []
    assert not WebhookDelivery.objects.exists()


def test_a_failed_delivery_is_logged_and_retried_later_with_back_off(receiver, subscription):
    receiver.status = 500
    before = timezone.now()
    assert webhooks.deliver.call(subscription.pk, "activity.created", "abc", '{"x":1}', 2) is False
    log = WebhookDelivery.objects.get()
    assert (log.attempt, log.status_code, log.succeeded) == (2, 500, False)
    assert log.next_attempt_at - before >= datetime.timedelta(minutes=4)
    retry = DBTaskResult.objects.get()
    assert retry.args_kwargs["args"] == [subscription.pk, "activity.created", "abc", '{"x":1}', 3]
    assert retry.run_after >= before + datetime.timedelta(minutes=4)


def test_it_gives_up_after_the_last_attempt(receiver, subscription):
    receiver.status = 503
    webhooks.deliver.call(subscription.pk, "activity.created", "abc", "{}", webhooks.MAX_ATTEMPTS)
    assert WebhookDelivery.objects.get().next_attempt_at is None
    assert not DBTaskResult.objects.exists()


def test_an_unreachable_receiver_is_logged_with_its_error(subscription, receiver):
    subscription.url = "http://127.0.0.1:1/closed"
    subscription.save()
    webhooks.deliver.call(subscription.pk, "activity.created", "abc", "{}", 1)
    log = WebhookDelivery.objects.get()
    assert log.status_code is None and log.error and not log.succeeded


def test_retry_delays_grow_exponentially():
    assert [webhooks.retry_delay(n).total_seconds() / 60 for n in range(1, 6)] == [1, 4, 16, 64, 256]


def test_the_settings_page_shows_the_delivery_log(client, subscription):
    from tests.factories import UserFactory

    WebhookDelivery.objects.create(subscription=subscription, event="activity.created", event_id="e1", attempt=1,
                                   status_code=410, error="Gone")
    client.force_login(UserFactory(role="administrator"))
    page = client.get(f"/integrations/webhooks/{subscription.pk}/").content.decode()
    assert "410" in page and "Gone" in page and "s3cret" in page


def test_administrators_subscribe_on_the_settings_page(client, rep):
    from tests.factories import UserFactory

    client.force_login(rep)
    assert client.get("/integrations/webhooks/").status_code == 403
    client.force_login(UserFactory(role="administrator"))
    assert client.get("/integrations/webhooks/new/").status_code == 200
    response = client.post("/integrations/webhooks/new/", {
        "name": "ERP", "url": "https://erp.example.be/kadans", "events": ["activity.completed"], "active": "on",
    })
    assert response.status_code == 302
    subscription = WebhookSubscription.objects.get()
    assert subscription.events == ["activity.completed"] and len(subscription.secret) > 20
    bad = client.post("/integrations/webhooks/new/", {"name": "x", "url": "ftp://x.be/", "events": ["nope"]})
    assert bad.status_code == 200 and WebhookSubscription.objects.count() == 1
    assert client.get("/integrations/webhooks/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_subscriptions_are_read_once_per_commit_and_again_by_the_next(settings, receiver, rep, relation):
    """Completing an activity publishes "completed" and the triggered "created" in one commit: the active
    subscriptions are read once for both; a subscription made meanwhile counts from the next commit on."""
    settings.TASKS = IMMEDIATE
    activity = make_activity(user=rep, relation=relation)
    created = core_events.ActivityCreated(by_id=rep.pk, activity_id=activity.pk, representative_id=rep.pk)
    with transaction.atomic():
        core_events.publish(created)
        core_events.publish(created)
        # made after the first delivery of this commit has read the (empty) list: not seen by the second
        transaction.on_commit(lambda: WebhookSubscription.objects.create(
            name="ERP", url=receiver.url, events=ALL_EVENTS, secret="s"))
        core_events.publish(created)
    assert events(receiver) == []
    with transaction.atomic():
        core_events.publish(created)
    assert events(receiver) == ["activity.created"]
