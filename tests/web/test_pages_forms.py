"""The pages' forms: bad input shows an error on the field and saves nothing; good input does what the
page promises. Also the relation list's search, filters, sort and pages, and the user's language."""

from decimal import Decimal

import pytest

from kadans.activities.models import Activity, ActivityType, CostLine, Product
from kadans.activities.services import CostLineData
from kadans.relations.models import BusinessStatus, Contact, Priority, Relation, StatusChange
from tests.factories import (
    ActivityTypeFactory,
    ContactFactory,
    ProductFactory,
    RelationFactory,
    UserFactory,
    make_activity,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return UserFactory(language="en")


@pytest.fixture
def own_relation(user):
    return RelationFactory(representative=user)


@pytest.fixture
def todo_type():
    return ActivityTypeFactory(chaining=ActivityType.Chaining.NONE)


@pytest.fixture
def logged_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(role="administrator", language="en"))
    return client


def _status(code: str) -> BusinessStatus:
    return BusinessStatus.objects.get(code=code)


def action_data(relation, activity_type, /, *lines, **fields):
    """What the action form posts; a field given as None is left out."""
    data = {
        "relation": relation.pk,
        "type": activity_type.pk,
        "status": "planned",
        "start_date": "2030-05-06",
        "all_day": "on",
        "summary": "Proeverij nieuwe tripel",
        "costs-TOTAL_FORMS": str(len(lines)),
        "costs-INITIAL_FORMS": "0",
        "costs-MIN_NUM_FORMS": "0",
        "costs-MAX_NUM_FORMS": "50",
    }
    for i, line in enumerate(lines):
        data.update({f"costs-{i}-{name}": value for name, value in line.items()})
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def _messages(response) -> list[str]:
    return [f"{m.level_tag}: {m}" for m in response.context["messages"]]


# -- bad input ----------------------------------------------------------------------------------------------


def test_a_relation_without_name_shows_an_error_and_saves_nothing(logged_in, user):
    response = logged_in.post(
        "/relations/new/",
        {
            "kind": "company",
            "name": "",
            "country": "BE",
            "business_status": _status("lead").pk,
            "representative": user.pk,
        },
    )
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert not Relation.objects.exists()


def test_a_contact_without_last_name_shows_an_error_and_saves_nothing(logged_in, own_relation):
    response = logged_in.post(f"/relations/{own_relation.pk}/contacts/new/", {"first_name": "Jan", "last_name": ""})
    assert response.status_code == 200
    assert "last_name" in response.context["form"].errors
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"type": None}, "type"),
        ({"start_date": None}, "start_date"),
        ({"start_date": "2030-05-06", "end_date": "2030-05-05"}, "end_date"),
        ({"all_day": None, "start_time": ""}, "start_time"),
        ({"all_day": None, "start_time": "14:00", "end_time": "13:00"}, "end_date"),
        ({"relation": "999999"}, "relation"),
    ],
    ids=[
        "missing-type",
        "missing-start-date",
        "end-before-start",
        "timed-without-start-time",
        "timed-end-before-start",
        "unknown-relation",
    ],
)
def test_a_bad_action_shows_a_field_error_and_saves_nothing(logged_in, own_relation, todo_type, fields, error_field):
    response = logged_in.post("/activities/new/", action_data(own_relation, todo_type, **fields))
    assert response.status_code == 200
    assert error_field in response.context["form"].errors
    assert not Activity.objects.exists()


def test_an_action_with_a_contact_of_another_relation_shows_an_error_on_contact(logged_in, own_relation, todo_type):
    stranger = ContactFactory()
    response = logged_in.post("/activities/new/", action_data(own_relation, todo_type, contact=stranger.pk))
    assert response.status_code == 200
    assert "contact" in response.context["form"].errors
    assert not Activity.objects.exists()


def test_an_action_with_a_non_numeric_relation_shows_an_error(logged_in, own_relation, todo_type):
    response = logged_in.post("/activities/new/", action_data(own_relation, todo_type, relation="abc"))
    assert response.status_code == 200
    assert "relation" in response.context["form"].errors


