"""activity_period and activity_create: stored period, links, defaults, participants, costs, done at creation."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from kadans.activities.models import Activity, CostLine
from kadans.activities.services import CostLineData, activity_period
from kadans.relations.models import BusinessStatus, Priority
from tests.factories import ActivityTypeFactory, ContactFactory, ProductFactory, UserFactory, make_activity
from tests.relations_support import NewStatusChanges

NOON = datetime.datetime(2026, 6, 10, 12, 0, tzinfo=datetime.UTC)

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
UTC = datetime.UTC
MAY_10 = datetime.date(2026, 5, 10)


# activity_period


def test_all_day_dates_are_stored_as_midnights_in_the_company_time_zone():
    start, end = activity_period(all_day=True, start=MAY_10, end=datetime.date(2026, 5, 12))
    assert start == datetime.datetime(2026, 5, 9, 22, 0, tzinfo=UTC)
    assert end == datetime.datetime(2026, 5, 11, 22, 0, tzinfo=UTC)


def test_all_day_end_defaults_to_the_start_day():
    start, end = activity_period(all_day=True, start=MAY_10)
    assert start == end == datetime.datetime(2026, 5, 10, tzinfo=BRUSSELS)


def test_all_day_midnights_follow_daylight_saving():
    start, end = activity_period(all_day=True, start=datetime.date(2026, 3, 28), end=datetime.date(2026, 3, 30))
    assert start == datetime.datetime(2026, 3, 27, 23, 0, tzinfo=UTC)  # CET, +1
    assert end == datetime.datetime(2026, 3, 29, 22, 0, tzinfo=UTC)  # CEST, +2


def test_all_day_takes_the_date_of_datetimes_given():
    start, _ = activity_period(all_day=True, start=datetime.datetime(2026, 5, 10, 15, 30))
    assert start == datetime.datetime(2026, 5, 10, tzinfo=BRUSSELS)


def test_timed_naive_start_is_read_in_the_current_time_zone():
    start, _ = activity_period(all_day=False, start=datetime.datetime(2026, 5, 10, 9, 0))
    assert start == datetime.datetime(2026, 5, 10, 7, 0, tzinfo=UTC)
    with timezone.override("America/New_York"):
        start, _ = activity_period(all_day=False, start=datetime.datetime(2026, 5, 10, 9, 0))
    assert start == datetime.datetime(2026, 5, 10, 13, 0, tzinfo=UTC)


def test_timed_aware_start_is_kept():
    given = datetime.datetime(2026, 5, 10, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Tokyo"))
    start, _ = activity_period(all_day=False, start=given)
    assert start == given


def test_timed_end_defaults_to_one_hour_after_the_start():
    start, end = activity_period(all_day=False, start=datetime.datetime(2026, 5, 10, 9, 0))
    assert end - start == datetime.timedelta(hours=1)


def test_timed_explicit_end_is_kept():
    _, end = activity_period(
        all_day=False, start=datetime.datetime(2026, 5, 10, 9, 0), end=datetime.datetime(2026, 5, 10, 11, 30)
    )
    assert end == datetime.datetime(2026, 5, 10, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("all_day", "start", "end"),
    [
        (True, MAY_10, datetime.date(2026, 5, 9)),
        (False, datetime.datetime(2026, 5, 10, 9, 0), datetime.datetime(2026, 5, 10, 8, 59)),
    ],
)
def test_end_before_start_is_refused_on_end(all_day, start, end):
    with pytest.raises(ValidationError) as exc:
        activity_period(all_day=all_day, start=start, end=end)
    assert "end" in exc.value.message_dict


# activity_create: links


def test_contact_of_another_relation_is_refused_and_nothing_saved(relation):
    with pytest.raises(ValidationError) as exc:
        make_activity(relation=relation, contact=ContactFactory())
    assert "contact" in exc.value.message_dict
    assert not Activity.objects.exists()


def test_contact_of_the_relation_is_accepted(relation):
    contact = ContactFactory(relation=relation)
    assert make_activity(relation=relation, contact=contact).contact == contact


def test_archived_type_is_refused(relation):
    with pytest.raises(ValidationError) as exc:
        make_activity(relation=relation, activity_type=ActivityTypeFactory(active=False))
    assert "type" in exc.value.message_dict
    assert not Activity.objects.exists()


def test_cancelled_status_is_refused_at_creation(relation):
    with pytest.raises(ValidationError) as exc:
        make_activity(relation=relation, status=Activity.Status.CANCELLED)
    assert "status" in exc.value.message_dict
    assert not Activity.objects.exists()


# activity_create: defaults from the type


def test_empty_summary_and_note_take_the_type_defaults(relation):
    activity_type = ActivityTypeFactory(default_summary="Bel terug", default_note="Vraag naar stalen")
    activity = make_activity(relation=relation, activity_type=activity_type)
    assert (activity.summary, activity.note) == ("Bel terug", "Vraag naar stalen")


def test_typed_summary_and_note_are_kept(relation):
    activity_type = ActivityTypeFactory(default_summary="Bel terug", default_note="Vraag naar stalen")
    activity = make_activity(relation=relation, activity_type=activity_type, summary="Mijn onderwerp", note="Mijn plan")
    assert (activity.summary, activity.note) == ("Mijn onderwerp", "Mijn plan")


# activity_create: participants and cost lines


def test_participants_are_stored_without_the_representative(relation, rep):
    colleague = UserFactory()
    activity = make_activity(relation=relation, participants=[rep, colleague])
    assert activity.representative == rep
    assert set(activity.participants.values_list("pk", flat=True)) == {colleague.pk}


def test_cost_line_with_product_and_no_price_takes_the_cost_price(relation):
    product = ProductFactory(cost_price=Decimal("2.40"))
    activity = make_activity(relation=relation, cost_lines=[CostLineData(product=product, quantity=Decimal("3"))])
    line = activity.cost_lines.get()
    assert line.unit_price == Decimal("2.40")
    assert line.total == Decimal("7.20")


def test_cost_line_explicit_price_is_kept(relation):
    product = ProductFactory(cost_price=Decimal("2.40"))
    activity = make_activity(relation=relation, cost_lines=[CostLineData(product=product, unit_price=Decimal("0"))])
    assert activity.cost_lines.get().unit_price == Decimal("0")


@pytest.mark.parametrize("quantity", [Decimal("0"), Decimal("-1")])
def test_cost_line_quantity_not_positive_is_refused_and_nothing_saved(relation, quantity):
    with pytest.raises(ValidationError):
        make_activity(
            relation=relation,
            cost_lines=[CostLineData(description="Lunch", quantity=quantity, unit_price=Decimal("10"))],
        )
    assert not Activity.objects.exists()
    assert not CostLine.objects.exists()


# activity_create: recorded as done


def test_done_at_creation_records_done_time_and_user(relation):
    creator = UserFactory()
    with time_machine.travel(NOON, tick=False):
        activity = make_activity(user=creator, relation=relation, status=Activity.Status.DONE)
    activity.refresh_from_db()
    assert (activity.done_by, activity.done_at) == (creator, NOON)


def test_planned_at_creation_has_no_done_time_and_changes_no_status(relation):
    new_changes = NewStatusChanges()
    activity = make_activity(
        relation=relation,
        new_status=BusinessStatus.objects.get(code="prospect"),
        new_priority=Priority.objects.get(name="A"),
    )
    assert (activity.done_at, activity.done_by) == (None, None)
    relation.refresh_from_db()
    assert relation.business_status.code == "lead"
    assert not new_changes().exists()


def test_done_at_creation_applies_new_status_and_priority_with_status_changes(relation):
    creator = UserFactory()
    lead = BusinessStatus.objects.get(code="lead")
    customer = BusinessStatus.objects.get(code="customer")
    a_priority = Priority.objects.get(name="A")
    new_changes = NewStatusChanges()
    activity = make_activity(
        user=creator, relation=relation, status=Activity.Status.DONE, new_status=customer, new_priority=a_priority
    )
    relation.refresh_from_db()
    assert (relation.business_status, relation.priority) == (customer, a_priority)
    changes = {c.field: c for c in new_changes(relation=relation)}
    assert set(changes) == {"status", "priority"}
    assert (changes["status"].from_status, changes["status"].to_status) == (lead, customer)
    assert (changes["priority"].from_priority, changes["priority"].to_priority) == (None, a_priority)
    for change in changes.values():
        assert (change.activity, change.user) == (activity, creator)


# the database itself


def test_database_refuses_end_before_start_when_the_service_is_bypassed(relation):
    activity = make_activity(relation=relation)
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.filter(pk=activity.pk).update(end=activity.start - datetime.timedelta(days=1))
