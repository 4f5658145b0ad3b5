"""Users and teams, to read: who the ids in relations and activities are."""

from typing import Literal

from django.db.models import Q
from ninja import Query, Router, Schema
from pydantic import Field

from kadans.accounts.models import Team, User
from kadans.api.common import Id, PageParams, Text100, get_or_404, page_of, paginate, responses

router = Router()

Role = Literal[tuple(User.Role.values)]


class UserOut(Schema):
    id: int
    username: str
    first_name: str
    last_name: str
    full_name: str
    email: str
    role: Role
    team: int | None
    is_active: bool
    is_administrator: bool


def user_out(user: User) -> dict:
    return {
        "id": user.pk, "username": user.username, "first_name": user.first_name, "last_name": user.last_name,
        "full_name": str(user), "email": user.email, "role": user.role, "team": user.team_id,
        "is_active": user.is_active, "is_administrator": user.is_administrator,
    }


class UserFilters(PageParams):
    q: Text100 = Field("", description="Search on username or name.")
    team: Id | None = None
    role: Role | None = None
    active: bool | None = None


def _users():
    return User.objects.order_by("first_name", "last_name", "username", "id")


@router.get("/users", response=responses({200: page_of(UserOut)}), summary="List users", tags=["users"])
def list_users(request, filters: Query[UserFilters]):
    qs = _users()
    if q := filters.q.strip():
        qs = qs.filter(Q(username__icontains=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q))
    if filters.team is not None:
        qs = qs.filter(team=filters.team)
    if filters.role is not None:
        qs = qs.filter(role=filters.role)
    if filters.active is not None:
        qs = qs.filter(is_active=filters.active)
    return paginate(qs, filters, user_out)


@router.get("/users/me", response=responses({200: UserOut}), summary="The caller", tags=["users"])
def get_me(request):
    return user_out(request.user)


@router.get("/users/{user_id}", response=responses({200: UserOut}, 404), summary="Get a user", tags=["users"])
def get_user(request, user_id: Id):
    return user_out(get_or_404(_users(), user_id, "user"))


class TeamOut(Schema):
    id: int
    name: str
    manager: int | None


def team_out(team: Team) -> dict:
    return {"id": team.pk, "name": team.name, "manager": team.manager_id}


@router.get("/teams", response=responses({200: page_of(TeamOut)}), summary="List sales teams", tags=["teams"])
def list_teams(request, filters: Query[PageParams]):
    return paginate(Team.objects.order_by("name", "id"), filters, team_out)


@router.get("/teams/{team_id}", response=responses({200: TeamOut}, 404), summary="Get a sales team", tags=["teams"])
def get_team(request, team_id: Id):
    return team_out(get_or_404(Team.objects.all(), team_id, "team"))
