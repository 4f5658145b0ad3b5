"""End to end in Chromium: the Douano action flow, and the Odoo chaining flows."""

import datetime

from django.utils import timezone

from kadans.activities.models import Activity, ActivityType, Product
from kadans.relations.models import BusinessStatus
from tests.factories import ContactFactory, RelationFactory, UserFactory, make_activity

PASSWORD = "secret-pass-123"


def test_an_action_with_a_sample_is_completed_with_a_new_status_and_shows_in_the_history(live_server, page, login):
    rep = UserFactory(username="pieter", first_name="Pieter", last_name="Janssens", language="en")
    relation = RelationFactory(name="Café De Gouden Leeuw", representative=rep)
    ContactFactory(relation=relation, first_name="An", last_name="Claes")
    Product.objects.create(name="Kadans Tripel 33cl", cost_price="1.10")
    customer = BusinessStatus.objects.get(code="customer")
    login("pieter", PASSWORD)

    page.goto(live_server.url + "/activities/new/")
    page.fill("#relation-search", "Gouden")
    page.click("button[data-relation-id]")
    page.wait_for_selector("#id_contact option:has-text('An Claes')", state="attached")
    page.select_option("#id_contact", label="An Claes")
    assert page.input_value("#id_representative") == str(rep.pk)
    page.select_option("#id_type", label="To Do")
    page.fill("#id_summary", "Proeverij nieuwe tripel")
    page.fill("#id_note", "Stalen tonen aan de zaakvoerder")
    page.select_option("#id_new_status", label=str(customer))
    page.click("#add-cost-line")
    page.select_option("select[name='costs-0-product']", label="Kadans Tripel 33cl")
    assert page.input_value("input[name='costs-0-unit_price']") == "1.10"
    page.fill("input[name='costs-0-quantity']", "6")
    assert page.text_content("#cost-total").strip() == "6.60"
    with page.expect_navigation():
        page.click("#activity-form button[type=submit]")

    assert page.url.endswith(relation.get_absolute_url())
    activity = Activity.objects.get(relation=relation)
    assert activity.cost_lines.get().unit_price == activity.cost_lines.get().product.cost_price
    row = page.locator(f"#activity-row-{activity.pk}")
    row.locator("button.done-button").click()
    page.wait_for_selector(f"#activity-row-{activity.pk} .state-done")

    page.goto(live_server.url + relation.get_absolute_url())
    history = page.locator("#history")
    assert "Proeverij nieuwe tripel" in history.inner_text()
    assert "Kadans Tripel 33cl" in history.inner_text()
    assert f"Lead → {customer}" in history.inner_text().replace("\n", " ")
    assert page.text_content("#relation-status").strip() == str(customer)


def test_done_and_schedule_next_opens_the_form_with_the_suggestion(live_server, page, login):
    rep = UserFactory(username="lotte", language="en")
    relation = RelationFactory(representative=rep)
    email = ActivityType.objects.get(name="E-mail")  # suggests Call or Meeting, 2 days after the deadline
    due = timezone.localdate()
    activity = make_activity(user=rep, relation=relation, activity_type=email, start=due)
    login("lotte", PASSWORD)

    page.goto(live_server.url + "/activities/")
    row = page.locator(f"#activity-row-{activity.pk}")
    row.locator("summary").click()
    with page.expect_navigation():
        row.locator("button:has-text('Done & schedule next')").click()
    expected = due + datetime.timedelta(days=2)
    meeting = page.locator("a:has-text('Meeting')")
    assert expected.strftime("%Y") in meeting.inner_text()
    with page.expect_navigation():
        meeting.click()
    assert page.input_value("#id_type") == str(ActivityType.objects.get(name="Meeting").pk)
    assert page.input_value("#id_start_date") == expected.isoformat()
    assert not page.is_checked("#id_all_day")
    page.fill("#id_summary", "Demo op locatie")
    with page.expect_navigation():
        page.click("#activity-form button[type=submit]")

    follow_up = Activity.objects.get(previous=activity)
    assert (follow_up.type.name, follow_up.summary, follow_up.due_date) == ("Meeting", "Demo op locatie", expected)


def test_completing_a_triggering_activity_shows_the_triggered_one(live_server, page, login):
    rep = UserFactory(username="wout", language="en")
    relation = RelationFactory(representative=rep)
    call = ActivityType.objects.get(name="Call")  # triggers "Create quote" one day after completion
    activity = make_activity(user=rep, relation=relation, activity_type=call, start=timezone.localdate())
    login("wout", PASSWORD)

    page.goto(live_server.url + relation.get_absolute_url())
    page.locator(f"#activity-row-{activity.pk} button.done-button").click()
    page.wait_for_selector(f"#activity-row-{activity.pk} .state-done")
    page.goto(live_server.url + relation.get_absolute_url())
    quote = Activity.objects.get(previous=activity)
    assert quote.type.name == "Create quote"
    assert page.locator(f"#activity-row-{quote.pk}").is_visible()
