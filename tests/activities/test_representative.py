"""Who is the representative of a new activity: explicit, else type default, else relation's, else creator."""

import pytest

from kadans.activities.services import activity_default_representative
from tests.factories import ActivityTypeFactory, RelationFactory, UserFactory, make_activity

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return {name: UserFactory(username=name) for name in ("explicit", "type_default", "relation_rep", "creator")}


def _pick(people, *, explicit=True, type_default=True, relation_rep=True):
    activity_type = ActivityTypeFactory(default_user=people["type_default"] if type_default else None)
    relation = RelationFactory(representative=people["relation_rep"] if relation_rep else None)
    return activity_default_representative(
        explicit=people["explicit"] if explicit else None,
        activity_type=activity_type,
        relation=relation,
        user=people["creator"],
    )


def test_explicit_choice_wins_over_everything(people):
    assert _pick(people) == people["explicit"]


def test_without_explicit_choice_the_type_default_user_is_used(people):
    assert _pick(people, explicit=False) == people["type_default"]


def test_without_type_default_the_relation_representative_is_used(people):
    assert _pick(people, explicit=False, type_default=False) == people["relation_rep"]


def test_without_anyone_else_the_creating_user_is_used(people):
    assert _pick(people, explicit=False, type_default=False, relation_rep=False) == people["creator"]


def test_activity_create_stores_the_explicit_representative(people):
    activity = make_activity(
        user=people["creator"],
        relation=RelationFactory(representative=people["relation_rep"]),
        activity_type=ActivityTypeFactory(default_user=people["type_default"]),
        representative=people["explicit"],
    )
    assert activity.representative == people["explicit"]


def test_activity_create_falls_back_to_the_type_default_user(people):
    activity = make_activity(
        user=people["creator"],
        relation=RelationFactory(representative=people["relation_rep"]),
        activity_type=ActivityTypeFactory(default_user=people["type_default"]),
    )
    assert activity.representative == people["type_default"]


def test_activity_create_falls_back_to_the_relation_representative(people):
    activity = make_activity(user=people["creator"], relation=RelationFactory(representative=people["relation_rep"]))
    assert activity.representative == people["relation_rep"]


def test_activity_create_falls_back_to_the_creating_user(people):
    activity = make_activity(user=people["creator"], relation=RelationFactory(representative=None))
    assert activity.representative == people["creator"]
