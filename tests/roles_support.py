"""The cast of the permission tests (test_pages_access, test_api_permissions): a user in each role
around one relation, its activity and its contact."""

from tests.factories import (
    ActivityTypeFactory,
    ContactFactory,
    RelationFactory,
    TeamFactory,
    UserFactory,
    make_activity,
)

ROLES = ["owner", "colleague", "stranger", "participant", "manager", "other_manager", "administrator"]


def make_people() -> dict:
    """The owner (the relation's representative), a colleague in the same team and a stranger in another,
    a participant of the owner's activity (other team), each team's manager, and an administrator."""
    team, other_team = TeamFactory(), TeamFactory()
    return {
        "owner": UserFactory(team=team),
        "colleague": UserFactory(team=team),
        "stranger": UserFactory(team=other_team),
        "participant": UserFactory(team=other_team),
        "manager": UserFactory(team=team, role="manager"),
        "other_manager": UserFactory(team=other_team, role="manager"),
        "administrator": UserFactory(role="administrator"),
    }


def make_owned(people: dict) -> dict:
    """The owner's relation, with a contact, and an activity the participant takes part in."""
    relation = RelationFactory(representative=people["owner"])
    activity = make_activity(user=people["owner"], relation=relation, activity_type=ActivityTypeFactory(),
                             participants=[people["participant"]])
    return {"relation": relation, "activity": activity, "contact": ContactFactory(relation=relation)}
