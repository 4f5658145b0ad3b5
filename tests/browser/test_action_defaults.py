"""End to end in Chromium: the action form's script follows activity_defaults, the one documented rule
(explicit > type's default user > relation's representative > creator). Before, the page filled the
representative from the relation first, so a type's default user never applied in the browser."""

from playwright.sync_api import expect

from kadans.activities.models import Activity, ActivityType
from tests.factories import ActivityTypeFactory, RelationFactory, UserFactory

PASSWORD = "secret-pass-123"


def _pick_relation(page, name):
    page.fill("#relation-search", name)
    page.click("button[data-relation-id]")
    page.wait_for_selector("#id_contact", state="attached")


def test_a_types_default_user_applies_whether_the_type_or_the_relation_is_chosen_first(live_server, page, login):
    creator = UserFactory(username="mira", language="en")
    relation_rep = UserFactory(username="jonas")
    specialist = UserFactory(username="sara")
    RelationFactory(name="Brasserie Het Anker", representative=relation_rep)
    demo = ActivityTypeFactory(name="Demo", kind=ActivityType.Kind.MEETING, default_user=specialist,
                               default_summary="Product demo")
    login("mira", PASSWORD)

    page.goto(live_server.url + "/activities/new/")
    _pick_relation(page, "Anker")
    expect(page.locator("#id_representative")).to_have_value(str(relation_rep.pk))
    page.select_option("#id_type", label="Demo")
    expect(page.locator("#id_representative")).to_have_value(str(specialist.pk))
    expect(page.locator("#id_summary")).to_have_value("Product demo")
    assert not page.is_checked("#id_all_day")  # a meeting is timed

    # the other order: the type first, then the relation keeps the type's default user
    page.goto(live_server.url + "/activities/new/")
    page.select_option("#id_type", label="Demo")
    expect(page.locator("#id_representative")).to_have_value(str(specialist.pk))
    _pick_relation(page, "Anker")
    expect(page.locator("#id_representative")).to_have_value(str(specialist.pk))
    page.fill("#id_start_time", "10:00")
    with page.expect_navigation():
        page.click("#activity-form button[type=submit]")
    activity = Activity.objects.get(type=demo)
    assert (activity.representative_id, activity.created_by_id) == (specialist.pk, creator.pk)


def test_a_representative_the_user_chose_is_kept(live_server, page, login):
    UserFactory(username="mira", language="en")
    relation_rep = UserFactory(username="jonas")
    chosen = UserFactory(username="lien", first_name="Lien", last_name="Peeters")
    RelationFactory(name="Brasserie Het Anker", representative=relation_rep)
    ActivityTypeFactory(name="Demo", default_user=UserFactory(username="sara"))
    login("mira", PASSWORD)

    page.goto(live_server.url + "/activities/new/")
    page.select_option("#id_representative", label="Lien Peeters")
    _pick_relation(page, "Anker")
    expect(page.locator("#id_representative")).to_have_value(str(chosen.pk))
    page.select_option("#id_type", label="Demo")
    page.wait_for_timeout(300)  # the defaults answer arrives and must leave the choice alone
    assert page.input_value("#id_representative") == str(chosen.pk)
