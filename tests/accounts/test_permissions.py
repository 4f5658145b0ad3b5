"""The permission rules for each role: relations, activities (one by one and in bulk), settings, teams."""

import pytest
from django.contrib.auth.models import AnonymousUser

from kadans.accounts.models import Team, User
from kadans.accounts.permissions import (
    activity_edit_rule,
    can_change_settings,
    can_edit_activity,
    can_edit_relation,
    can_view_team,
    viewable_teams,
)
from kadans.activities.services import activity_cancel
from tests.factories import RelationFactory, TeamFactory, UserFactory, make_activity


@pytest.fixture
def users(db):
    north, south = TeamFactory(name="Noord"), TeamFactory(name="Zuid")
    people = {
        "rep": UserFactory(team=north),
        "colleague": UserFactory(team=north),
        "manager": UserFactory(team=north, role=User.Role.MANAGER),
        "other_team_rep": UserFactory(team=south),
        "other_manager": UserFactory(team=south, role=User.Role.MANAGER),
        "teamless": UserFactory(),
        "teamless_manager": UserFactory(role=User.Role.MANAGER),
        "admin": UserFactory(role=User.Role.ADMINISTRATOR),
        "superuser": UserFactory(is_superuser=True),
    }
    north.manager, south.manager = people["manager"], people["other_manager"]
    north.save()
    south.save()
    people["anonymous"] = AnonymousUser()
    return people


# relations


@pytest.mark.parametrize(
    ("who", "owner", "allowed"),
    [
        ("rep", "rep", True),
        ("rep", "colleague", False),
        ("manager", "rep", True),
        ("manager", "manager", True),
        ("manager", "other_team_rep", False),
        ("other_manager", "rep", False),
        ("teamless_manager", "teamless", False),
        ("admin", "rep", True),
        ("superuser", "rep", True),
        ("anonymous", "rep", False),
    ],
)
def test_who_may_edit_a_relation(users, who, owner, allowed):
    assert can_edit_relation(users[who], RelationFactory(representative=users[owner])) is allowed


@pytest.mark.parametrize(("who", "allowed"), [("rep", False), ("manager", False), ("admin", True)])
def test_relation_without_representative_is_edited_by_administrators_only(users, who, allowed):
    assert can_edit_relation(users[who], RelationFactory(representative=None)) is allowed


# activities


@pytest.mark.parametrize(
    ("who", "representative", "allowed"),
    [
        ("rep", "rep", True),
        ("rep", "colleague", False),
        ("manager", "rep", True),
        ("manager", "manager", True),
        ("manager", "other_team_rep", False),
        ("other_manager", "rep", False),
        ("teamless_manager", "teamless", False),
        ("admin", "other_team_rep", True),
        ("superuser", "other_team_rep", True),
        ("anonymous", "rep", False),
    ],
)
def test_who_may_edit_an_activity(users, who, representative, allowed):
    activity = make_activity(relation=RelationFactory(representative=users[representative]))
    assert can_edit_activity(users[who], activity) is allowed


def test_participant_may_edit_an_activity(users):
    activity = make_activity(
        relation=RelationFactory(representative=users["other_team_rep"]), participants=[users["rep"]]
    )
    assert can_edit_activity(users["rep"], activity) is True
    assert can_edit_activity(users["colleague"], activity) is False


def test_relations_representative_may_not_edit_an_activity_of_someone_else_on_it(users):
    relation = RelationFactory(representative=users["rep"])
    activity = make_activity(relation=relation, representative=users["other_team_rep"])
    assert can_edit_activity(users["rep"], activity) is False


# settings


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("rep", False), ("manager", False), ("admin", True), ("superuser", True), ("anonymous", False)],
)
def test_only_administrators_change_settings(users, who, allowed):
    assert can_change_settings(users[who]) is allowed


# cancelled activities, the bulk rule, teams


@pytest.mark.parametrize("who", ["rep", "manager", "admin", "superuser", "colleague"])
def test_nobody_changes_a_cancelled_activity(users, who):
    activity = make_activity(user=users["rep"], relation=RelationFactory(representative=users["rep"]),
                             representative=users["rep"], participants=[users["colleague"]])
    assert can_edit_activity(users[who], activity)
    activity_cancel(activity=activity, user=users["rep"])
    assert not can_edit_activity(users[who], activity)


@pytest.mark.parametrize("who", ["rep", "colleague", "manager", "other_manager", "admin", "anonymous"])
@pytest.mark.parametrize("status", ["planned", "done", "cancelled"])
@pytest.mark.parametrize("participating", [False, True])
def test_the_bulk_rule_says_what_can_edit_activity_says(users, who, status, participating):
    activity = make_activity(user=users["rep"], relation=RelationFactory(representative=users["rep"]),
                             representative=users["rep"],
                             participants=[users[who]] if participating and who != "anonymous" else [])
    activity.status = status
    rule = activity_edit_rule(users[who])
    assert rule(status=status, representative_id=users["rep"].pk, representative_team_id=users["rep"].team_id,
                participating=participating and who != "anonymous") == can_edit_activity(users[who], activity)


@pytest.mark.parametrize(
    ("who", "team", "allowed"),
    [("admin", "Zuid", True), ("manager", "Noord", True), ("manager", "Zuid", False),
     ("other_manager", "Zuid", True), ("rep", "Noord", False), ("anonymous", "Noord", False)],
)
def test_who_follows_a_teams_calendar(users, who, team, allowed):
    team = Team.objects.get(name=team)
    assert can_view_team(users[who], team) is allowed
    if who != "anonymous":
        assert (team in viewable_teams(users[who])) is allowed


def test_a_manager_follows_a_team_they_manage_but_do_not_belong_to(users):
    elsewhere = TeamFactory(name="Elders", manager=users["teamless_manager"])
    assert can_view_team(users["teamless_manager"], elsewhere)
    assert list(viewable_teams(users["teamless_manager"])) == [elsewhere]
