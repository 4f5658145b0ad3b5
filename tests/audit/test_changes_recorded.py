"""Every change of a relation, contact, activity, cost line and setting is recorded: who, when, which
fields, old and new values."""

from decimal import Decimal

import pytest

from kadans.activities.models import ActivityPlan, CostLine
from kadans.activities.services import CostLineData, activity_set_cost_lines, activity_update
from kadans.audit.models import AuditEntry
from kadans.audit.services import audit_actor
from kadans.integrations.models import WebhookSubscription
from kadans.relations.services import contact_update, relation_update
from tests.audit.audit_support import entries_for
from tests.factories import ContactFactory, PriorityFactory, ProductFactory, TeamFactory, make_activity

pytestmark = pytest.mark.django_db


def test_updating_a_relation_records_the_fields_with_old_and_new_values(relation, rep):
    old_name = relation.name
    with audit_actor(rep):
        relation_update(relation=relation, user=rep, name="Bakkerij Vos", city="Brugge")
    entry = entries_for(relation).last()
    assert entry.action == AuditEntry.Action.UPDATE
    assert entry.actor_id == rep.pk
    assert entry.relation_id == relation.pk
    assert entry.changes["name"] == [old_name, "Bakkerij Vos"]
    assert entry.changes["city"] == ["Gent", "Brugge"]
    assert "updated_at" not in entry.changes


def test_a_contact_change_belongs_to_its_relation(relation):
    contact = ContactFactory(relation=relation, phone="")
    contact_update(contact=contact, phone="+32 9 123 45 67")
    entry = entries_for(contact).last()
    assert entry.changes == {"phone": ["", "+32 9 123 45 67"]}
    assert entry.relation_id == relation.pk


def test_an_activity_edit_is_recorded(relation, rep):
    activity = make_activity(user=rep, relation=relation, summary="Intro")
    assert entries_for(activity).first().action == AuditEntry.Action.CREATE
    activity_update(activity=activity, user=rep, summary="Intro call")
    assert entries_for(activity).last().changes["summary"] == ["Intro", "Intro call"]


def test_cost_lines_made_in_bulk_are_recorded_when_the_activity_changed_event_arrives(
    relation, rep, django_capture_on_commit_callbacks
):
    activity = make_activity(user=rep, relation=relation)
    product = ProductFactory(cost_price=Decimal("2.50"))
    with django_capture_on_commit_callbacks(execute=True):
        activity_update(activity=activity, user=rep,
                        cost_lines=[CostLineData(product=product, quantity=Decimal("4"))])
    [line] = CostLine.objects.filter(activity=activity)
    created = entries_for(line)
    assert created.count() == 1
    entry = created.get()
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.changes["quantity"][1] == "4.00"
    assert entry.relation_id == relation.pk
    assert entry.actor_id == rep.pk


def test_replacing_cost_lines_records_the_removed_ones_as_deleted(relation, rep):
    activity = make_activity(user=rep, relation=relation)
    [line] = activity_set_cost_lines(activity=activity, lines=[CostLineData(description="Lunch")])
    activity_set_cost_lines(activity=activity, lines=[])
    assert not CostLine.objects.filter(pk=line.pk).exists()
    deleted = entries_for(line).filter(action=AuditEntry.Action.DELETE).get()
    assert deleted.changes["description"] == ["Lunch", "None"]
    assert deleted.relation_id == relation.pk


@pytest.mark.parametrize("make, change", [
    (PriorityFactory, {"name": "Top"}),
    (TeamFactory, {"name": "Limburg"}),
    (ProductFactory, {"name": "Staal"}),
    (lambda: ActivityPlan.objects.create(name="Onboarding"), {"name": "New customer"}),
])
def test_settings_changes_are_recorded(make, change):
    obj = make()
    for field, value in change.items():
        setattr(obj, field, value)
    obj.save()
    entry = entries_for(obj).last()
    assert entry.action == AuditEntry.Action.UPDATE
    assert entry.changes[next(iter(change))][1] == next(iter(change.values()))
    assert entry.relation_id is None


def test_a_webhook_secret_is_masked_in_the_trail():
    hook = WebhookSubscription.objects.create(name="ERP", url="https://erp.example.be/hook",
                                              secret="s3cr3t-value-0123456789")
    entry = entries_for(hook).get()
    assert "s3cr3t-value-0123456789" not in str(entry.changes)


def test_a_users_password_and_login_time_are_not_recorded(rep):
    rep.set_password("another-pass-456")
    rep.save()
    assert all("password" not in (e.changes or {}) for e in entries_for(rep))
