"""GET /api/v1/audit lists the trail for managers and administrators, paginated and filtered."""

import datetime

import pytest
from django.utils import timezone

from kadans.accounts.services import token_create
from kadans.relations.services import relation_update
from tests.api_support import ApiClient
from tests.factories import ContactFactory, PriorityFactory, RelationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _api(user):
    _token, secret = token_create(user=user, name="audit")
    return ApiClient(secret)


def test_a_manager_lists_a_relations_changes(relation, rep):
    relation_update(relation=relation, user=rep, city="Mechelen")
    ContactFactory(relation=relation)
    RelationFactory()  # another relation's changes stay out
    response = _api(UserFactory(role="manager")).get("/audit", {"relation": relation.pk})
    assert response.status_code == 200, response.content
    body = response.json()
    assert {item["relation_id"] for item in body["items"]} == {relation.pk}
    assert {item["model"] for item in body["items"]} == {"relations.relation", "relations.contact"}
    change = next(i for i in body["items"] if i["action"] == "update")
    assert {"field": "city", "old": "Gent", "new": "Mechelen"} in change["changes"]
    assert body["count"] == len(body["items"])


def test_filters_on_model_and_since_and_pages(relation):
    PriorityFactory(name="Z")
    api = _api(UserFactory(role="administrator"))
    body = api.get("/audit", {"model": "relations.priority"}).json()
    assert body["count"] == 1 and body["items"][0]["object_repr"] == "Z"
    later = (timezone.now() + datetime.timedelta(hours=1)).isoformat()
    assert api.get("/audit", {"since": later}).json()["count"] == 0
    page = api.get("/audit", {"limit": 1, "offset": 1}).json()
    assert page["limit"] == 1 and len(page["items"]) == 1 and page["count"] >= 2


def test_a_representative_may_not_read_the_trail(rep):
    response = _api(rep).get("/audit")
    assert response.status_code == 403
    assert response.json()["detail"]


def test_an_unknown_model_is_refused(rep):
    response = _api(UserFactory(role="administrator")).get("/audit", {"model": "auth.permission"})
    assert response.status_code == 422


def test_the_endpoint_is_in_the_openapi_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/audit"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"relation", "model", "since", "limit", "offset"}


@pytest.mark.parametrize("since", ["1881-01-22T00:38:48+19:09", "1850-01-01T00:00:00+00:00"])
def test_a_moment_no_database_can_read_is_refused_with_a_message(since):
    """Found by the schemathesis run on PostgreSQL, which refuses UTC offsets past 15:59 (a 500 before)."""
    response = _api(UserFactory(role="administrator")).get("/audit", {"since": since})
    assert response.status_code == 422
    assert response.json()["detail"]
