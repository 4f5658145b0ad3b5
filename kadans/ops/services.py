"""Backup and restore: one tar.gz archive holding the database, the media files and a manifest.

The manifest (`manifest.json`, the archive's last member) records the Kadans version, the applied
migrations per app, every table's row count and digest, and the SHA-256 of every other member. A restore
checks all of it before it changes anything.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from kadans.ops import databases
from kadans.ops.databases import BackupError, DatabaseState, TableState

MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
FORMAT = 1
CHUNK = 1024 * 1024


@dataclasses.dataclass
class BackupResult:
    path: Path
    manifest: dict[str, Any]


@dataclasses.dataclass
class RestoreResult:
    manifest: dict[str, Any]
    unapplied_migrations: list[str]
    """Migrations this code has that the archive's database had not applied: run `migrate` next."""


def kadans_version() -> str:
    try:
        return metadata.version("kadans")
    except metadata.PackageNotFoundError:
        return "unknown"


def _state_to_json(state: DatabaseState) -> dict[str, Any]:
    return {
        "migrations": state.migrations,
        "tables": {name: {"rows": t.rows, "sha256": t.sha256} for name, t in state.tables.items()},
    }


def manifest_tables(manifest: dict[str, Any]) -> dict[str, TableState]:
    return {name: TableState(rows=t["rows"], sha256=t["sha256"]) for name, t in manifest["tables"].items()}


class _HashingReader(io.RawIOBase):
    """Reads a file for tarfile while computing its SHA-256."""

    def __init__(self, file):
        self.file, self.sha256 = file, hashlib.sha256()

    def read(self, size=-1):
        data = self.file.read(size)
        self.sha256.update(data)
        return data


def _add_file(tar: tarfile.TarFile, path: Path, arcname: str) -> str:
    info = tar.gettarinfo(str(path), arcname=arcname)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    with path.open("rb") as f:
        reader = _HashingReader(f)
        tar.addfile(info, reader)
    return reader.sha256.hexdigest()


def _media_files(media_root: Path) -> list[Path]:
    if not media_root.is_dir():
        return []
    return sorted(p for p in media_root.rglob("*") if p.is_file() and not p.is_symlink())


def default_backup_path() -> Path:
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    return Path(settings.DATA_DIR) / "backups" / f"kadans-{stamp}.tar.gz"


