"""Who may see and change what. Every page, the API, the calendar and the feeds ask these functions;
nothing else decides.

Everyone logged in reads every relation and its activities (a sales team shares its customers).
Changing is narrower:
- an administrator changes everything, and is the only one who changes settings;
- a sales manager changes what belongs to their team (relations and activities whose representative is
  in the manager's team), and their own;
- a representative changes their own relations, and the activities they are the representative of or
  take part in;
- nobody changes a cancelled activity: it stays in the history as it was.
The numbers of the dashboard and the reports follow the same lines: a representative sees their own, a
sales manager their team's, an administrator everyone's (visible_representatives).

The rules read only the attributes of the objects they are given (ids, role, team), and visibility comes
as `Q` filters for the caller's own queryset, so this module depends on the accounts models alone and
every app can ask it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Q, QuerySet

from kadans.accounts.models import Team, User

CANCELLED = "cancelled"  # Activity.Status.CANCELLED, named here so that this module imports no activity


def can_change_settings(user: User) -> bool:
    return user.is_authenticated and user.is_administrator


def _manages_team_of(user: User, owner_team_id: int | None) -> bool:
    return user.is_manager and user.team_id is not None and owner_team_id == user.team_id


def can_edit_relation(user: User, relation: Any) -> bool:
    """Administrators, the relation's representative, and the sales manager of that representative's team."""
    if not user.is_authenticated:
        return False
    if user.is_administrator or relation.representative_id == user.id:
        return True
    rep = relation.representative
    return rep is not None and _manages_team_of(user, rep.team_id)


def can_create_relation(user: User) -> bool:
    return user.is_authenticated


def can_add_activity_to(user: User, relation: Any) -> bool:
    """Anyone may plan or record an action on any relation: a colleague may visit a customer too. Applying
    a new business status or priority through it is another matter (can_edit_relation)."""
    return user.is_authenticated


def activity_edit_rule(user: User) -> Callable[..., bool]:
    """can_edit_activity for many activities at once, given as the values a list reads (no instances):
    `rule(status=…, representative_id=…, representative_team_id=…, participating=…)`. What depends on
    the user alone is decided once, here."""
    authenticated = user.is_authenticated
    everything, user_id = authenticated and user.is_administrator, user.pk
    team_id = user.team_id if authenticated and user.is_manager else None

    def rule(*, status: str, representative_id: int, representative_team_id: int | None,
             participating: bool) -> bool:
        if not authenticated or status == CANCELLED:
            return False
        if everything or representative_id == user_id:
            return True
        if team_id is not None and representative_team_id == team_id:
            return True
        return participating

    return rule


def can_edit_activity(user: User, activity: Any) -> bool:
    """Administrators, the representative, the sales manager of the representative's team and the
    participants change an activity, as long as it is not cancelled."""
    rule = activity_edit_rule(user)
    facts = {"status": activity.status, "representative_id": activity.representative_id,
             "representative_team_id": activity.representative.team_id}
    if rule(**facts, participating=False):
        return True
    # all(): lists prefetch the participants, so asking for each row costs no query
    return activity.status != CANCELLED and rule(
        **facts, participating=any(p.pk == user.pk for p in activity.participants.all()))


def assignable_representatives() -> QuerySet[User]:
    """Anyone active may be made the representative of an activity, as the Douano page expects: the
    default is the relation's representative, who is often not the person recording the action."""
    return User.objects.filter(is_active=True)


def relation_read_filter(user: User, path: str = "") -> Q:
    """Which relations the user may list and read, as a filter on the relation itself or, with `path`, on
    a model that points to one (e.g. "relation" for activities and contacts): every relation for everyone
    logged in (an empty filter, so lists pay nothing for it), none otherwise."""
    if user.is_authenticated:
        return Q()
    return Q(**{f"{path}__in" if path else "pk__in": []})


def activity_read_filter(user: User) -> Q:
    """Which activities the user may list and read, as a filter on activities: those of the relations they
    may read."""
    return relation_read_filter(user, "relation")


def can_view_audit_trail(user: User) -> bool:
    """Managers and administrators read the audit trail (who changed what); representatives do not."""
    return user.is_authenticated and (user.is_administrator or user.is_manager)


def can_view_team(user: User, team: Team) -> bool:
    """Administrators follow any team's calendar and feed; a sales manager follows their own team's."""
    if not user.is_authenticated:
        return False
    if user.is_administrator:
        return True
    return user.is_manager and (team.pk == user.team_id or team.manager_id == user.pk)


def viewable_teams(user: User) -> QuerySet[Team]:
    """The teams whose calendar the user may follow (can_view_team, as a query)."""
    if user.is_administrator:
        return Team.objects.all()
    if not user.is_manager:
        return Team.objects.none()
    return Team.objects.filter(Q(pk=user.team_id) | Q(manager=user))


def visible_representatives(user: User) -> QuerySet[User]:
    """Whose numbers the user sees on the dashboard and in reports: an administrator everyone's, a sales
    manager those of the users in their team (themselves included), anyone else only their own."""
    if user.is_administrator:
        return User.objects.all()
    if user.is_manager and user.team_id is not None:
        return User.objects.filter(team_id=user.team_id)
    return User.objects.filter(pk=user.pk)


def visible_representatives_q(user: User, field: str) -> Q:
    """A filter keeping the rows whose user at `field` (a lookup path, e.g. "representative") is one whose
    numbers `user` sees. Administrators get no filter at all, so their reports scan no subquery."""
    if user.is_administrator:
        return Q()
    if user.is_manager and user.team_id is not None:
        return Q(**{f"{field}__in": visible_representatives(user).values("pk")})
    return Q(**{field: user.pk})
