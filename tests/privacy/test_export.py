"""An administrator exports everything Kadans holds about a person: JSON, a readable page, documents."""

import io
import json
import zipfile

import pytest
from django.core.management import call_command

from kadans.audit.models import AuditEntry
from kadans.privacy import services
from kadans.relations.models import Relation
from tests.audit.audit_support import entries_for
from tests.factories import RelationFactory, UserFactory
from tests.privacy.privacy_support import EMAIL, NAME, PHONE, person_everywhere

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _open(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


def test_a_contacts_export_holds_their_data_in_json_and_html_and_their_documents(relation, rep):
    made = person_everywhere(relation, rep)
    admin = UserFactory(role="administrator")
    archive = _open(services.personal_data_export(subject=services.subject_for_contact(made["contact"]), user=admin))
    data = json.loads(archive.read("personal-data.json"))
    assert data["contacts"][0]["email"] == EMAIL and data["contacts"][0]["phone"] == PHONE
    assert [a["summary"] for a in data["activities"]] == [f"Call {NAME}"]
    assert data["activities"][0]["cost_lines"][0]["description"] == "Lunch with Vanderlinden"
    assert data["sent_emails"][0]["subject"] == f"Offerte voor {NAME}"
    assert data["signature_requests"][0]["signer_name"] == NAME
    assert any(e["changes"].get("phone") == ["", PHONE] for e in data["audit_trail"])
    page = archive.read("personal-data.html").decode()
    assert NAME in page and EMAIL in page
    files = [n for n in archive.namelist() if n.startswith("documents/")]
    assert len(files) == 3  # the link upload, the signature and its certificate; not the company's quote
    assert any(archive.read(n) == f"ID card of {NAME}".encode() for n in files)
    entry = entries_for(made["contact"]).filter(action=AuditEntry.Action.ACCESS).get()
    assert entry.actor_id == admin.pk and entry.additional_data == {"privacy": "exported"}


def test_a_person_relations_export_holds_the_relation_and_its_contacts(rep):
    person = RelationFactory(kind=Relation.Kind.PERSON, name="Marieke Goossens", street="Kouter 7")
    person_everywhere(person, rep)
    archive = _open(services.personal_data_export(subject=services.subject_for_relation(person), user=None))
    data = json.loads(archive.read("personal-data.json"))
    assert data["relation"]["street"] == "Kouter 7"
    assert data["contacts"][0]["last_name"] == "Vanderlinden"
    assert len([n for n in archive.namelist() if n.startswith("documents/")]) == 4  # all its documents


def test_the_command_writes_the_export(relation, rep, tmp_path):
    made = person_everywhere(relation, rep)
    out = tmp_path / "export.zip"
    call_command("kadans_gdpr", "export", "contact", str(made["contact"].pk), "--out", str(out))
    assert json.loads(_open(out.read_bytes()).read("personal-data.json"))["contacts"][0]["email"] == EMAIL
