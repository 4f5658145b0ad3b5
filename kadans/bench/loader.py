"""The benchmark's load (operation h, `manage.py bench_load`): the workload import of
kadans.integrations.workload (every row checked, then all rows in one transaction), with on PostgreSQL
the loaded tables' foreign keys dropped for the inserts and added back inside the same transaction."""

from __future__ import annotations

import contextlib
from pathlib import Path

from django.db import connection

from kadans.integrations.workload import LOADED_TABLES, LoadError, LoadResult, read_and_check
from kadans.integrations.workload import load_workload as import_workload

__all__ = ["LOADED_TABLES", "LoadError", "LoadResult", "load_workload", "read_and_check"]


@contextlib.contextmanager
def _foreign_keys_checked_at_the_end():
    """On PostgreSQL, the loaded tables' foreign keys are dropped and added again inside the load's
    transaction ("Populating a database" in PostgreSQL's manual): adding one checks every row in one join,
    where a kept constraint checks each of the 1.3 million references one by one at commit (9 of the 18
    seconds of loading S=1). Nothing is unchecked: the rows are checked when the constraints come back,
    and no other transaction sees the tables without them."""
    if connection.vendor != "postgresql":
        yield
        return
    tables = [model._meta.db_table for model in LOADED_TABLES]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])", [tables],
        )
        constraints = cursor.fetchall()
        for table, name, _definition in constraints:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(name)}")
    yield
    with connection.cursor() as cursor:
        # checks still pending on other tables (users' teams) first: ALTER TABLE refuses to run with them
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table, name, definition in constraints:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}")


def load_workload(
    folder: Path | str, *, password: str | None = "bench", log=None, drop_foreign_keys: bool = False
) -> LoadResult:
    """Check, then load the workload in `folder` in one transaction. Raises LoadError on any bad row.

    drop_foreign_keys: on PostgreSQL, drop the loaded tables' foreign keys for the load and add them back
    at its end (see _foreign_keys_checked_at_the_end). That locks those tables and the users' for the
    whole load: for a database nobody uses yet (the benchmark's), not for an import into a live one."""
    return import_workload(folder, password=password, log=log,
                           around_insert=_foreign_keys_checked_at_the_end if drop_foreign_keys else None)
