"""Reading tables for the import: CSV (comma or semicolon, UTF-8 with or without BOM) and XLSX.

The reader gives a header and rows of strings whatever the format, so the import maps and checks both the
same way. Downloads are written by kadans.core.exports."""

from __future__ import annotations

import csv
import datetime
import io

from django.utils.translation import gettext as _
from openpyxl import load_workbook


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
