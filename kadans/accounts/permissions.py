"""Who may see and change what. Every view and the API ask these functions; nothing else decides.

Everyone logged in reads every relation and its activities (a sales team shares its customers).
Changing is narrower:
- an administrator changes everything, and is the only one who changes settings;
- a sales manager changes what belongs to their team (relations and activities whose representative is
  in the manager's team), and their own;
- a representative changes their own relations, and the activities they are the representative of or
  take part in.
The numbers of the dashboard and the reports follow the same lines: a representative sees their own, a
sales manager their team's, an administrator everyone's (visible_representatives).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

if TYPE_CHECKING:
    from django.db.models import QuerySet

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
    # all(): lists prefetch the participants, so asking for each row costs no query
    return any(p.pk == user.pk for p in activity.participants.all())


def can_add_activity_to(user: User, relation: Relation) -> bool:
    """Anyone may plan or record an action on any relation: a colleague may visit a customer too."""
    return user.is_authenticated


def assignable_representatives():
    """Anyone active may be made the representative of an activity, as the Douano page expects: the
    default is the relation's representative, who is often not the person recording the action."""
    from kadans.accounts.models import User

    return User.objects.filter(is_active=True)


def relation_read_filter(user: User, path: str = "") -> Q:
    """Which relations the user may list and read, as a filter on the relation itself or, with `path`, on
    a model that points to one (e.g. "relation" for activities and contacts): every relation for everyone
    logged in (an empty filter, so lists pay nothing for it), none otherwise."""
    if user.is_authenticated:
        return Q()
    return Q(**{f"{path}__in" if path else "pk__in": []})


def visible_relations(user: User) -> QuerySet[Relation]:
    """The relations the user may list and read (see relation_read_filter)."""
    from kadans.relations.models import Relation

    return Relation.objects.filter(relation_read_filter(user))


def visible_activities(user: User) -> QuerySet[Activity]:
    """The activities the user may list and read: those of the relations they may read."""
    from kadans.activities.models import Activity

    return Activity.objects.filter(relation_read_filter(user, "relation"))


def visible_representatives(user: User):
    """Whose numbers the user sees on the dashboard and in reports: an administrator everyone's, a sales
    manager those of the users in their team (themselves included), anyone else only their own."""
    from kadans.accounts.models import User

    if user.is_administrator:
        return User.objects.all()
    if user.is_manager and user.team_id is not None:
        return User.objects.filter(team_id=user.team_id)
    return User.objects.filter(pk=user.pk)


def visible_representatives_q(user: User, field: str):
    """A filter keeping the rows whose user at `field` (a lookup path, e.g. "representative") is one whose
    numbers `user` sees. Administrators get no filter at all, so their reports scan no subquery."""
    from django.db.models import Q

    if user.is_administrator:
        return Q()
    if user.is_manager and user.team_id is not None:
        return Q(**{f"{field}__in": visible_representatives(user).values("pk")})
    return Q(**{field: user.pk})
