"""Bad input gets a 4xx whose message says what is wrong: never a 500, never a partial write."""

import json

import pytest

from kadans.activities.models import Activity, CostLine
from kadans.relations.models import Relation
from tests.api_support import api_as
from tests.factories import ActivityTypeFactory, make_activity

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(rep):
    return api_as(rep)


@pytest.fixture
def todo(db):
    return ActivityTypeFactory()


@pytest.mark.parametrize("body", ['{"name": ', "not json", '{"name": "a",}', b"\xff\xfe{}"])
def test_malformed_json_is_a_400_that_says_so(api, body):
    response = api.post("/relations", body)
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]
    assert not Relation.objects.exists()


@pytest.mark.parametrize("body", ["[1, 2]", '"a string"', "42", "null"])
def test_json_that_is_not_an_object_is_refused(api, body):
    response = api.post("/relations", body)
    assert response.status_code in (400, 422)
    assert response.json()["detail"]


def test_a_form_encoded_body_is_refused(api):
    response = api.post("/relations", "name=Test", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert not Relation.objects.exists()


def test_unknown_fields_are_named(api, relation):
    response = api.patch(f"/relations/{relation.pk}", {"name": "New", "colour": "red", "owner": 1})
    assert response.status_code == 422
    assert response.json()["errors"] == {"colour": ["Unknown field."], "owner": ["Unknown field."]}
    assert response.json()["detail"] == "Invalid input. colour: Unknown field. owner: Unknown field."
    relation.refresh_from_db()
    assert relation.name != "New"


def test_unknown_fields_in_nested_objects_are_named_with_their_path(api, relation, todo):
    response = api.post("/activities", {"relation": relation.pk, "type": todo.pk, "start": "2030-01-01",
                                        "cost_lines": [{"description": "Lunch", "unit_price": 1, "vat": 21}]})
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["cost_lines.0.vat"]


@pytest.mark.parametrize(("field", "value"), [
    ("start", "tomorrow"),
    ("start", 12),
    ("all_day", "perhaps"),
    ("participants", "everyone"),
    ("participants", [0]),
    ("summary", ["a"]),
    ("summary", "x" * 201),
    ("note", "nul \x00 character"),
    ("status", "cancelled"),
    ("type", "Call"),
    ("type", 2**70),
    ("start", "0001-01-01"),
    ("start", "9999-12-31T23:59:59-12:00"),
])
def test_wrong_types_and_values_are_422_naming_the_field(api, relation, todo, field, value):
    body = {"relation": relation.pk, "type": todo.pk, "start": "2030-01-01", field: value}
    response = api.post("/activities", body)
    assert response.status_code == 422
    assert [key.split(".")[0] for key in response.json()["errors"]] == [field], response.json()
    assert not Activity.objects.exists()


def test_a_missing_required_field_is_named(api, relation):
    response = api.post("/activities", {"relation": relation.pk})
    assert response.status_code == 422
    assert response.json()["errors"] == {"type": ["This field is required."], "start": ["This field is required."]}


@pytest.mark.parametrize("field", ["relation", "type", "contact", "representative", "new_status", "new_priority"])
def test_ids_of_things_that_do_not_exist_are_422_naming_the_field(api, relation, todo, field):
    body = {"relation": relation.pk, "type": todo.pk, "start": "2030-01-01", field: 987654}
    response = api.post("/activities", body)
    assert response.status_code == 422
    assert response.json()["errors"] == {field: [response.json()["errors"][field][0]]}
    assert "987654" in response.json()["detail"]
    assert not Activity.objects.exists()


def test_an_inactive_user_cannot_be_made_representative(api, relation, todo):
    from tests.factories import UserFactory

    gone = UserFactory(is_active=False)
    response = api.post("/activities", {"relation": relation.pk, "type": todo.pk, "start": "2030-01-01",
                                        "representative": gone.pk})
    assert response.status_code == 422
    assert "representative" in response.json()["errors"]


def test_one_bad_cost_line_writes_nothing(api, rep, relation, todo):
    activity = make_activity(user=rep, relation=relation, activity_type=todo, summary="Before",
                             cost_lines=[])
    response = api.patch(f"/activities/{activity.pk}", {
        "summary": "After",
        "cost_lines": [{"description": "Lunch", "unit_price": "10"}, {"quantity": "1"}],
    })
    assert response.status_code == 422
    activity.refresh_from_db()
    assert activity.summary == "Before"
    assert not CostLine.objects.exists()


def test_an_end_before_the_start_writes_nothing(api, relation, todo):
    response = api.post("/activities", {"relation": relation.pk, "type": todo.pk, "start": "2030-01-05",
                                        "end": "2030-01-01"})
    assert response.status_code == 422
    assert "end" in response.json()["errors"]
    assert not Activity.objects.exists()


@pytest.mark.parametrize("path", ["/relations/0", "/relations/abc", f"/relations/{2**64}", "/activities/-1"])
def test_bad_ids_in_the_path_are_4xx(api, path):
    assert api.get(path).status_code in (404, 422)


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": "many"}, {"offset": -1}, {"sort": "price"},
                                    {"status": "nope"}, {"q": "a\x00b"}, {"representative": 2**64}])
def test_bad_list_parameters_are_422(api, params):
    response = api.get("/relations", params)
    assert response.status_code == 422
    assert set(response.json()["errors"]) == set(params)


def test_a_lone_surrogate_in_a_string_is_refused(api):
    response = api.post("/relations", '{"name": "\\ud800"}')
    assert response.status_code in (400, 422)
    assert not Relation.objects.exists()


def test_numbers_out_of_range_are_refused(api, relation, todo):
    body = json.dumps({"relation": relation.pk, "type": todo.pk, "start": "2030-01-01",
                       "cost_lines": [{"description": "x", "unit_price": 1e400}]})
    assert api.post("/activities", body.replace("Infinity", "1e400")).status_code == 422
    deep = '{"relation": ' + "[" * 5000 + "]" * 5000 + "}"
    assert api.post("/activities", deep).status_code in (400, 422)
    assert not Activity.objects.exists()