@pytest.mark.parametrize(
    ("line", "error_field"),
    [
        ({"description": "Glazen", "quantity": "0", "unit_price": "2.00"}, "quantity"),
        ({"description": "Glazen", "quantity": "1", "unit_price": "-2.00"}, "unit_price"),
        ({"description": "", "product": "", "quantity": "2", "unit_price": "2.00"}, "__all__"),
    ],
    ids=["zero-quantity", "negative-price", "no-description-nor-product"],
)
def test_a_bad_cost_line_shows_an_error_and_saves_nothing(logged_in, own_relation, todo_type, line, error_field):
    response = logged_in.post("/activities/new/", action_data(own_relation, todo_type, line))
    assert response.status_code == 200
    assert error_field in response.context["formset"].forms[0].errors
    assert not Activity.objects.exists()
    assert not CostLine.objects.exists()


ACTION_TYPE = {
    "name": "Proeverij",
    "kind": "todo",
    "color": "#112233",
    "order": "0",
    "active": "on",
    "delay_count": "0",
    "delay_unit": "days",
    "delay_from": "completion",
}


@pytest.mark.parametrize(
    ("slug", "data", "error_field"),
    [
        ("action-types", {**ACTION_TYPE, "chaining": "trigger"}, "triggered_type"),
        ("action-types", {**ACTION_TYPE, "chaining": "suggest"}, "suggested_types"),
        ("statuses", {"name": "Twijfel", "code": "twijfel", "order": "5", "is_won": "on", "is_lost": "on"}, "__all__"),
        ("products", {"name": "Gratis bak", "code": "", "cost_price": "-1.00", "active": "on"}, "cost_price"),
    ],
    ids=["trigger-without-type", "suggest-without-types", "won-and-lost", "negative-cost-price"],
)
def test_a_bad_setting_shows_an_error_and_saves_nothing(admin_client, slug, data, error_field):
    model = {"action-types": ActivityType, "statuses": BusinessStatus, "products": Product}[slug]
    count = model.objects.count()
    response = admin_client.post(f"/settings/{slug}/new/", data)
    assert response.status_code == 200
    assert error_field in response.context["form"].errors
    assert model.objects.count() == count


# -- good input ---------------------------------------------------------------------------------------------


def test_creating_a_relation_records_its_first_status(logged_in, user):
    response = logged_in.post(
        "/relations/new/",
        {
            "kind": "company",
            "name": "Brouwerij Het Anker",
            "country": "BE",
            "business_status": _status("lead").pk,
            "representative": user.pk,
        },
    )
    relation = Relation.objects.get()
    assert response.status_code == 302
    assert response.url == f"/relations/{relation.pk}/"
    change = StatusChange.objects.get(relation=relation)
    assert (change.from_status, change.to_status, change.user) == (None, _status("lead"), user)


def test_a_product_cost_line_without_price_takes_the_products_cost_price(logged_in, own_relation, todo_type):
    product = ProductFactory(cost_price=Decimal("3.40"))
    line = {"description": "", "product": product.pk, "quantity": "2", "unit_price": ""}
    response = logged_in.post("/activities/new/", action_data(own_relation, todo_type, line))
    assert response.status_code == 302
    cost_line = CostLine.objects.get()
    assert (cost_line.product, cost_line.quantity, cost_line.unit_price) == (product, 2, Decimal("3.40"))


def test_a_done_action_with_a_new_status_changes_the_relation_and_shows_in_its_history(
    logged_in, own_relation, todo_type
):
    prospect = _status("prospect")
    data = action_data(own_relation, todo_type, status="done", new_status=prospect.pk, start_date="2024-03-01")
    assert logged_in.post("/activities/new/", data).status_code == 302
    own_relation.refresh_from_db()
    assert own_relation.business_status == prospect
    response = logged_in.get(f"/relations/{own_relation.pk}/")
    history = response.context["history"]
    assert {e.kind for e in history} == {"activity", "change"}
    assert "Proeverij nieuwe tripel" in response.text
    assert f"<strong>{prospect.name}</strong>" in response.text


