"""RelationFilterSet: the relation list's page, its CSV/XLSX export and the API list run the same filters,
so one query string gives the same rows in all three; bad values show on the page and are a 422 in the
API; the export links follow the filter bar's htmx changes."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kadans.relations.filters import RelationFilterSet
from kadans.relations.models import BusinessStatus, Relation
from tests.api_support import api_as
from tests.factories import ContactFactory, PriorityFactory, RelationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(rep):
    other = UserFactory(username="other")
    customer = BusinessStatus.objects.get(code="customer")
    a, b = PriorityFactory(name="A", order=1), PriorityFactory(name="B", order=2)
    rows = {
        "kroon": RelationFactory(name="De Kroon", city="Gent", representative=rep, priority=b),
        "anker": RelationFactory(name="Het Anker", city="Mechelen", representative=rep, business_status=customer,
                                 priority=a),
        "zwaan": RelationFactory(name="De Zwaan", city="Gentbrugge", representative=other, business_status=customer,
                                 priority=b),
        "mol": RelationFactory(name="Mol", city="Brugge", representative=other, priority=a),
    }
    ContactFactory(relation=rows["mol"], first_name="Griet", last_name="Gentenaar")
    return rows | {"customer": customer, "a": a, "rep": rep, "other": other}


def page_names(client, params) -> list[str]:
    response = client.get(reverse("relations:list"), params)
    assert response.status_code == 200
    return [r.name for r in response.context["page"]]


def csv_names(client, params) -> list[str]:
    response = client.get(reverse("integrations:export_relations", args=["csv"]), params)
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    return [row[1] for row in rows[1:]]


def xlsx_names(client, params) -> list[str]:
    response = client.get(reverse("integrations:export_relations", args=["xlsx"]), params)
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    return [row[1] for row in list(sheet.iter_rows(values_only=True))[1:]]


def api_names(api, params) -> list[str]:
    response = api.get("/relations", params)
    assert response.status_code == 200, response.json()
    return [Relation.objects.get(pk=item["id"]).name for item in response.json()["items"]]


QUERIES = [
    ({}, ["De Kroon", "De Zwaan", "Het Anker", "Mol"]),
    ({"q": "gent"}, ["De Kroon", "De Zwaan", "Mol"]),  # Mol by its contact's name
    ({"status": "customer"}, ["De Zwaan", "Het Anker"]),
    ({"priority": "a", "sort": "-name"}, ["Mol", "Het Anker"]),
    ({"representative": "rep", "sort": "city"}, ["De Kroon", "Het Anker"]),
    ({"q": "gent", "representative": "other", "sort": "-updated"}, ["Mol", "De Zwaan"]),
    ({"sort": "priority"}, ["Het Anker", "Mol", "De Kroon", "De Zwaan"]),
    ({"status": "999999"}, []),  # an id that names nothing matches nothing, everywhere
]


@pytest.mark.parametrize(("query", "expected"), QUERIES)
def test_one_query_string_gives_the_same_rows_on_the_page_the_exports_and_the_api(client, world, query, expected):
    params = {k: str(world[v].pk) if v in world else v for k, v in query.items()}
    client.force_login(world["rep"])
    api = api_as(world["rep"])
    assert page_names(client, params) == expected
    assert csv_names(client, params) == expected
    assert xlsx_names(client, params) == expected
    assert api_names(api, params) == expected


def test_the_filterset_orders_by_name_when_no_sort_is_given(world):
    names = [r.name for r in RelationFilterSet(None, queryset=Relation.objects.all()).qs]
    assert names == ["De Kroon", "De Zwaan", "Het Anker", "Mol"]


def test_a_bad_value_shows_its_message_on_the_page_and_the_other_filters_still_apply(client, world):
    client.force_login(world["rep"])
    response = client.get(reverse("relations:list"), {"status": "abc", "q": "kroon"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert [r.name for r in response.context["page"]] == ["De Kroon"]


def test_an_export_with_a_bad_value_is_refused(client, world):
    client.force_login(world["rep"])
    response = client.get(reverse("integrations:export_relations", args=["csv"]), {"priority": "x"})
    assert response.status_code == 400
    assert "priority" in response.text


@pytest.mark.parametrize("params", [{"status": "abc"}, {"sort": "city; drop"}, {"q": "x" * 101}])
def test_the_api_answers_422_with_a_message(world, params):
    response = api_as(world["rep"]).get("/relations", params)
    assert response.status_code == 422
    assert response.json()["detail"]


def test_the_filter_bar_looks_as_before(client, world):
    client.force_login(world["rep"])
    html = client.get(reverse("relations:list"), {"sort": "city"}).content.decode()
    for name in ("q", "status", "priority", "representative", "sort"):
        assert f'name="{name}"' in html
    assert '<option value="city" selected>City</option>' in html
    assert '<option value="" selected>---------</option>' in html  # status, priority, representative


def test_an_htmx_filter_change_updates_the_export_links(client, world):
    """Issue 17: the CSV/XLSX links carried the page's first query string until a reload."""
    client.force_login(world["rep"])
    response = client.get(reverse("relations:list"), {"q": "gent", "sort": "city"},
                          HTTP_HX_REQUEST="true", HTTP_HX_TARGET="relation-table")
    html = response.content.decode()
    assert "<html" not in html and 'id="relation-table"' in html
    assert 'id="relation-exports" hx-swap-oob="true"' in html
    for fmt in ("csv", "xlsx"):
        assert f'{reverse("integrations:export_relations", args=[fmt])}?q=gent&amp;sort=city' in html
    # the full page has the links once, not swapped out of band
    page = client.get(reverse("relations:list"), {"q": "gent"}).content.decode()
    assert page.count('id="relation-exports"') == 1 and "hx-swap-oob" not in page
    assert f'{reverse("integrations:export_relations", args=["csv"])}?q=gent"' in page


def test_the_contact_list_of_the_api_filters_by_relation_and_name(world):
    api = api_as(world["rep"])
    ContactFactory(relation=world["kroon"], first_name="Jan", last_name="Peeters", email="jan@kroon.be")
    ContactFactory(relation=world["kroon"], first_name="An", last_name="Claes", email="an@kroon.be")
    items = api.get("/contacts", {"relation": world["kroon"].pk}).json()["items"]
    assert [c["last_name"] for c in items] == ["Claes", "Peeters"]
    assert [c["last_name"] for c in api.get("/contacts", {"q": "gentenaar"}).json()["items"]] == ["Gentenaar"]
    assert api.get("/contacts", {"relation": 0}).status_code == 422
