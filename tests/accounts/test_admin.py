"""Django's admin, where users and teams are managed: its forms render (their widgets are Django
templates of the admin's own)."""

import pytest

from kadans.accounts.models import Team

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("path", "shows"), [
    ("/admin/", 'href="/admin/accounts/team/"'),
    ("/admin/accounts/user/", 'href="/admin/accounts/user/{admin}/change/"'),
    ("/admin/accounts/user/add/", 'name="username"'),
    ("/admin/accounts/user/{admin}/change/", 'name="username" value="admin"'),
    ("/admin/accounts/team/add/", 'name="name"'),
    ("/admin/accounts/team/{team}/change/", 'name="name" value="Noord"'),
])
def test_the_admin_pages_for_users_and_teams_render(admin_client, admin_user, path, shows):
    team = Team.objects.create(name="Noord")
    ids = {"admin": admin_user.pk, "team": team.pk}
    response = admin_client.get(path.format(**ids))
    assert response.status_code == 200
    assert shows.format(**ids) in response.content.decode()
