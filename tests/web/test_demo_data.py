import io

import pytest
from django.core.management import call_command

from kadans.accounts.models import Team, User
from kadans.activities.models import Activity, CostLine, Participation, Product
from kadans.relations.models import Contact, Relation, StatusChange
from kadans.web.demo import DEMO_PASSWORD, load_demo_data

pytestmark = pytest.mark.django_db


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (User, Team, Relation, Contact, Activity, CostLine, Participation, Product, StatusChange)
    }


@pytest.fixture
def demo(db):
    assert load_demo_data() is True


def test_demo_counts(demo):
    assert 45 <= Relation.objects.count() <= 55
    assert Activity.objects.count() >= 250
    assert Contact.objects.count() >= Relation.objects.count()
    assert Product.objects.filter(code="KAD-TR33", cost_price="1.10").exists()
    roles = {role: User.objects.filter(role=role).count() for role in User.Role.values}
    assert roles == {"administrator": 1, "manager": 2, "representative": 3}
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser and admin.check_password(DEMO_PASSWORD)
    assert set(User.objects.values_list("language", "time_zone")) == {("nl", "Europe/Brussels")}
    assert Team.objects.get(name="Oost-Vlaanderen").manager.username == "manager"
    assert Team.objects.get(name="Antwerpen").manager.username == "manager2"
    assert User.objects.get(username="rep3").team.name == "Antwerpen"
    # every representative has relations; all statuses and priorities are used
    assert set(Relation.objects.values_list("representative__username", flat=True)) == {"rep", "rep2", "rep3"}
    assert set(Relation.objects.values_list("business_status__code", flat=True)) == {
        "lead", "prospect", "customer", "lost"
    }
    assert set(Relation.objects.values_list("priority__name", flat=True)) == {"A", "B", "C"}
    # history: status changes made by done activities, dated in the past
    linked = StatusChange.objects.filter(activity__isnull=False)
    assert linked.filter(field="status").count() >= 20
    assert not linked.exclude(activity__status=Activity.Status.DONE).exists()
    for change in linked.select_related("activity")[:50]:
        assert change.at == change.activity.done_at
    statuses = set(Activity.objects.values_list("status", flat=True))
    assert statuses == {"done", "planned", "cancelled"}
    assert CostLine.objects.filter(product__isnull=False).exists()
    assert CostLine.objects.filter(product__isnull=True).exists()
    assert Participation.objects.exists()
    states = {a.state() for a in Activity.objects.filter(status=Activity.Status.PLANNED)}
    assert {"overdue", "planned"} <= states


def test_relation_status_matches_its_latest_change(demo):
    for relation in Relation.objects.all():
        changes = list(relation.status_changes.filter(field="status").order_by("at", "id"))
        assert changes, relation
        assert changes[-1].to_status_id == relation.business_status_id, relation
        previous = None
        for change in changes:  # each change starts where the previous one ended
            assert change.from_status_id == previous, relation
            previous = change.to_status_id
        priorities = relation.status_changes.filter(field="priority").order_by("-at", "-id")
        assert priorities.first().to_priority_id == relation.priority_id, relation


def test_second_load_creates_nothing(demo):
    before = _counts()
    out = io.StringIO()
    assert load_demo_data(stdout=out) is False
    assert "already loaded" in out.getvalue()
    assert _counts() == before


def test_command_prints_logins_each_time(db):
    for _ in range(2):
        out = io.StringIO()
        call_command("demo_data", stdout=out)
        text = out.getvalue()
        for username in ("admin", "manager", "rep", "rep2", "rep3", "manager2"):
            assert f"  {username} " in text
        assert DEMO_PASSWORD in text
    assert "already loaded" in text
    assert Relation.objects.filter(name="Café De Gouden Leeuw").count() == 1
