"""A fresh, empty database on the same server as the tests' own, to restore into."""

import io
import sqlite3
import tarfile
from pathlib import Path

from django.db import connections

from kadans.ops import databases


def fresh_database(tmp_path: Path):
    """Yield the settings of an empty database: a new SQLite file, or a second PostgreSQL database created
    beside the test database (dropped afterwards)."""
    settings_dict = connections["default"].settings_dict
    if databases.vendor(settings_dict) == databases.SQLITE:
        yield {**settings_dict, "NAME": str(tmp_path / "restored.sqlite3")}
        return
    name = f"{settings_dict['NAME']}_restore"
    # CREATE DATABASE cannot run inside a transaction: the tests that use this are transactional
    with connections["default"].cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {**settings_dict, "NAME": name}
    finally:
        with connections["default"].cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def rewrite_archive(source: Path, dest: Path, change=lambda name, data: data, extra: dict | None = None) -> None:
    """Copy a backup archive member by member, passing each member's bytes through change(name, data);
    `extra` members (name: bytes) go in first."""
    with tarfile.open(source, "r:gz") as src, tarfile.open(dest, "w:gz") as dst:
        for name, data in (extra or {}).items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))
        for member in src:
            data = change(member.name, src.extractfile(member).read())
            member.size = len(data)
            dst.addfile(member, io.BytesIO(data))


def query(settings_dict, sql: str) -> list[tuple]:
    """Rows of one SQL statement (no parameters) on the database of `settings_dict`."""
    if databases.vendor(settings_dict) == databases.SQLITE:
        conn = sqlite3.connect(settings_dict["NAME"])
        try:
            return conn.execute(sql).fetchall()
        finally:
            conn.close()
    wrapper = databases.separate_connection(settings_dict)
    try:
        wrapper.ensure_connection()
        with wrapper.connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()
    finally:
        wrapper.close()
