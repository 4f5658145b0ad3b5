"""relation_create, relation_update and contacts: status history and validation."""

import pytest
from django.core.exceptions import ValidationError

from kadans.relations.models import BusinessStatus, Contact, Priority, Relation, StatusChange
from kadans.relations.services import contact_create, contact_update, relation_create, relation_update
from tests.factories import ContactFactory
from tests.relations_support import NewStatusChanges


def test_new_relation_gets_the_default_status_and_records_it_from_nothing(rep):
    relation = relation_create(user=rep, name="Brouwerij Het Anker", representative=rep)
    assert relation.business_status.code == "lead"
    change = StatusChange.objects.get(relation=relation)
    assert (change.field, change.from_status, change.to_status.code) == ("status", None, "lead")
    assert (change.activity, change.user) == (None, rep)


def test_new_relation_keeps_the_status_and_priority_given(rep):
    prospect = BusinessStatus.objects.get(code="prospect")
    priority = Priority.objects.get(name="A")
    relation = relation_create(user=rep, name="Bar Zuid", business_status=prospect, priority=priority)
    relation.refresh_from_db()
    assert (relation.business_status, relation.priority) == (prospect, priority)
    assert set(StatusChange.objects.filter(relation=relation).values_list("field", flat=True)) == {"status", "priority"}


def test_new_relation_without_name_is_refused(rep):
    with pytest.raises(ValidationError):
        relation_create(user=rep, name="")
    assert not Relation.objects.exists()


def test_unknown_relation_field_is_a_type_error(rep):
    with pytest.raises(TypeError):
        relation_create(user=rep, name="X", colour="red")


def test_changing_status_by_hand_records_a_change_without_activity(relation, rep):
    customer = BusinessStatus.objects.get(code="customer")
    new_changes = NewStatusChanges()
    relation_update(relation=relation, user=rep, business_status=customer)
    relation.refresh_from_db()
    assert relation.business_status == customer
    change = new_changes().get()
    assert change.relation == relation
    assert (change.from_status.code, change.to_status, change.activity, change.user) == ("lead", customer, None, rep)


def test_updating_with_the_same_status_records_nothing(relation, rep):
    new_changes = NewStatusChanges()
    relation_update(relation=relation, user=rep, business_status=BusinessStatus.objects.get(code="lead"), city="Brugge")
    relation.refresh_from_db()
    assert relation.city == "Brugge"
    assert not new_changes().exists()


def test_updating_other_fields_records_nothing(relation, rep):
    new_changes = NewStatusChanges()
    relation_update(relation=relation, user=rep, notes="Gesloten op maandag")
    assert not new_changes().exists()


def test_contact_is_created_on_its_relation(relation):
    contact = contact_create(relation=relation, first_name="An", last_name="Peeters")
    assert Contact.objects.get(pk=contact.pk).relation == relation


def test_contact_without_last_name_is_refused(relation):
    with pytest.raises(ValidationError) as exc:
        contact_create(relation=relation, first_name="An", last_name="")
    assert "last_name" in exc.value.message_dict
    assert not Contact.objects.exists()


def test_contact_update_changes_fields(db):
    contact = ContactFactory()
    contact_update(contact=contact, function="Zaakvoerder")
    assert Contact.objects.get(pk=contact.pk).function == "Zaakvoerder"


def test_contact_update_to_empty_last_name_is_refused(db):
    contact = ContactFactory(last_name="Peeters")
    with pytest.raises(ValidationError) as exc:
        contact_update(contact=contact, last_name="")
    assert "last_name" in exc.value.message_dict
    assert Contact.objects.get(pk=contact.pk).last_name == "Peeters"


def test_contact_update_with_invalid_email_is_refused(db):
    with pytest.raises(ValidationError) as exc:
        contact_update(contact=ContactFactory(), email="geen-adres")
    assert "email" in exc.value.message_dict


def test_unknown_contact_field_is_a_type_error(relation):
    with pytest.raises(TypeError):
        contact_create(relation=relation, last_name="Peeters", relation_id=1)
