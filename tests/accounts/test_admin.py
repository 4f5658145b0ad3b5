"""Django's admin, where users and teams are managed: its forms render (their widgets are Django
templates of the admin's own)."""

import pytest

from kadans.accounts.models import Team

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", [
    "/admin/", "/admin/accounts/user/", "/admin/accounts/user/add/", "/admin/accounts/user/{admin}/change/",
    "/admin/accounts/team/add/", "/admin/accounts/team/{team}/change/",
])
def test_the_admin_pages_for_users_and_teams_render(admin_client, admin_user, path):
    team = Team.objects.create(name="Noord")
    response = admin_client.get(path.format(admin=admin_user.pk, team=team.pk))
    assert response.status_code == 200
