"""Ids in query strings and forms: anything that is not a plain ASCII number is "not found", never a 500."""

import pytest

from tests.factories import make_activity


@pytest.fixture
def logged_in(client, relation):
    client.force_login(relation.representative)
    return client


@pytest.mark.parametrize("bad", ["²", "١٢", "99999999999999999999999", "-1", "1.5"])
def test_a_strange_relation_id_is_not_found(logged_in, bad):
    assert logged_in.get("/activities/relation-fields/", {"relation": bad}).status_code == 404


@pytest.mark.parametrize("bad", ["²", "99999999999999999999999"])
def test_the_action_form_ignores_strange_ids_in_its_query(logged_in, bad):
    response = logged_in.get("/activities/new/", {"relation": bad, "type": bad, "previous": bad})
    assert response.status_code == 200
    initial = response.context["form"].initial
    assert not {"relation", "type", "previous"} & set(initial)


@pytest.mark.parametrize("bad", ["²", "99999999999999999999999"])
def test_the_calendar_refuses_strange_user_and_team_ids(logged_in, bad):
    assert (
        logged_in.get("/calendar/events/", {"start": "2026-11-16", "end": "2026-11-23", "user": bad}).status_code == 404
    )
    assert (
        logged_in.get("/calendar/events/", {"start": "2026-11-16", "end": "2026-11-23", "team": bad}).status_code == 404
    )


def test_moving_a_card_with_strange_ids_is_a_bad_request(logged_in, relation):
    make_activity(relation=relation)
    assert logged_in.post("/activities/pipeline/move/", {"relation": "²", "status": "1"}).status_code == 400
