"""Test data. Plain reference rows (users, teams, statuses, types, products) are made through the models;
relations, contacts and activities through the real services, so a row made here is what the app makes
(a relation has its first status change, a contact is validated, an activity has its participation)."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from kadans.accounts.models import Team, User
from kadans.activities.models import ActivityType, Product
from kadans.activities.services import activity_create
from kadans.relations.models import BusinessStatus, Contact, Priority, Relation
from kadans.relations.services import contact_create, relation_create


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    role = User.Role.REPRESENTATIVE
    password = factory.PostGenerationMethodCall("set_password", "secret-pass-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class BusinessStatusFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BusinessStatus
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"status-{n}")
    name = factory.LazyAttribute(lambda s: s.code.title())
    order = factory.Sequence(int)


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Priority
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"P{n}")
    order = factory.Sequence(int)


class RelationFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Café De Kroon {n}")
    city = "Gent"
    representative = factory.SubFactory(UserFactory)
    business_status = factory.LazyFunction(lambda: BusinessStatus.objects.get(code="lead"))

    class Meta:
        model = Relation

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """Through relation_create, as the pages and the API create relations: its representative
        creates it, and its first status is recorded as a change from nothing."""
        return relation_create(user=kwargs.get("representative"), **kwargs)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    relation = factory.SubFactory(RelationFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"contact{n}@example.com")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """Through contact_create, as the pages and the API create contacts."""
        return contact_create(**kwargs)


class ActivityTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityType

    name = factory.Sequence(lambda n: f"Type {n}")
    kind = ActivityType.Kind.TODO


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    name = factory.Sequence(lambda n: f"Tripel 33cl sample {n}")
    cost_price = Decimal("1.25")


def make_activity(*, user=None, relation=None, activity_type=None, start=None, **kwargs):
    """An activity made through activity_create, as the app makes them."""
    relation = relation or RelationFactory()
    user = user or relation.representative or UserFactory()
    activity_type = activity_type or ActivityTypeFactory()
    start = start or timezone.localdate() + datetime.timedelta(days=1)
    return activity_create(user=user, relation=relation, activity_type=activity_type, start=start, **kwargs)
