"""Reading and writing tables: CSV (comma or semicolon, UTF-8 with or without BOM) and XLSX.

The reader gives a header and rows of strings whatever the format, so the import maps and checks both the
same way; the writer streams a header and rows as a CSV or XLSX download."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_FORMATS = ("csv", "xlsx")


class TableError(ValueError):
    pass


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(content: bytes, filename: str) -> tuple[list[str], list[list[str]]]:
    """(header, rows) of a CSV or XLSX file; every value a stripped string. Blank rows are skipped but
    counted, so row numbers match what a spreadsheet shows (the header is row 1)."""
    if filename.lower().endswith(".xlsx"):
        return _read_xlsx(content)
    if filename.lower().endswith((".csv", ".txt")):
        return _read_csv(content)
    raise TableError(_("Upload a .csv or .xlsx file."))


def _read_csv(content: bytes) -> tuple[list[str], list[list[str]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TableError(_("The file is not UTF-8 text; save it as CSV UTF-8.")) from None
    sample = text[:4096]
    delimiter = ";" if sample.split("\n", 1)[0].count(";") > sample.split("\n", 1)[0].count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = [[c.strip() for c in row] for row in reader]
    except csv.Error as e:
        raise TableError(_("The CSV file cannot be read: %(error)s") % {"error": e}) from None
    if not rows or not any(rows[0]):
        raise TableError(_("The file is empty: the first row must name the columns."))
    return rows[0], rows[1:]


def _read_xlsx(content: bytes) -> tuple[list[str], list[list[str]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for a damaged file
        raise TableError(_("The XLSX file cannot be read: %(error)s") % {"error": e}) from None
    sheet = workbook.worksheets[0]
    rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    if not rows or not any(rows[0]):
        raise TableError(_("The file is empty: the first row must name the columns."))
    header = rows[0]
    while header and not header[-1]:
        header = header[:-1]
    return header, [row[: len(header)] for row in rows[1:]]


def _export_value(value):
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return value
    return "" if value is None else value


class _Echo:
    def write(self, value):
        return value


def export_response(*, headers: list[str], rows: Iterable[Iterable], fmt: str, filename: str):
    """A CSV (streamed) or XLSX download of the header and rows."""
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(filename[:31])
        sheet.append(headers)
        for row in rows:
            sheet.append([_xlsx_value(v) for v in row])
        out = io.BytesIO()
        workbook.save(out)
        response = HttpResponse(out.getvalue(), content_type=XLSX_TYPE)
    else:
        writer = csv.writer(_Echo())

        def lines():
            yield "\ufeff"  # the byte order mark makes Excel read UTF-8
            yield writer.writerow(headers)
            for row in rows:
                yield writer.writerow([_export_value(v) for v in row])

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def _xlsx_value(value):
    if isinstance(value, datetime.datetime):
        # Excel has no time zones: the local time, as people read it
        from django.utils import timezone

        return timezone.localtime(value).replace(tzinfo=None)
    return "" if value is None else value
