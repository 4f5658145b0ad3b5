"""Which relations and activities a user may list: every one for everyone logged in, none for anyone
else; the list selectors start from there (kadans.accounts.permissions)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from kadans.accounts.permissions import relation_read_filter
from kadans.activities.filters import ActivityFilterSet
from kadans.activities.selectors import activity_list, visible_activities
from kadans.relations.selectors import contact_list, relation_list, status_change_list, visible_relations
from tests.factories import ContactFactory, UserFactory, make_activity

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["representative", "manager", "administrator"])
def test_everyone_logged_in_may_list_every_relation_and_activity(relation, role):
    activity = make_activity(relation=relation)
    user = UserFactory(role=role)
    assert list(visible_relations(user)) == [relation]
    assert list(visible_activities(user)) == [activity]


def test_someone_not_logged_in_may_list_nothing(relation):
    make_activity(relation=relation)
    ContactFactory(relation=relation)
    anonymous = AnonymousUser()
    assert not visible_relations(anonymous).exists()
    assert not visible_activities(anonymous).exists()
    assert not relation_list(user=anonymous).exists()
    assert not contact_list(user=anonymous).exists()
    assert not status_change_list(user=anonymous).exists()
    assert not activity_list(user=anonymous).exists()


def test_the_filter_for_a_logged_in_user_adds_nothing_to_the_query(rep):
    assert relation_read_filter(rep, "relation") == relation_read_filter(rep)
    assert str(visible_relations(rep).query) == str(visible_relations(rep).model.objects.all().query)


def test_activity_list_involving_a_user_includes_what_they_take_part_in(rep, relation):
    other = UserFactory()
    own = make_activity(user=rep, relation=relation)
    joined = make_activity(user=other, relation=relation, representative=other, participants=[rep])
    make_activity(user=other, relation=relation, representative=other)
    filterset = ActivityFilterSet({"user": rep.pk}, queryset=activity_list(user=other))
    assert set(filterset.qs) == {own, joined}
