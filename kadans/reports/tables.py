"""A report's numbers as tables: the page shows them and the CSV and XLSX exports write them, from the
same rows, so an export always matches the screen."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal
from typing import Any

from kadans.core.exports import Sheet

TEXT, COUNT, MONEY, DAYS, MONTH, WEEK, DATE = "text", "count", "money", "days", "month", "week", "date"
NUMERIC = (COUNT, MONEY, DAYS)


@dataclasses.dataclass(frozen=True)
class Column:
    label: str
    kind: str = TEXT


@dataclasses.dataclass
class Row:
    cells: list[Any]
    kind: str = "row"
    """row, subtotal or total"""
    link: str = ""
    """Where the row drills down to, if anywhere."""


@dataclasses.dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[Row]
    note: str = ""
    truncated: bool = False
    """The page shows the first rows only; the export has them all."""

    def rendered(self) -> list[tuple[Row, list[tuple[Any, str]]]]:
        """Each row with its cells paired with their column's kind, for the template."""
        kinds = [c.kind for c in self.columns]
        return [(row, list(zip(row.cells, kinds, strict=True))) for row in self.rows]

    @property
    def has_links(self) -> bool:
        return any(row.link for row in self.rows)


def export_value(value: Any, kind: str) -> Any:
    """A cell as the exports write it: numbers stay numbers, months read 2025-01, dates ISO."""
    if value is None:
        return ""
    if kind == MONTH and isinstance(value, datetime.date):
        return value.strftime("%Y-%m")
    if kind in (WEEK, DATE) and isinstance(value, datetime.date):
        return value.isoformat()
    if kind == MONEY:
        return Decimal(value)
    if kind == DAYS:
        return round(float(value), 1)
    if kind == COUNT:
        return int(value)
    return str(value)



XLSX_NUMBER_FORMATS = {MONEY: "#,##0.00", DATE: "@", WEEK: "@"}


def export_sheets(tables: list[Table]) -> list[Sheet]:
    """The tables as kadans.core.exports writes them: each its own sheet, cells as export_value says."""
    return [_sheet(table) for table in tables]


def _sheet(table: Table) -> Sheet:
    kinds = [c.kind for c in table.columns]
    return Sheet(
        title=table.title, columns=[c.label for c in table.columns],
        rows=[[export_value(v, kind) for v, kind in zip(row.cells, kinds, strict=True)] for row in table.rows],
        number_formats=[XLSX_NUMBER_FORMATS.get(kind) for kind in kinds],
    )
