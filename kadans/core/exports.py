"""Every CSV and XLSX download of Kadans: one writer, so that every export reads the same way and every
export is safe to open in a spreadsheet.

A list is one table (`export_response`); a report may be several (`export_sheets_response`: in CSV each
under its title with a blank line between them, in XLSX a sheet each).

Cells keep their type: numbers (int, Decimal, float) stay numbers — a negative amount is a number, not
text — dates stay dates, a moment is written in the current time zone (Excel has no time zones). Text
that a spreadsheet would read as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return, OWASP's "CSV injection") is written as text: with a leading ``'`` in CSV, as a string cell marked
"quote prefix" in XLSX. Text reaches the exports from anyone, down to the public lead form.

This module is the lowest layer (kadans.core): it imports nothing from the other Kadans apps.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

FORMATS = ("csv", "xlsx")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a text cell as a formula (OWASP, CSV injection)."""


@dataclasses.dataclass
class Sheet:
    """One table of an export: a title (the XLSX sheet's name), the column labels and the rows.
    `number_formats` optionally gives an XLSX number format per column ("" or None: the default)."""

    title: str
    columns: Sequence[str]
    rows: Iterable[Sequence[Any]]
    number_formats: Sequence[str | None] = ()


def is_formula_like(value: str) -> bool:
    return value.startswith(FORMULA_STARTS)


def csv_value(value: Any) -> Any:
    """A cell as the CSV writes it: text that could be a formula gets a leading quote."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return _local(value).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return "'" + value if is_formula_like(value) else value
    return value


def export_response(
    rows: Iterable[Sequence[Any]], columns: Sequence[str], *, format: str, filename: str, title: str = "",
    number_formats: Sequence[str | None] = (),
) -> HttpResponse | StreamingHttpResponse:
    """A download of one table as `filename`.csv (streamed) or `filename`.xlsx."""
    sheet = Sheet(title=title or filename, columns=columns, rows=rows, number_formats=number_formats)
    return export_sheets_response([sheet], format=format, filename=filename)


def export_sheets_response(
    sheets: Sequence[Sheet], *, format: str, filename: str
) -> HttpResponse | StreamingHttpResponse:
    """A download of one or more tables. `format` is one of FORMATS (anything else is a programming error:
    callers check what they accept)."""
    if format == "xlsx":
        response = HttpResponse(_xlsx(sheets), content_type=XLSX_TYPE)
    elif format == "csv":
        response = StreamingHttpResponse(_csv_lines(sheets), content_type=CSV_TYPE)
    else:
        raise ValueError(f"unknown export format {format!r}")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{format}"'
    return response


class _Echo:
    """A file for csv.writer that hands each line back instead of keeping it."""

    def write(self, value: str) -> str:
        return value


def _csv_lines(sheets: Sequence[Sheet]) -> Iterable[str]:
    """One table: a header and its rows. Several: each under its title, a blank line between them."""
    writer = csv.writer(_Echo())
    yield "\ufeff"  # the byte order mark makes Excel read the file as UTF-8
    for i, sheet in enumerate(sheets):
        if len(sheets) > 1:
            if i:
                yield writer.writerow([])
            yield writer.writerow([csv_value(sheet.title)])
        yield writer.writerow([csv_value(c) for c in sheet.columns])
        for row in sheet.rows:
            yield writer.writerow([csv_value(v) for v in row])


def _sheet_title(title: str, used: set[str]) -> str:
    # Excel: at most 31 characters, none of []:*?/\, unique whatever the case
    base = re.sub(r"[\[\]:*?/\\]", " ", title).strip()[:31] or "Sheet"
    name, n = base, 1
    while name.lower() in used:
        n += 1
        name = f"{base[:28]} {n}"
    used.add(name.lower())
    return name


def _local(moment: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def _xlsx_cell(sheet, value: Any, number_format: str | None) -> WriteOnlyCell:
    if isinstance(value, datetime.datetime):
        value = _local(value).replace(tzinfo=None)  # Excel has no time zones: the local time, as people read it
    elif value is None:
        value = ""
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and is_formula_like(value):
        # openpyxl makes any text starting with "=" a formula: keep it a string, shown as typed
        cell.data_type = "s"
        cell.quotePrefix = True
    if number_format:
        cell.number_format = number_format
    return cell


def _xlsx(sheets: Sequence[Sheet]) -> bytes:
    workbook = Workbook(write_only=True)
    used: set[str] = set()
    for table in sheets:
        sheet = workbook.create_sheet(_sheet_title(table.title, used))
        sheet.append([_xlsx_cell(sheet, c, None) for c in table.columns])
        formats = list(table.number_formats)
        for row in table.rows:
            sheet.append([
                _xlsx_cell(sheet, v, formats[i] if i < len(formats) else None) for i, v in enumerate(row)
            ])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
