"""Only administrators export and erase personal data from the pages."""

import pytest
from django.test import Client

from kadans.relations.models import Contact
from tests.factories import ContactFactory, UserFactory

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_an_administrator_sees_the_link_and_the_page(relation):
    contact = ContactFactory(relation=relation)
    client = _client(UserFactory(role="administrator"))
    assert b'id="privacy-link"' in client.get(f"/relations/{relation.pk}/").content
    page = client.get(f"/privacy/relations/{relation.pk}/")
    assert page.status_code == 200
    assert f'id="privacy-contact-{contact.pk}"'.encode() in page.content
    assert b'id="privacy-relation"' not in page.content  # a company: its contacts one by one


@pytest.mark.parametrize("role", ["representative", "manager"])
def test_others_get_no_link_and_403(relation, role):
    contact = ContactFactory(relation=relation)
    client = _client(UserFactory(role=role))
    assert b"privacy-link" not in client.get(f"/relations/{relation.pk}/").content
    assert client.get(f"/privacy/relations/{relation.pk}/").status_code == 403
    assert client.get(f"/privacy/contact/{contact.pk}/export/").status_code == 403
    assert client.post(f"/privacy/contact/{contact.pk}/erase/", {"confirm": "on"}).status_code == 403
    assert Contact.objects.get(pk=contact.pk).email


def test_the_export_downloads_a_zip(relation):
    contact = ContactFactory(relation=relation)
    response = _client(UserFactory(role="administrator")).get(f"/privacy/contact/{contact.pk}/export/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response.content[:2] == b"PK"


def test_erasing_needs_the_confirmation(relation):
    contact = ContactFactory(relation=relation, email="keep@example.com")
    client = _client(UserFactory(role="administrator"))
    client.post(f"/privacy/contact/{contact.pk}/erase/", {})
    assert Contact.objects.get(pk=contact.pk).email == "keep@example.com"
    response = client.post(f"/privacy/contact/{contact.pk}/erase/", {"confirm": "on"})
    assert response.status_code == 302
    assert Contact.objects.get(pk=contact.pk).email == ""