def backup_create(
    *,
    out: Path | None = None,
    database: str = "default",
    media_root: Path | None = None,
    on_snapshot: Callable[[], None] | None = None,
) -> BackupResult:
    """Write one archive of the database (a consistent snapshot, taken while the application runs) and
    of the media files, with its manifest.

    The database snapshot comes first, the media files after it: a file is written before the row that
    names it commits, so every file the snapshot's rows name is in the archive. The archive is written
    under a temporary name and renamed when complete, readable by its owner only (it holds personal
    data and password hashes). `on_snapshot` is called once the database snapshot is fixed.
    """
    settings_dict = connections[database].settings_dict
    vendor = databases.vendor(settings_dict)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    out = Path(out or default_backup_path())
    out.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    dump_name = databases.DUMP_FILES[vendor]
    # the dump is staged beside the archive, not in /tmp, which is often a small memory file system
    with tempfile.TemporaryDirectory(prefix=".kadans-backup-", dir=out.parent) as work:
        dump = Path(work) / dump_name
        state = databases.snapshot(settings_dict, dump, on_snapshot)
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
                members = {dump_name: _add_file(tar, dump, dump_name)}
                for path in _media_files(media_root):
                    name = MEDIA_PREFIX + path.relative_to(media_root).as_posix()
                    try:
                        members[name] = _add_file(tar, path, name)
                    except FileNotFoundError:
                        # deleted since the listing (an erased document): nothing is written for it, and
                        # the snapshot may still name it, as the database did a moment ago
                        continue
                manifest = {
                    "format": FORMAT,
                    "kadans_version": kadans_version(),
                    "created_at": timezone.now().isoformat(),
                    "database": {"vendor": vendor, "file": dump_name},
                    **_state_to_json(state),
                    "media_files": len(members) - 1,
                    "members": members,
                }
                data = json.dumps(manifest, indent=2, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mode, info.mtime = len(data), 0o600, int(timezone.now().timestamp())
                tar.addfile(info, io.BytesIO(data))
            os.replace(partial, out)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return BackupResult(path=out, manifest=manifest)


def _member_path(name: str, allowed: set[str]) -> PurePosixPath:
    """Refuse a member that could land outside the restore folder, or that a backup never writes."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"The archive holds an unsafe path ({name!r}); nothing was restored.")
    if name not in allowed and not name.startswith(MEDIA_PREFIX):
        raise BackupError(f"The archive holds {name!r}, which a Kadans backup never writes; nothing was restored.")
    return path


def _extract(archive: Path, staging: Path) -> tuple[dict[str, Any], dict[str, str]]:
    """Unpack the archive into `staging`, hashing each member; return the manifest and the hashes."""
    hashes: dict[str, str] = {}
    manifest_data = None
    allowed = {MANIFEST, *databases.DUMP_FILES.values()}
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            for member in tar:
                if member.isdir():
                    continue
                if not member.isfile():
                    raise BackupError(f"The archive holds {member.name!r}, which is not a regular file; "
                                      f"nothing was restored.")
                path = _member_path(member.name, allowed)
                if member.name in hashes or (member.name == MANIFEST and manifest_data is not None):
                    raise BackupError(f"The archive holds {member.name!r} twice; nothing was restored.")
                source = tar.extractfile(member)
                if member.name == MANIFEST:
                    manifest_data = source.read()
                    continue
                target = staging.joinpath(*path.parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                with target.open("wb") as f:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        f.write(chunk)
                hashes[member.name] = digest.hexdigest()
    except (tarfile.TarError, EOFError, OSError) as e:
        raise BackupError(f"{archive} is not a readable Kadans backup ({e}); nothing was restored.") from e
    if manifest_data is None:
        raise BackupError(f"{archive} has no {MANIFEST}: it is not a Kadans backup; nothing was restored.")
    try:
        manifest = json.loads(manifest_data)
    except ValueError as e:
        raise BackupError(f"The archive's {MANIFEST} is not valid JSON ({e}); nothing was restored.") from e
    return manifest, hashes


def _verify_checksums(manifest: dict[str, Any], hashes: dict[str, str]) -> None:
    expected: dict[str, str] = manifest.get("members", {})
    problems = []
    for name in sorted(expected.keys() | hashes.keys()):
        if name not in hashes:
            problems.append(f"{name} is missing")
        elif name not in expected:
            problems.append(f"{name} is not in the manifest")
        elif hashes[name] != expected[name]:
            problems.append(f"{name} does not match its checksum")
    if problems:
        raise BackupError("The archive is damaged or was changed after it was made: "
                          + "; ".join(problems[:10]) + (" …" if len(problems) > 10 else "")
                          + ". Nothing was restored.")


def known_migrations() -> set[tuple[str, str]]:
    """This code's migrations, and those its squashed migrations replace."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update(migration.replaces)
    return known


def _verify_schema(manifest: dict[str, Any]) -> list[str]:
    """Refuse an archive whose database applied migrations this code does not have (a newer Kadans);
    return this code's migrations that the archive lacks (an older Kadans: `migrate` after restoring)."""
    known = known_migrations()
    archived = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    unknown = sorted(f"{app}.{name}" for app, name in archived - known)
    if unknown:
        raise BackupError(
            f"This backup comes from a newer Kadans (version {manifest.get('kadans_version', '?')}; this is "
            f"{kadans_version()}): its database has {len(unknown)} migration(s) this code does not know: "
            f"{', '.join(unknown[:10])}{' …' if len(unknown) > 10 else ''}. Install that Kadans version (or a "
            f"newer one), then restore again. Nothing was restored."
        )
    return sorted(f"{app}.{name}" for app, name in known - archived)


def _replace_media(staged: Path, media_root: Path) -> None:
    """Make `media_root` hold exactly the staged files (moved: renamed when on the same file system)."""
    media_root.mkdir(parents=True, exist_ok=True)
    for child in media_root.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    if staged.is_dir():
        for child in staged.iterdir():
            shutil.move(child, media_root / child.name)


def backup_restore(
    *,
    archive: Path,
    overwrite: bool = False,
    database: str = "default",
    db_settings: dict[str, Any] | None = None,
    media_root: Path | None = None,
) -> RestoreResult:
    """Replace the database and the media files with an archive's, after checking it.

    Refused, with nothing changed: a damaged or altered archive (checksums), one from a newer schema
    (migrations this code does not know), one from another database engine, and, unless `overwrite`, a
    target database that holds tables or a media folder that holds files. The restored tables are
    compared with the manifest afterwards. `db_settings` targets another database than `database`'s.
    Stop the web server, the worker and the scheduler first.
    """
    settings_dict = db_settings or connections[database].settings_dict
    vendor = databases.vendor(settings_dict)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    # staged next to the media folder, so that its files are moved into place, not copied
    with tempfile.TemporaryDirectory(prefix=".kadans-restore-", dir=media_root.parent) as work:
        staging = Path(work)
        manifest, hashes = _extract(Path(archive), staging)
        if manifest.get("format") != FORMAT:
            raise BackupError(f"This archive has manifest format {manifest.get('format')!r}; this Kadans reads "
                              f"format {FORMAT}. Nothing was restored.")
        _verify_checksums(manifest, hashes)
        unapplied = _verify_schema(manifest)
        archived_vendor = manifest["database"]["vendor"]
        if archived_vendor != vendor:
            archived, target = databases.NAMES.get(archived_vendor, archived_vendor), databases.NAMES[vendor]
            raise BackupError(f"This is a {archived} backup and the target database is {target}: restore it "
                              f"into a {archived} database. Nothing was restored.")
        if not overwrite:
            tables = databases.table_count(settings_dict)
            files = len(_media_files(media_root))
            if tables or files:
                raise BackupError(
                    f"The target is not empty: database {settings_dict['NAME']} holds {tables} table(s) and "
                    f"{media_root} holds {files} file(s). Restoring replaces all of them: run again with --yes "
                    f"to overwrite. Nothing was restored."
                )
        if database in connections and connections[database].settings_dict is settings_dict:
            connections[database].close()
        databases.restore(settings_dict, staging / manifest["database"]["file"])
        _replace_media(staging / "media", media_root)
    restored = databases.database_state(settings_dict)
    expected = manifest_tables(manifest)
    differing = sorted(t for t in expected.keys() | restored.tables.keys()
                       if expected.get(t) != restored.tables.get(t))
    if differing:
        raise BackupError(f"The restored database differs from the archive's manifest in: {', '.join(differing)}.")
    return RestoreResult(manifest=manifest, unapplied_migrations=unapplied)
