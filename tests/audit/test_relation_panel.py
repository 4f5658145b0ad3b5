"""A relation's page shows its changes to managers and administrators only."""

import pytest
from django.test import Client

from kadans.relations.services import contact_update, relation_update
from tests.factories import ContactFactory, UserFactory

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", ["manager", "administrator"])
def test_managers_and_administrators_see_the_changes_of_the_relation_and_its_contacts(relation, rep, role):
    relation_update(relation=relation, user=rep, city="Ieper")
    contact = ContactFactory(relation=relation, function="")
    contact_update(contact=contact, function="Zaakvoerder")
    client = _client(UserFactory(role=role))
    page = client.get(f"/relations/{relation.pk}/")
    assert b'id="audit-changes-panel"' in page.content
    panel = client.get(f"/audit/relations/{relation.pk}/")
    assert panel.status_code == 200
    text = panel.content.decode()
    assert "Ieper" in text and "Gent" in text
    assert "Zaakvoerder" in text


def test_a_representative_gets_no_panel_and_no_changes(relation, rep):
    relation_update(relation=relation, user=rep, city="Ieper")
    client = _client(rep)
    assert b"audit-changes" not in client.get(f"/relations/{relation.pk}/").content
    assert client.get(f"/audit/relations/{relation.pk}/").status_code == 403


def test_a_related_objects_name_is_shown_not_its_id(relation, rep):
    other = UserFactory(first_name="Griet", last_name="Vandamme")
    relation_update(relation=relation, user=rep, representative=other)
    panel = _client(UserFactory(role="administrator")).get(f"/audit/relations/{relation.pk}/")
    assert "Griet Vandamme" in panel.content.decode()


def test_the_panel_reads_a_fixed_number_of_queries(relation, rep, django_assert_max_num_queries):
    for n in range(5):
        relation_update(relation=relation, user=rep, city=f"Stad {n}", representative=UserFactory())
    client = _client(UserFactory(role="administrator"))
    client.get(f"/audit/relations/{relation.pk}/")
    with django_assert_max_num_queries(8):
        client.get(f"/audit/relations/{relation.pk}/")
