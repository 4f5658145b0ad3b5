"""The few SQL expressions the reports need that Django does not spell portably."""

from __future__ import annotations

import contextlib
import datetime
import functools
import zoneinfo
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction
from django.db.models import DateField, DecimalField, F, Func, Window

from kadans.core.time import company_tz

CENT = Decimal("0.01")


def money(value) -> Decimal:
    """An aggregated amount as shown and exported: to the cent. SQLite adds decimals as floats and
    PostgreSQL exactly; rounding the (already aggregated) sum makes both read the same."""
    return Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_UP)


class _SumOfGroups(Func):
    """SUM over the rows of a grouped query: the outer SUM of SUM(x) OVER (...)."""

    function = "SUM"
    window_compatible = True
    # The argument is an aggregate; the window computes after grouping, so the outer SUM must not make
    # Django treat the whole expression as one more aggregate.
    contains_aggregate = False


class _GroupedWindow(Window):
    # Its partition columns are already grouped on; Django would otherwise add the window itself to
    # GROUP BY, which SQL refuses.
    def get_group_by_cols(self):
        return []


def total_over(aggregate, *, partition_by: list[str] | None = None, output_field=None) -> Window:
    """The sum of `aggregate` over all groups of a GROUP BY query, or over the groups sharing the
    `partition_by` columns: grand totals and subtotals computed in the same query as the rows."""
    return _GroupedWindow(
        _SumOfGroups(aggregate, output_field=output_field),
        partition_by=[F(name) for name in partition_by] if partition_by else None,
    )


class PlusDays(Func):
    """A date plus a number of days given by a column: `date(d, '+N days')` on SQLite, `d + N` on
    PostgreSQL. Django's own date arithmetic needs a constant interval."""

    arity = 2
    output_field = DateField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="date(%(expressions)s || ' days')", arg_joiner=", '+' || ", **extra
        )

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" + ", **extra)


MONEY = DecimalField(max_digits=16, decimal_places=2)


def utc_offsets(tz: zoneinfo.ZoneInfo, since: datetime.datetime, until: datetime.datetime):
    """The time zone's UTC offsets (in minutes) between two instants: the offset at `since`, then each
    change as (instant, new offset). Daylight saving time changes at most a few times a year, so this
    steps by day and looks for the hour (or quarter) of a change only on the day it happens."""
    def offset(moment):
        return int(moment.astimezone(tz).utcoffset().total_seconds() // 60)

    day, quarter = datetime.timedelta(days=1), datetime.timedelta(minutes=15)
    moment = since.astimezone(datetime.UTC)
    current, changes = offset(moment), []
    while moment < until:
        following = moment + day
        if offset(following) != current:
            while offset(moment + quarter) == current:
                moment += quarter
            moment += quarter
            current = offset(moment)
            changes.append((moment, current))
        else:
            moment = following
    return offset(since), changes


class LocalDate(Func):
    """The date, in the company time zone, of a datetime column whose values lie between `since` and
    `until` (or near them).

    PostgreSQL converts natively (AT TIME ZONE), as TruncDate does. On SQLite TruncDate calls a Python
    function for every row; here SQLite's own date() adds the UTC offset, looked up in a CASE over the
    time zone's changes between `since` and `until` (a value outside them takes the offset at the
    nearest end): exact across daylight saving time, and some ten times faster on a large table.
    """

    output_field = DateField()

    def __init__(self, expression, *, since: datetime.datetime, until: datetime.datetime):
        super().__init__(expression)
        self.since, self.until = since, until

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return connection.ops.datetime_cast_date_sql(sql, params, str(company_tz()))

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        first, changes = utc_offsets(company_tz(), self.since, self.until)
        whens, when_params, before = [], [], first
        for moment, minutes in changes:
            whens.append(f"WHEN {sql} < %s THEN %s")
            when_params += [*params, connection.ops.adapt_datetimefield_value(moment), before]
            before = minutes
        case = f"CASE {' '.join(whens)} ELSE %s END" if whens else "%s"
        return f"date({sql}, ({case}) || ' minutes')", (*params, *when_params, before)


@contextlib.contextmanager
def without_jit():
    """On PostgreSQL, switch off JIT compilation for the report's own transaction (SET LOCAL).

    A report's queries join and group many rows, so their estimated cost passes jit_above_cost, and
    PostgreSQL then spends about a second compiling them, while they run in tens of milliseconds. SQLite
    gets no transaction here: its transactions take the write lock (IMMEDIATE), which a read must not.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
        yield


def report_view(view):
    """A report page: its queries run without JIT (see without_jit)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        with without_jit():
            return view(request, *args, **kwargs)

    return wrapper
