"""A restore checks the archive before it changes anything: checksums, schema, engine, and a target that
already holds data."""

import json

import pytest
from django.core.management import CommandError, call_command

from kadans.ops import databases
from kadans.ops.services import BackupError, backup_restore
from kadans.relations.models import Relation
from tests.factories import RelationFactory
from tests.ops.support import fresh_database, rewrite_archive

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def target(tmp_path):
    yield from fresh_database(tmp_path)


@pytest.fixture
def backup(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "documents").mkdir(parents=True)
    (settings.MEDIA_ROOT / "documents" / "offer.pdf").write_bytes(b"%PDF-1.4 the offer")
    RelationFactory(name="Brouwerij De Kroon")
    path = tmp_path / "backup.tar.gz"
    call_command("kadans_backup", "--out", str(path))
    return path


def _assert_nothing_restored(target, media_root):
    assert databases.table_count(target) == 0
    assert not media_root.exists() or not any(media_root.iterdir())


@pytest.mark.parametrize("member", ["media/documents/offer.pdf", "database.sqlite3|database.pgdump"])
def test_a_changed_member_is_refused(backup, tmp_path, target, member):
    tampered = tmp_path / "tampered.tar.gz"

    def change(name, data):
        return data[:-1] + bytes([data[-1] ^ 1]) if name in member.split("|") else data

    rewrite_archive(backup, tampered, change)
    media_root = tmp_path / "restored-media"
    with pytest.raises(BackupError, match="damaged or was changed.*does not match its checksum.*Nothing was restored"):
        backup_restore(archive=tampered, db_settings=target, media_root=media_root)
    _assert_nothing_restored(target, media_root)


def test_an_archive_from_a_newer_schema_is_refused_with_the_migrations_it_lacks(backup, tmp_path, target):
    newer = tmp_path / "newer.tar.gz"

    def change(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["migrations"]["activities"].append("9999_from_the_future")
        manifest["kadans_version"] = "9.0.0"
        return json.dumps(manifest).encode()

    rewrite_archive(backup, newer, change)
    media_root = tmp_path / "restored-media"
    with pytest.raises(BackupError) as refused:
        backup_restore(archive=newer, db_settings=target, media_root=media_root)
    assert str(refused.value).startswith(
        "This backup comes from a newer Kadans (version 9.0.0; this is 0.1.0): its database has 1 migration(s) "
        "this code does not know: activities.9999_from_the_future. Install that Kadans version"
    )
    _assert_nothing_restored(target, media_root)


def test_a_database_with_tables_is_overwritten_only_with_yes(backup, settings):
    RelationFactory(name="Made after the backup")
    with pytest.raises(CommandError, match="The target is not empty.*run again with --yes"):
        call_command("kadans_restore", str(backup))
    assert Relation.objects.filter(name="Made after the backup").exists()

    (settings.MEDIA_ROOT / "later.txt").write_text("uploaded after the backup")
    call_command("kadans_restore", str(backup), "--yes")
    assert not Relation.objects.filter(name="Made after the backup").exists()
    assert Relation.objects.filter(name="Brouwerij De Kroon").exists()
    assert sorted(p.name for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()) == ["offer.pdf"]


def test_an_archive_of_another_engine_is_refused(backup, tmp_path, target):
    other = {databases.SQLITE: databases.POSTGRESQL, databases.POSTGRESQL: databases.SQLITE}[databases.vendor(target)]
    swapped = tmp_path / "swapped.tar.gz"

    def change(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["database"]["vendor"] = other
        return json.dumps(manifest).encode()

    rewrite_archive(backup, swapped, change)
    with pytest.raises(BackupError, match=f"This is a {databases.NAMES[other]} backup"):
        backup_restore(archive=swapped, db_settings=target, media_root=tmp_path / "restored-media")
    assert databases.table_count(target) == 0


@pytest.mark.parametrize("name", ["../escaped.txt", "/tmp/kadans-escaped.txt", "settings.py"])
def test_a_member_outside_the_backup_layout_is_refused(backup, tmp_path, target, name):
    evil = tmp_path / "evil.tar.gz"
    rewrite_archive(backup, evil, extra={name: b"not from a backup"})
    media_root = tmp_path / "restored-media"
    with pytest.raises(BackupError, match="Nothing was restored|nothing was restored"):
        backup_restore(archive=evil, db_settings=target, media_root=media_root)
    assert not (tmp_path / "escaped.txt").exists()
    _assert_nothing_restored(target, media_root)


def test_an_archive_from_an_older_schema_is_restored_and_names_what_to_migrate(backup, tmp_path, target):
    older = tmp_path / "older.tar.gz"

    def change(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["migrations"]["activities"].remove("0001_initial")
        return json.dumps(manifest).encode()

    rewrite_archive(backup, older, change)
    result = backup_restore(archive=older, db_settings=target, media_root=tmp_path / "restored-media")
    assert result.unapplied_migrations == ["activities.0001_initial"]
