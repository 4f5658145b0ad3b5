"""The Changes panel of a relation's page loads its changes when a manager opens it."""

import pytest
from playwright.sync_api import expect

from kadans.relations.services import relation_update
from tests.factories import RelationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_opening_the_panel_shows_the_relations_changes(page, live_server, login):
    manager = UserFactory(username="boss", role="manager")
    relation = RelationFactory(city="Gent")
    relation_update(relation=relation, user=manager, city="Kortrijk")
    login("boss", "secret-pass-123")
    page.goto(f"{live_server.url}/relations/{relation.pk}/")
    page.click("#audit-changes-panel summary")
    expect(page.locator("#audit-changes table")).to_contain_text("Kortrijk")
    expect(page.locator("#audit-changes table")).to_contain_text("Gent")
