"""Every list exports as CSV and XLSX: relations (with the page's filters), my activities, products."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kadans.relations.models import BusinessStatus
from tests.factories import ProductFactory, RelationFactory, make_activity

pytestmark = pytest.mark.django_db


def csv_rows(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def xlsx_rows(response):
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_relation_list_exports_with_its_filters(client, rep):
    RelationFactory(name="Café Gent", city="Gent", representative=rep)
    RelationFactory(name="Café Brugge", city="Brugge", representative=rep,
                    business_status=BusinessStatus.objects.get(code="customer"))
    client.force_login(rep)
    response = client.get(reverse("integrations:export_relations", args=["csv"]), {"q": "Gent"})
    assert response["Content-Disposition"] == 'attachment; filename="relations.csv"'
    rows = csv_rows(response)
    assert len(rows) == 2 and rows[1][1] == "Café Gent"
    response = client.get(reverse("integrations:export_relations", args=["xlsx"]))
    rows = xlsx_rows(response)
    assert [r[1] for r in rows[1:]] == ["Café Brugge", "Café Gent"]


def test_my_activities_export(client, rep, relation):
    make_activity(user=rep, relation=relation, summary="Bel terug")
    client.force_login(rep)
    rows = csv_rows(client.get(reverse("integrations:export_my_activities", args=["csv"])))
    assert len(rows) == 2 and "Bel terug" in rows[1]
    rows = xlsx_rows(client.get(reverse("integrations:export_my_activities", args=["xlsx"]), {"period": "overdue"}))
    assert len(rows) == 1


def test_products_export_and_an_unknown_format_is_not_found(client, rep):
    ProductFactory(name="Tripel", code="T33")
    client.force_login(rep)
    rows = xlsx_rows(client.get(reverse("integrations:export_products", args=["xlsx"])))
    assert rows[1][1:3] == ["Tripel", "T33"]
    assert client.get(reverse("integrations:export_products", args=["pdf"])).status_code == 404


def test_the_pages_link_to_their_exports(client, rep):
    client.force_login(rep)
    assert reverse("integrations:export_relations", args=["xlsx"]) in client.get(
        reverse("relations:list")).content.decode()
    assert reverse("integrations:export_my_activities", args=["csv"]) in client.get(
        reverse("activities:mine")).content.decode()
