"""Business statuses, priorities, products and activity types: everyone reads them, administrators change
them, through the settings page's own forms (so the same rules and messages)."""

import pytest

from kadans.activities.models import ActivityType, Product
from kadans.relations.models import BusinessStatus, Priority
from tests.api_support import api_as
from tests.factories import ActivityTypeFactory, ProductFactory, UserFactory, make_activity

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_api(db):
    return api_as(UserFactory(role="administrator"))


@pytest.mark.parametrize("path", ["/business-statuses", "/priorities", "/products", "/activity-types"])
def test_everyone_reads_the_settings_lists_in_their_order(rep, path):
    response = api_as(rep).get(path)
    assert response.status_code == 200
    assert response.json()["count"] == len(response.json()["items"])


def test_statuses_come_in_their_configured_order(rep):
    codes = [s["code"] for s in api_as(rep).get("/business-statuses").json()["items"]]
    assert codes == ["lead", "prospect", "customer", "lost"]


def test_an_administrator_creates_changes_and_deletes_a_product(admin_api):
    created = admin_api.post("/products", {"name": "Tripel 75cl", "code": "TR75", "cost_price": "4.10"})
    assert created.status_code == 201
    product_id = created.json()["id"]
    assert created.json()["cost_price"] == "4.10"
    changed = admin_api.patch(f"/products/{product_id}", {"active": False})
    assert changed.json() == {**created.json(), "active": False}
    assert admin_api.delete(f"/products/{product_id}").status_code == 204
    assert not Product.objects.filter(pk=product_id).exists()


def test_the_forms_rules_apply_with_their_messages(admin_api):
    response = admin_api.post("/business-statuses", {"name": "Both", "code": "both", "is_won": True, "is_lost": True})
    assert response.status_code == 422
    assert "__all__" in response.json()["errors"]
    assert not BusinessStatus.objects.filter(code="both").exists()
    response = admin_api.post("/activity-types", {"name": "Chained", "chaining": "trigger"})
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["triggered_type"]


def test_a_duplicate_code_is_refused(admin_api):
    response = admin_api.post("/business-statuses", {"name": "Lead again", "code": "lead"})
    assert response.status_code == 422
    assert "code" in response.json()["errors"]


def test_an_activity_type_with_its_suggestions(admin_api):
    email, call = ActivityTypeFactory(), ActivityTypeFactory()
    created = admin_api.post("/activity-types", {
        "name": "Visit", "kind": "meeting", "chaining": "suggest", "suggested_types": [call.pk, email.pk],
        "delay_count": 2, "delay_unit": "weeks",
    }).json()
    assert created["suggested_types"] == sorted([call.pk, email.pk])
    changed = admin_api.patch(f"/activity-types/{created['id']}", {"color": "#112233"}).json()
    assert changed["suggested_types"] == created["suggested_types"] and changed["color"] == "#112233"
    assert ActivityType.objects.get(pk=created["id"]).suggested_types.count() == 2


def test_a_setting_in_use_is_not_deleted(admin_api, relation):
    activity = make_activity(relation=relation)
    response = admin_api.delete(f"/activity-types/{activity.type_id}")
    assert response.status_code == 409
    assert ActivityType.objects.filter(pk=activity.type_id).exists()
    assert admin_api.delete(f"/business-statuses/{relation.business_status_id}").status_code == 409


def test_a_priority_cadence_can_be_emptied(admin_api):
    priority = Priority.objects.get(name="A")
    assert admin_api.patch(f"/priorities/{priority.pk}", {"cadence_days": None}).json()["cadence_days"] is None


@pytest.mark.parametrize("role", ["representative", "manager"])
def test_only_administrators_change_settings(role):
    api = api_as(UserFactory(role=role))
    product = ProductFactory()
    assert api.post("/products", {"name": "New"}).status_code == 403
    assert api.patch(f"/products/{product.pk}", {"name": "Renamed"}).status_code == 403
    assert api.delete(f"/products/{product.pk}").status_code == 403
    product.refresh_from_db()
    assert product.name != "Renamed" and Product.objects.count() == 1
