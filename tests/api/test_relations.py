"""Relations, contacts and status changes through the API, over the same services as the pages."""

import pytest

from kadans.relations.models import BusinessStatus, Contact, Priority, Relation, StatusChange
from tests.api_support import api_as
from tests.factories import ContactFactory, PriorityFactory, RelationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(rep):
    return api_as(rep)


def test_the_list_is_paginated_in_a_fixed_order(api, rep):
    for name in ["Delta", "Alfa", "Charlie", "Bravo"]:
        RelationFactory(name=name, representative=rep)
    first = api.get("/relations", {"limit": 2}).json()
    second = api.get("/relations", {"limit": 2, "offset": 2}).json()
    assert first["count"] == 4 and first["limit"] == 2 and first["offset"] == 0
    assert [r["name"] for r in first["items"] + second["items"]] == ["Alfa", "Bravo", "Charlie", "Delta"]
    assert api.get("/relations", {"offset": 10}).json()["items"] == []


def test_the_list_filters_searches_and_sorts(api, rep):
    other = UserFactory()
    customer = BusinessStatus.objects.get(code="customer")
    RelationFactory(name="Brouwerij Het Anker", city="Mechelen", representative=rep)
    RelationFactory(name="Café Zeezicht", city="Oostende", representative=other, business_status=customer)
    ContactFactory(relation=RelationFactory(name="Bistro", city="Gent", representative=other), last_name="Anker")

    def names(**params):
        return [r["name"] for r in api.get("/relations", params).json()["items"]]

    assert names(q="anker") == ["Bistro", "Brouwerij Het Anker"]
    assert names(representative=rep.pk) == ["Brouwerij Het Anker"]
    assert names(status=customer.pk) == ["Café Zeezicht"]
    assert names(sort="-name") == ["Café Zeezicht", "Brouwerij Het Anker", "Bistro"]
    assert names(sort="city") == ["Bistro", "Brouwerij Het Anker", "Café Zeezicht"]


def test_a_page_is_at_most_200_items(api):
    response = api.get("/relations", {"limit": 201})
    assert response.status_code == 422
    assert "limit" in response.json()["errors"]


def test_creating_a_relation_takes_the_defaults_of_the_page(api, rep):
    response = api.post("/relations", {"name": "Brouwerij De Ranke", "city": "Dottenijs"})
    assert response.status_code == 201
    body = response.json()
    relation = Relation.objects.get(pk=body["id"])
    assert relation.representative == rep
    assert relation.business_status == BusinessStatus.objects.get(is_default=True)
    assert body["can_edit"] is True
    # entering the funnel is recorded, as on the page
    change = StatusChange.objects.get(relation=relation)
    assert change.to_status == relation.business_status and change.user == rep


def test_a_relation_can_be_created_without_a_representative(api):
    body = api.post("/relations", {"name": "Nobody's", "representative": None}).json()
    assert body["representative"] is None


def test_changing_the_status_is_recorded_as_a_status_change(api, relation, rep):
    customer = BusinessStatus.objects.get(code="customer")
    priority = PriorityFactory()
    response = api.patch(f"/relations/{relation.pk}", {"business_status": customer.pk, "priority": priority.pk,
                                                        "city": "Brugge"})
    assert response.status_code == 200
    assert response.json()["business_status"] == customer.pk
    assert response.json()["city"] == "Brugge"
    changes = api.get("/status-changes", {"relation": relation.pk}).json()["items"]
    assert {(c["field"], c["to_status"], c["to_priority"]) for c in changes} >= {
        ("status", customer.pk, None), ("priority", None, priority.pk),
    }
    assert all(c["user"] == rep.pk for c in changes if c["field"] == "priority")


def test_a_patch_changes_only_the_given_fields(api, relation):
    relation.phone = "09 123 45 67"
    relation.save()
    api.patch(f"/relations/{relation.pk}", {"notes": "Closed on Mondays"})
    relation.refresh_from_db()
    assert relation.phone == "09 123 45 67" and relation.notes == "Closed on Mondays"


def test_the_business_status_cannot_be_emptied(api, relation):
    response = api.patch(f"/relations/{relation.pk}", {"business_status": None})
    assert response.status_code == 422
    assert "business_status" in response.json()["errors"]


def test_a_model_validation_error_names_its_field(api, relation):
    response = api.patch(f"/relations/{relation.pk}", {"email": "not-an-address"})
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["email"]


def test_an_unknown_status_id_is_a_422_naming_the_field(api, relation):
    response = api.patch(f"/relations/{relation.pk}", {"business_status": 999999})
    assert response.status_code == 422
    assert response.json()["errors"] == {"business_status": ["No business status with id 999999."]}


def test_a_missing_relation_is_a_404(api):
    response = api.get("/relations/999999")
    assert response.status_code == 404
    assert response.json()["detail"] == "No relation with id 999999."


def test_contacts_are_listed_per_relation_and_searched(api, relation):
    ContactFactory(relation=relation, last_name="Peeters", first_name="An")
    ContactFactory(relation=relation, last_name="Janssens", first_name="Jan")
    ContactFactory(last_name="Peeters")
    items = api.get("/contacts", {"relation": relation.pk}).json()["items"]
    assert [c["last_name"] for c in items] == ["Janssens", "Peeters"]
    assert api.get("/contacts", {"q": "peet"}).json()["count"] == 2


def test_adding_and_changing_a_contact(api, relation):
    created = api.post("/contacts", {"relation": relation.pk, "last_name": "Peeters", "email": "an@example.be"})
    assert created.status_code == 201
    contact_id = created.json()["id"]
    changed = api.patch(f"/contacts/{contact_id}", {"function": "Zaakvoerder"})
    assert changed.json()["function"] == "Zaakvoerder"
    contact = Contact.objects.get(pk=contact_id)
    assert contact.relation == relation and contact.last_name == "Peeters"
    assert api.get(f"/contacts/{contact_id}").json()["function"] == "Zaakvoerder"


def test_a_contact_needs_a_last_name(api, relation):
    response = api.post("/contacts", {"relation": relation.pk, "first_name": "An"})
    assert response.status_code == 422
    assert "last_name" in response.json()["errors"]
    assert not Contact.objects.exists()


def test_status_changes_filter_by_field_newest_first(api, relation):
    for priority in PriorityFactory(), PriorityFactory():
        api.patch(f"/relations/{relation.pk}", {"priority": priority.pk})
    items = api.get("/status-changes", {"relation": relation.pk, "field": "priority"}).json()["items"]
    assert len(items) == 2 and items[0]["id"] > items[1]["id"]
    assert items[0]["from_priority"] == items[1]["to_priority"]
    assert api.get(f"/status-changes/{items[0]['id']}").json() == items[0]
    assert Priority.objects.count() >= 2
