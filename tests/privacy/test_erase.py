"""Erasing a contact or a person-relation leaves nothing personal in the database or the media folder,
and keeps the activities and cost lines for the reports."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from kadans.activities.models import Activity, CostLine
from kadans.audit.models import AuditEntry
from kadans.documents.models import Document
from kadans.privacy import services
from kadans.relations.models import Contact, Relation
from tests.audit.audit_support import entries_for
from tests.factories import RelationFactory, UserFactory
from tests.privacy.privacy_support import everything_stored, found, person_everywhere

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def admin():
    return UserFactory(role="administrator")


def test_the_person_is_everywhere_before_erasure(relation, rep, media):
    person_everywhere(relation, rep)
    assert found(everything_stored(media)) == ["Vanderlinden", "hendrik.vanderlinden@example.org",
                                               "+32 470 98 76 54"]


def test_after_erasing_a_contact_nothing_personal_remains(relation, rep, media, admin):
    made = person_everywhere(relation, rep)
    services.personal_data_erase(subject=services.subject_for_contact(made["contact"]), user=admin)
    assert found(everything_stored(media)) == []


def test_erasing_a_contact_keeps_its_activities_and_cost_lines_without_the_person(relation, rep, media, admin):
    made = person_everywhere(relation, rep)
    services.personal_data_erase(subject=services.subject_for_contact(made["contact"]), user=admin)
    activity = Activity.objects.get(pk=made["activity"].pk)
    assert activity.contact_id is None
    assert activity.type_id == made["activity"].type_id and activity.representative_id == rep.pk
    line = CostLine.objects.get(activity=activity)
    assert line.quantity * line.unit_price == Decimal("37.00")
    assert Contact.objects.get(pk=made["contact"].pk).email == ""
    # the person's documents are gone from storage; the quote they were asked to sign is the company's
    assert set(Document.objects.filter(activity=activity).values_list("pk", flat=True)) == {made["quote"].pk}
    assert not (media / made["upload"].file.name).exists()
    assert (media / made["quote"].file.name).exists()


def test_the_erasure_is_recorded_in_the_audit_trail_without_the_values(relation, rep, media, admin):
    made = person_everywhere(relation, rep)
    services.personal_data_erase(subject=services.subject_for_contact(made["contact"]), user=admin)
    entry = entries_for(made["contact"]).last()
    assert entry.actor_id == admin.pk
    assert entry.additional_data["privacy"] == "erased"
    assert set(entry.changes) >= {"first_name", "last_name", "email", "phone"}
    assert entry.relation_id == relation.pk


def test_after_erasing_a_person_relation_nothing_personal_remains(rep, media, admin):
    person = RelationFactory(kind=Relation.Kind.PERSON, name="Marieke Goossens", representative=rep,
                             email="marieke@goossens.example", phone="+32 9 555 12 12", street="Kouter 7",
                             notes="Marieke Goossens prefers mornings")
    made = person_everywhere(person, rep, first="Marieke", last="Goossens", email="marieke@goossens.example",
                             phone="+32 9 555 12 12")
    services.personal_data_erase(subject=services.subject_for_relation(person), user=admin)
    secrets = ["Goossens", "marieke@goossens.example", "+32 9 555 12 12", "Kouter 7"]
    assert found(everything_stored(media), secrets) == []
    assert Activity.objects.filter(pk=made["activity"].pk, relation=person).exists()
    assert CostLine.objects.filter(activity_id=made["activity"].pk).count() == 1
    assert not Document.objects.filter(activity__relation=person).exists()
    assert AuditEntry.objects.filter(additional_data__privacy="erased", object_id=person.pk).exists()


def test_a_company_relation_cannot_be_erased_as_a_person(relation):
    with pytest.raises(services.ValidationError):
        services.subject_for_relation(relation)


def test_the_command_erases_only_when_told_yes(relation, rep, media):
    made = person_everywhere(relation, rep)
    with pytest.raises(CommandError, match="--yes"):
        call_command("kadans_gdpr", "erase", "contact", str(made["contact"].pk))
    assert Contact.objects.get(pk=made["contact"].pk).email
    call_command("kadans_gdpr", "erase", "contact", str(made["contact"].pk), "--yes")
    assert found(everything_stored(media)) == []
