"""CSV and XLSX downloads of a report's tables. An empty selection gives a valid file with headers only."""

from __future__ import annotations

import csv
import io
import re

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from kadans.reports.tables import DATE, MONEY, WEEK, Table, export_value

FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_response(tables: list[Table], *, fmt: str, filename: str) -> HttpResponse:
    if fmt == "xlsx":
        response = HttpResponse(_xlsx(tables), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(_csv(tables), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def _csv(tables: list[Table]) -> bytes:
    """One table: a header and its rows. Several: each under its title, a blank line between them."""
    out = io.StringIO()
    writer = csv.writer(out)
    for i, table in enumerate(tables):
        if len(tables) > 1:
            if i:
                writer.writerow([])
            writer.writerow([table.title])
        writer.writerow([c.label for c in table.columns])
        for row in table.rows:
            writer.writerow([export_value(v, c.kind) for v, c in zip(row.cells, table.columns, strict=True)])
    # the byte order mark makes Excel read the file as UTF-8
    return out.getvalue().encode("utf-8-sig")


def _sheet_title(title: str, used: set[str]) -> str:
    # Excel: at most 31 characters, none of []:*?/\, unique whatever the case
    base = re.sub(r"[\[\]:*?/\\]", " ", title).strip()[:31] or "Sheet"
    name, n = base, 1
    while name.lower() in used:
        n += 1
        name = f"{base[:28]} {n}"
    used.add(name.lower())
    return name


def _xlsx(tables: list[Table]) -> bytes:
    workbook = Workbook(write_only=True)
    used: set[str] = set()
    for table in tables:
        sheet = workbook.create_sheet(_sheet_title(table.title, used))
        sheet.append([c.label for c in table.columns])
        for row in table.rows:
            cells = []
            for value, column in zip(row.cells, table.columns, strict=True):
                cell = WriteOnlyCell(sheet, value=export_value(value, column.kind))
                if column.kind == MONEY:
                    cell.number_format = "#,##0.00"
                elif column.kind in (DATE, WEEK):
                    cell.number_format = "@"
                cells.append(cell)
            sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
