"""Who made a change: the request's user, an API token's user, the user a command imports as."""

import pytest
from django.test import Client

from kadans.accounts.services import token_create
from kadans.integrations.importer import run_import
from kadans.relations.models import Relation
from tests.api_support import ApiClient
from tests.audit.audit_support import entries_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_page_change_is_put_on_the_logged_in_user(relation, rep):
    client = Client()
    client.force_login(rep)
    response = client.post(f"/relations/{relation.pk}/edit/", {
        "kind": "company", "name": "Nieuwe naam", "country": "BE", "representative": rep.pk,
        "business_status": relation.business_status_id,
    })
    assert response.status_code == 302, response.content
    entry = entries_for(relation).last()
    assert entry.changes["name"][1] == "Nieuwe naam"
    assert entry.actor_id == rep.pk


def test_an_api_token_change_is_put_on_the_tokens_user(relation, rep):
    _token, secret = token_create(user=rep, name="script")
    response = ApiClient(secret).patch(f"/relations/{relation.pk}", {"city": "Aalst"})
    assert response.status_code == 200, response.content
    entry = entries_for(relation).last()
    assert entry.changes["city"] == ["Gent", "Aalst"]
    assert entry.actor_id == rep.pk
    assert entry.actor_email == rep.email


def test_an_import_without_a_request_is_put_on_the_importing_user():
    admin = UserFactory(role="administrator")
    report = run_import(kind="relations", header=["name"], rows=[["Brouwerij Het Anker"]],
                        mapping={"name": "name"}, user=admin, dry_run=False)
    assert report.ok, report.as_dict()
    entries = entries_for(Relation.objects.get(name="Brouwerij Het Anker"))
    assert entries.exists()
    assert {e.actor_id for e in entries} == {admin.pk}


def test_after_a_request_later_work_is_not_put_on_its_user(relation, rep):
    client = Client()
    client.force_login(rep)
    client.get(f"/relations/{relation.pk}/")
    relation.city = "Lokeren"
    relation.save()
    assert entries_for(relation).last().actor_id is None