def test_editing_an_action_saves_the_changes(logged_in, user, own_relation, todo_type):
    activity = make_activity(user=user, relation=own_relation, activity_type=todo_type, summary="Oud")
    data = action_data(own_relation, todo_type, summary="Nieuw", start_date="2030-06-01", note="Meenemen: glazen")
    response = logged_in.post(f"/activities/{activity.pk}/edit/", data)
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.summary, activity.note, activity.due_date.isoformat()) == (
        "Nieuw",
        "Meenemen: glazen",
        "2030-06-01",
    )


def test_done_from_htmx_returns_the_activity_row(logged_in, user, own_relation, todo_type):
    activity = make_activity(user=user, relation=own_relation, activity_type=todo_type)
    response = logged_in.post(f"/activities/{activity.pk}/complete/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f'id="activity-row-{activity.pk}"' in response.text
    assert "<html" not in response.text
    activity.refresh_from_db()
    assert activity.status == Activity.Status.DONE


def test_a_row_answered_to_htmx_looks_like_the_list_it_came_from(logged_in, user, own_relation, todo_type):
    """From "my activities" the row keeps its relation column; from the relation's page it has none. Its
    forms return to the page it is on (HX-Current-URL), not to the URL that answered it."""
    first = make_activity(user=user, relation=own_relation, activity_type=todo_type)
    second = make_activity(user=user, relation=own_relation, activity_type=todo_type)
    relation_url = f"http://testserver/relations/{own_relation.pk}/"

    from_list = logged_in.post(f"/activities/{first.pk}/reschedule/", {"by": "1d"}, HTTP_HX_REQUEST="true",
                               HTTP_HX_CURRENT_URL="http://testserver/activities/?period=week").text
    assert f'href="/relations/{own_relation.pk}/"' in from_list
    assert 'name="next" value="/activities/?period=week"' in from_list

    from_relation = logged_in.post(f"/activities/{second.pk}/reschedule/", {"by": "1d"}, HTTP_HX_REQUEST="true",
                                   HTTP_HX_CURRENT_URL=relation_url).text
    assert f'href="/relations/{own_relation.pk}/"' not in from_relation
    assert f'name="next" value="/relations/{own_relation.pk}/"' in from_relation


def test_completing_twice_warns_and_records_one_status_change(logged_in, user, own_relation, todo_type):
    activity = make_activity(user=user, relation=own_relation, activity_type=todo_type, new_status=_status("prospect"))
    before = StatusChange.objects.filter(relation=own_relation).count()
    first = logged_in.post(f"/activities/{activity.pk}/complete/", follow=True)
    second = logged_in.post(f"/activities/{activity.pk}/complete/", follow=True)
    assert any(m.startswith("success:") for m in _messages(first))
    assert any(m.startswith("warning:") for m in _messages(second))
    assert StatusChange.objects.filter(relation=own_relation).count() == before + 1


def test_deleting_a_product_in_use_keeps_it_and_says_so(admin_client, user, own_relation, todo_type):
    product = ProductFactory(name="Proefglas")
    make_activity(user=user, relation=own_relation, activity_type=todo_type, cost_lines=[CostLineData(product=product)])
    response = admin_client.post(f"/settings/products/{product.pk}/delete/", follow=True)
    assert response.status_code == 200
    assert Product.objects.filter(pk=product.pk).exists()
    assert any(m.startswith("error:") and "Proefglas" in m for m in _messages(response))


# -- the relation list --------------------------------------------------------------------------------------


def _names(response) -> list[str]:
    assert response.status_code == 200
    return [r.name for r in response.context["page"]]


@pytest.fixture
def listed(user):
    other = UserFactory()
    anker = RelationFactory(
        name="Het Anker",
        city="Mechelen",
        representative=user,
        business_status=_status("customer"),
        priority=Priority.objects.get(name="A"),
    )
    zeta = RelationFactory(
        name="Zeta Bar", city="Antwerpen", representative=other, priority=Priority.objects.get(name="B")
    )
    ContactFactory(relation=zeta, first_name="Els", last_name="Vermeulen")
    return {"anker": anker, "zeta": zeta, "other": other}


@pytest.mark.parametrize(
    ("q", "expected"),
    [("anker", ["Het Anker"]), ("antw", ["Zeta Bar"]), ("vermeul", ["Zeta Bar"])],
    ids=["name", "city", "contact-name"],
)
def test_relation_list_searches_name_city_and_contact(logged_in, listed, q, expected):
    assert _names(logged_in.get("/relations/", {"q": q})) == expected


def test_relation_list_filters_on_status_priority_and_representative(logged_in, user, listed):
    assert _names(logged_in.get("/relations/", {"status": _status("customer").pk})) == ["Het Anker"]
    assert _names(logged_in.get("/relations/", {"priority": Priority.objects.get(name="B").pk})) == ["Zeta Bar"]
    assert _names(logged_in.get("/relations/", {"representative": listed["other"].pk})) == ["Zeta Bar"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Het Anker", "Zeta Bar"]),
        ("-name", ["Zeta Bar", "Het Anker"]),
        ("city", ["Zeta Bar", "Het Anker"]),
        ("status", ["Zeta Bar", "Het Anker"]),
        ("priority", ["Het Anker", "Zeta Bar"]),
    ],
)
def test_relation_list_sorts(logged_in, listed, sort, expected):
    assert _names(logged_in.get("/relations/", {"sort": sort})) == expected


