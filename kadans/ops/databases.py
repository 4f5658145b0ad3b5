"""The database half of a backup: a consistent snapshot of a running database, its restore, and the state
(applied migrations, rows per table) that a manifest records and a restore is checked against.

SQLite is copied with its online backup API (`sqlite3.Connection.backup`), PostgreSQL with `pg_dump -Fc`
and `pg_restore`. Both read one snapshot while the application keeps writing. Every function takes a
connection's settings dictionary (`connections[alias].settings_dict`), so a restore can target another
database than the one the application uses.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import psycopg
from django.db.utils import DatabaseError, OperationalError, load_backend

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
DUMP_FILES = {SQLITE: "database.sqlite3", POSTGRESQL: "database.pgdump"}
NAMES = {SQLITE: "SQLite", POSTGRESQL: "PostgreSQL"}
# what a database that cannot be reached or read raises, through Django or through the drivers themselves
DATABASE_ERRORS = (DatabaseError, psycopg.Error, sqlite3.Error)
# psycopg connection options (DATABASES[...]["OPTIONS"], from DATABASE_URL's query string) that the
# PostgreSQL client programs read from the environment instead.
PG_OPTION_VARIABLES = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the operator."""


@dataclasses.dataclass(frozen=True)
class TableState:
    rows: int
    sha256: str
    """Order-independent digest of the table's rows: the sum of each row's SHA-256, modulo 2**256."""


@dataclasses.dataclass
class DatabaseState:
    migrations: dict[str, list[str]]
    tables: dict[str, TableState]


def vendor(settings_dict: dict[str, Any]) -> str:
    engine = settings_dict["ENGINE"]
    if engine.endswith("sqlite3"):
        return SQLITE
    if engine.endswith("postgresql"):
        return POSTGRESQL
    raise BackupError(f"Backups support SQLite and PostgreSQL, not {engine}.")


# --------------------------------------------------------------------------------------------------
# The state of a database, read the same way on the snapshot and on the restored copy


def _canonical(value: Any) -> str:
    if value is None:
        return "\x00"
    if isinstance(value, bytes | bytearray | memoryview):
        return "b" + bytes(value).hex()
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        # the session's time zone decides the offset PostgreSQL answers with; the instant is what counts
        return "t" + value.astimezone(datetime.UTC).isoformat()
    return type(value).__name__[0] + str(value)


def _table_state(rows: Iterable[tuple]) -> TableState:
    count, total = 0, 0
    for row in rows:
        digest = hashlib.sha256("\x1f".join(_canonical(v) for v in row).encode()).digest()
        total = (total + int.from_bytes(digest, "big")) % 2**256
        count += 1
    return TableState(rows=count, sha256=f"{total:064x}")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _migrations(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(pairs):
        applied.setdefault(app, []).append(name)
    return applied


def _sqlite_tables(conn: sqlite3.Connection) -> list[str]:
    return [name for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    )]


def _sqlite_state(conn: sqlite3.Connection) -> DatabaseState:
    tables = _sqlite_tables(conn)
    migrations = conn.execute("SELECT app, name FROM django_migrations") if "django_migrations" in tables else ()
    return DatabaseState(
        migrations=_migrations(migrations),
        tables={t: _table_state(conn.execute(f"SELECT * FROM {_quote(t)}")) for t in tables},
    )


def _pg_tables(cursor) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    return [name for (name,) in cursor.fetchall()]


def _pg_state(raw) -> DatabaseState:
    """Read on the raw psycopg connection `raw`, inside whatever transaction it has open."""
    with raw.cursor() as cursor:
        tables = _pg_tables(cursor)
        migrations = []
        if "django_migrations" in tables:
            cursor.execute("SELECT app, name FROM django_migrations")
            migrations = cursor.fetchall()
    states = {}
    for table in tables:
        # a server-side cursor: a large table is streamed, not held in memory at once
        with raw.cursor(name="kadans_backup_rows") as rows:
            rows.itersize = 2000
            rows.execute(f"SELECT * FROM {_quote(table)}")
            states[table] = _table_state(rows)
    return DatabaseState(migrations=_migrations(migrations), tables=states)


def separate_connection(settings_dict: dict[str, Any]):
    """A Django connection of its own to `settings_dict`'s database, apart from the application's."""
    return load_backend(settings_dict["ENGINE"]).DatabaseWrapper(dict(settings_dict), alias="kadans_ops")


def database_state(settings_dict: dict[str, Any]) -> DatabaseState:
    """Applied migrations and every table's row count and digest, read from the database now."""
    if vendor(settings_dict) == SQLITE:
        conn = sqlite3.connect(settings_dict["NAME"])
        try:
            return _sqlite_state(conn)
        finally:
            conn.close()
    wrapper = separate_connection(settings_dict)
    try:
        wrapper.ensure_connection()
        raw = wrapper.connection
        raw.autocommit = False
        try:
            return _pg_state(raw)
        finally:
            raw.rollback()
    finally:
        wrapper.close()


def table_count(settings_dict: dict[str, Any]) -> int:
    """How many tables the database holds (0 for a SQLite file that does not exist yet)."""
    if vendor(settings_dict) == SQLITE:
        path = Path(settings_dict["NAME"])
        if not path.exists():
            return 0
        conn = sqlite3.connect(path)
        try:
            return len(_sqlite_tables(conn))
        finally:
            conn.close()
    wrapper = separate_connection(settings_dict)
    try:
        with wrapper.cursor() as cursor:
            return len(_pg_tables(cursor))
    finally:
        wrapper.close()


