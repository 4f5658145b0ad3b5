"""Who may see and change what. Every view and the API ask these functions; nothing else decides.

Everyone logged in reads every relation and its activities (a sales team shares its customers).
Changing is narrower:
- an administrator changes everything, and is the only one who changes settings;
- a sales manager changes what belongs to their team (relations and activities whose representative is
  in the manager's team), and their own;
- a representative changes their own relations, and the activities they are the representative of or
  take part in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kadans.accounts.models import User
    from kadans.activities.models import Activity
    from kadans.relations.models import Relation


def can_change_settings(user: User) -> bool:
    return user.is_authenticated and user.is_administrator


def _in_managers_team(user: User, owner_id: int | None, owner_team_id: int | None) -> bool:
    return user.is_manager and user.team_id is not None and owner_team_id == user.team_id


def can_edit_relation(user: User, relation: Relation) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_administrator or relation.representative_id == user.id:
        return True
    rep = relation.representative
    return rep is not None and _in_managers_team(user, rep.id, rep.team_id)


def can_create_relation(user: User) -> bool:
    return user.is_authenticated


def can_edit_activity(user: User, activity: Activity) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_administrator or activity.representative_id == user.id:
        return True
    if _in_managers_team(user, activity.representative_id, activity.representative.team_id):
        return True
    return activity.participants.filter(pk=user.pk).exists()


def can_add_activity_to(user: User, relation: Relation) -> bool:
    """Anyone may plan or record an action on any relation: a colleague may visit a customer too."""
    return user.is_authenticated


def assignable_representatives():
    """Anyone active may be made the representative of an activity, as the Douano page expects: the
    default is the relation's representative, who is often not the person recording the action."""
    from kadans.accounts.models import User

    return User.objects.filter(is_active=True)
