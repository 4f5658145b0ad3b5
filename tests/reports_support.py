"""Shared helpers of the report tests: a small sales organisation, and query counts per database."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import time_machine
from django.db import connection

from kadans.activities.services import CostLineData, activity_create
from tests.factories import TeamFactory, UserFactory

NOON = datetime.time(12, 0)


def pg_overhead() -> int:
    """Report pages run in a transaction with JIT off on PostgreSQL: a savepoint (inside a test's
    transaction), SET LOCAL and its release are three statements more than on SQLite."""
    return 3 if connection.vendor == "postgresql" else 0


def people() -> dict:
    """Anna and Bert in one team with their manager Mia; Carl in another team; Ada the administrator."""
    team, other = TeamFactory(name="Oost"), TeamFactory(name="West")
    make = lambda username, first, last, **kw: UserFactory(  # noqa: E731
        username=username, first_name=first, last_name=last, language="en", **kw
    )
    return {
        "anna": make("anna", "Anna", "Aerts", team=team),
        "bert": make("bert", "Bert", "Baert", team=team),
        "mia": make("mia", "Mia", "Maes", team=team, role="manager"),
        "carl": make("carl", "Carl", "Claes", team=other),
        "ada": make("ada", "Ada", "Admin", role="administrator"),
    }


def done(*, user, relation, activity_type, day: datetime.date, lines=(), at: datetime.datetime | None = None, **kw):
    """An action recorded as done on `day`, marked done at `at` (default: noon that day)."""
    at = at or datetime.datetime.combine(day, NOON, tzinfo=datetime.UTC)
    with time_machine.travel(at, tick=False):
        return activity_create(
            user=user,
            relation=relation,
            activity_type=activity_type,
            start=day,
            status="done",
            representative=user,
            cost_lines=list(lines),
            **kw,
        )


def lunch(amount: str, description: str = "Lunch") -> CostLineData:
    return CostLineData(description=description, unit_price=Decimal(amount))


def samples(product, quantity: int) -> CostLineData:
    return CostLineData(product=product, quantity=Decimal(quantity))


def read_csv(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def read_xlsx(response) -> dict[str, list[list]]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets}


def as_decimal(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))