# --------------------------------------------------------------------------------------------------
# Snapshot and restore


def snapshot(settings_dict: dict[str, Any], dest: Path, on_snapshot: Callable[[], None] | None) -> DatabaseState:
    """Write a consistent copy of the database to `dest` and return the state of that copy.

    `on_snapshot` is called once the snapshot is fixed, while the rest of the backup still runs; whatever
    is committed from then on is not in the copy.
    """
    if vendor(settings_dict) == SQLITE:
        return _sqlite_snapshot(Path(settings_dict["NAME"]), dest, on_snapshot)
    return _pg_snapshot(settings_dict, dest, on_snapshot)


def _sqlite_snapshot(source: Path, dest: Path, on_snapshot) -> DatabaseState:
    if not source.exists():
        raise BackupError(f"The SQLite database {source} does not exist.")
    src = sqlite3.connect(source, timeout=20)
    dst = sqlite3.connect(dest)
    try:
        # All pages in one step (pages=-1): one read transaction, so one consistent snapshot. In WAL mode
        # it does not block the application's writers; copied step by step instead, every write by
        # another connection would restart the copy, which may then never finish.
        src.backup(dst, pages=-1)
        src.close()
        # the copy is one self-contained file, not a WAL database with a -wal file beside it
        dst.execute("PRAGMA journal_mode=DELETE")
        if on_snapshot:
            on_snapshot()
        return _sqlite_state(dst)
    finally:
        src.close()
        dst.close()


def pg_program(name: str) -> str:
    """A PostgreSQL client program from PATH, else the newest in /usr/lib/postgresql/*/bin (Debian)."""
    if found := shutil.which(name):
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
                        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0)
    if candidates:
        return str(candidates[-1])
    raise BackupError(f"{name} was not found on PATH nor in /usr/lib/postgresql/*/bin: install the PostgreSQL "
                      f"client (apt-get install postgresql-client), at least the server's version.")


def _pg_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    """The connection for pg_dump and pg_restore, passed in the environment so that the password never
    shows in a process list."""
    env = dict(os.environ)
    for key, variable in (("NAME", "PGDATABASE"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"),
                          ("HOST", "PGHOST"), ("PORT", "PGPORT")):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    for option, variable in PG_OPTION_VARIABLES.items():
        if option in settings_dict.get("OPTIONS", {}):
            env[variable] = str(settings_dict["OPTIONS"][option])
    return env


def _run(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed (exit {done.returncode}): {done.stderr.strip()}")


def _pg_snapshot(settings_dict: dict[str, Any], dest: Path, on_snapshot) -> DatabaseState:
    wrapper = separate_connection(settings_dict)
    try:
        wrapper.ensure_connection()
        raw = wrapper.connection
        raw.autocommit = False
        raw.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ  # one snapshot for the whole transaction
        raw.read_only = True
        try:
            with raw.cursor() as cursor:
                # pg_dump reads the very snapshot this transaction counts the rows in; it stays valid while
                # the transaction is open (PostgreSQL manual, "Snapshot Synchronization Functions")
                cursor.execute("SELECT pg_export_snapshot()")
                (snapshot_id,) = cursor.fetchone()
            if on_snapshot:
                on_snapshot()
            state = _pg_state(raw)
            _run([pg_program("pg_dump"), "--format=custom", f"--snapshot={snapshot_id}", f"--file={dest}"],
                 _pg_env(settings_dict))
            return state
        finally:
            raw.rollback()
    finally:
        wrapper.close()


def restore(settings_dict: dict[str, Any], dump: Path) -> None:
    """Replace the database's whole content with the dump's. The caller has checked that it may."""
    if vendor(settings_dict) == SQLITE:
        _sqlite_restore(dump, Path(settings_dict["NAME"]))
    else:
        _pg_restore(settings_dict, dump)


def _sqlite_restore(dump: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(dump)
    dst = sqlite3.connect(target, timeout=20)
    try:
        # the backup API writes the target page by page under its lock: no half-copied file is ever seen
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=WAL")
    finally:
        src.close()
        dst.close()


def _pg_restore(settings_dict: dict[str, Any], dump: Path) -> None:
    wrapper = separate_connection(settings_dict)
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("SELECT current_schema()")
            (schema,) = cursor.fetchone()
            if _pg_tables(cursor):
                # Tables, sequences, the participation triggers' functions: all of it goes, so that
                # pg_restore meets no leftover object, also none made by a newer migration. A process still
                # using the database holds locks that would make this wait without end.
                cursor.execute("SET lock_timeout = '10s'")
                try:
                    cursor.execute(f"DROP SCHEMA {_quote(schema)} CASCADE")
                except OperationalError as e:
                    raise BackupError(f"The database {settings_dict['NAME']} is in use: stop the web server, the "
                                      f"worker and the scheduler, then restore again ({e}). "
                                      f"Nothing was restored.") from e
                cursor.execute(f"CREATE SCHEMA {_quote(schema)}")
    finally:
        wrapper.close()
    args = [pg_program("pg_restore"), "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error"]
    if settings_dict.get("NAME"):
        args.append(f"--dbname={settings_dict['NAME']}")
    _run([*args, str(dump)], _pg_env(settings_dict))
    wrapper = separate_connection(settings_dict)
    try:
        with wrapper.cursor() as cursor:
            # pg_restore brings no planner statistics; without them the first queries plan blind
            cursor.execute("ANALYZE")
    finally:
        wrapper.close()
