"""The API's permissions per role are the pages' (kadans.accounts.permissions): the same tables as
test_pages_access, asked through the API. Everyone reads; a refused change is a 403 that writes nothing."""

import pytest

from kadans.activities.models import Activity
from tests.api_support import ApiClient, api_as
from tests.factories import (
    ProductFactory,
)
from tests.roles_support import ROLES, make_owned, make_people
from tests.web.test_pages_access import ACTIVITY_RULES, RELATION_RULES

pytestmark = pytest.mark.django_db

@pytest.fixture
def people():
    return make_people()


@pytest.fixture
def world(people):
    return make_owned(people)


def _state(world) -> tuple:
    relation, activity = world["relation"], world["activity"]
    relation.refresh_from_db()
    activity.refresh_from_db()
    world["contact"].refresh_from_db()
    return (relation.name, activity.summary, activity.status, activity.start, world["contact"].function)


@pytest.mark.parametrize("role", ROLES)
def test_everyone_reads_every_relation_activity_and_contact(people, world, role):
    api = api_as(people[role])
    assert api.get(f"/relations/{world['relation'].pk}").status_code == 200
    assert api.get(f"/activities/{world['activity'].pk}").status_code == 200
    assert api.get(f"/contacts/{world['contact'].pk}").status_code == 200
    assert api.get("/relations").json()["count"] == 1
    assert api.get("/activities").json()["count"] == 1


@pytest.mark.parametrize(("role", "expected"), RELATION_RULES)
def test_changing_a_relation_and_its_contacts_follows_the_permissions(people, world, role, expected):
    api = api_as(people[role])
    before = _state(world)
    responses = [
        api.patch(f"/relations/{world['relation'].pk}", {"name": "Changed"}),
        api.patch(f"/contacts/{world['contact'].pk}", {"function": "Changed"}),
        api.post("/contacts", {"relation": world["relation"].pk, "last_name": "New"}),
    ]
    assert [r.status_code for r in responses] == [expected, expected, 201 if expected == 200 else 403]
    if expected == 403:
        assert _state(world) == before
        assert world["relation"].contacts.count() == 1


@pytest.mark.parametrize(("role", "expected"), ACTIVITY_RULES)
@pytest.mark.parametrize(("action", "body"), [
    ("", {"summary": "Changed"}),
    ("/reschedule", {"days": 1}),
    ("/complete", {}),
    ("/cancel", {}),
])
def test_changing_an_activity_follows_the_permissions(people, world, role, expected, action, body):
    api = api_as(people[role])
    before = _state(world)
    url = f"/activities/{world['activity'].pk}{action}"
    response = api.patch(url, body) if not action else api.post(url, body)
    assert response.status_code == expected
    if expected == 403:
        assert _state(world) == before


@pytest.mark.parametrize("role", ROLES)
def test_anyone_plans_an_activity_on_any_relation(people, world, role):
    api = api_as(people[role])
    created = api.post("/activities", {"relation": world["relation"].pk, "type": world["activity"].type_id,
                                       "start": "2030-01-02"})
    assert created.status_code == 201
    following = api.post(f"/activities/{world['activity'].pk}/schedule-next", {"type": world["activity"].type_id})
    assert following.status_code == 201
    # the new activity's representative defaults to the relation's, so the caller may not change it
    assert created.json()["representative"] == people["owner"].pk


@pytest.mark.parametrize(("role", "expected"), [("owner", 403), ("manager", 403), ("administrator", 201)])
def test_only_administrators_change_settings(people, role, expected):
    response = api_as(people[role]).post("/priorities", {"name": f"P-{role}"})
    assert response.status_code == expected


@pytest.mark.parametrize(("method", "path", "body"), [
    ("get", "/relations", None),
    ("get", "/relations/{relation}", None),
    ("patch", "/relations/{relation}", {"name": "Changed"}),
    ("post", "/activities/{activity}/complete", {}),
    ("post", "/activities/{activity}/cancel", {}),
    ("delete", "/products/{product}", None),
    ("get", "/users/me", None),
])
def test_without_credentials_everything_is_401_and_nothing_changes(world, method, path, body):
    product = ProductFactory()
    url = path.format(relation=world["relation"].pk, activity=world["activity"].pk, product=product.pk)
    client = ApiClient()
    response = getattr(client, method)(url, body) if body is not None else getattr(client, method)(url)
    assert response.status_code == 401
    assert world["activity"].__class__.objects.get(pk=world["activity"].pk).status == Activity.Status.PLANNED
    assert product.__class__.objects.filter(pk=product.pk).exists()