def test_relation_list_shows_the_second_page(logged_in):
    for i in range(26):
        RelationFactory(name=f"Relatie {i:02}")
    assert _names(logged_in.get("/relations/", {"page": 2})) == ["Relatie 25"]


@pytest.mark.parametrize(
    "query",
    [
        {"status": "abc"},
        {"representative": "x"},
        {"sort": "evil"},
        {"page": "999"},
        {"page": "abc"},
    ],
)
def test_relation_list_ignores_invalid_filter_values(logged_in, listed, query):
    # the whole list, as without the value (a page past the end shows the last page)
    assert _names(logged_in.get("/relations/", query)) == ["Het Anker", "Zeta Bar"]


def test_relation_list_filtered_on_an_id_that_names_nothing_shows_nothing(logged_in, listed):
    """As the API does (kadans.core.filters.IdChoiceFilter): the id is filtered on, not looked up first."""
    assert _names(logged_in.get("/relations/", {"priority": "999999"})) == []


@pytest.mark.parametrize("page", ["abc", "999"])
def test_my_activities_ignore_an_invalid_page(logged_in, user, page):
    mine = make_activity(user=user, relation=RelationFactory(representative=user))
    response = logged_in.get("/activities/", {"page": page})
    assert response.status_code == 200
    assert [row.pk for row in response.context["page"]] == [mine.pk]  # the first (and last) page


def test_the_action_form_ignores_an_invalid_relation(logged_in, listed):
    response = logged_in.get("/activities/new/", {"relation": "abc"})
    assert response.status_code == 200
    assert "relation" not in response.context["form"].initial


def test_relation_list_for_htmx_returns_only_the_table(logged_in, listed):
    response = logged_in.get("/relations/", {"q": "zeta"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="relation-table")
    assert response.status_code == 200
    assert 'id="relation-table"' in response.text
    assert "<html" not in response.text


# -- language -----------------------------------------------------------------------------------------------


def test_an_english_user_sees_english(client, settings):
    settings.LANGUAGE_CODE = "nl"  # the site's default is Dutch; the user's own language wins
    client.force_login(UserFactory(language="en"))
    response = client.get("/activities/", headers={"Accept-Language": "nl"})
    assert "<h1>My activities" in response.text
    assert "Mijn acties" not in response.text


@pytest.mark.parametrize("language", ["en", "nl"])
def test_pages_are_served_in_the_users_language(client, language):
    client.force_login(UserFactory(language=language))
    response = client.get("/activities/")
    assert response.headers["Content-Language"] == language
    assert response.wsgi_request.LANGUAGE_CODE == language
