"""A backup taken while the application writes restores exactly the snapshot its manifest describes: every
table's rows and the media files, on SQLite (online backup API) and PostgreSQL (pg_dump)."""

import datetime
import hashlib
import threading

import pytest
from django.db import connections

from kadans.activities.services import activity_create
from kadans.ops import databases
from kadans.ops.services import backup_create, backup_restore, manifest_tables
from tests.factories import ActivityTypeFactory, RelationFactory, UserFactory
from tests.ops.support import fresh_database, query

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


class Writer(threading.Thread):
    """Creates activities one after the other through the activities service, each with a media file
    written first (as an upload is), until stopped."""

    def __init__(self, *, media_root, user, relation, activity_type):
        super().__init__(daemon=True)
        self.media_root, self.user, self.relation, self.activity_type = media_root, user, relation, activity_type
        self.count = 0
        self.error = None
        self.changed = threading.Condition()
        self.stopping = threading.Event()

    def run(self):
        try:
            while not self.stopping.is_set():
                path = self.media_root / "documents" / "writer" / f"{self.count}.txt"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(f"upload {self.count}")
                activity_create(user=self.user, relation=self.relation, activity_type=self.activity_type,
                                start=datetime.date(2026, 12, 1), summary=f"write {self.count}")
                with self.changed:
                    self.count += 1
                    self.changed.notify_all()
        except Exception as e:  # noqa: BLE001 - reported by wait_for
            self.error = e
            with self.changed:
                self.changed.notify_all()
        finally:
            connections.close_all()

    def wait_for(self, count):
        with self.changed:
            self.changed.wait_for(lambda: self.count >= count or self.error, timeout=120)
        assert self.error is None, self.error
        assert self.count >= count


@pytest.fixture
def target(tmp_path):
    yield from fresh_database(tmp_path)


def test_a_backup_taken_while_writing_restores_its_snapshot(tmp_path, settings, target):
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    (media / "documents" / "x1").mkdir(parents=True)
    (media / "documents" / "x1" / "offer.pdf").write_bytes(b"%PDF-1.4 offer")
    (media / "signatures" / "s.png").parent.mkdir(parents=True)
    (media / "signatures" / "s.png").write_bytes(bytes(range(256)))
    rep = UserFactory()
    writer = Writer(media_root=media, user=rep, relation=RelationFactory(representative=rep),
                    activity_type=ActivityTypeFactory())
    writer.start()
    try:
        writer.wait_for(3)

        def write_more_after_the_snapshot():
            # the rest of the backup (counting, pg_dump, the media files) runs while these commit
            writer.wait_for(writer.count + 3)

        result = backup_create(out=tmp_path / "backup.tar.gz", on_snapshot=write_more_after_the_snapshot)
    finally:
        writer.stopping.set()
        writer.join(timeout=120)
    assert writer.error is None, writer.error

    restored_media = tmp_path / "restored-media"
    backup_restore(archive=result.path, db_settings=target, media_root=restored_media)

    # every table, row for row (count and digest), is the state the manifest recorded at the snapshot
    manifest = result.manifest
    state = databases.database_state(target)
    assert state.tables == manifest_tables(manifest)
    assert "activities_activity" in state.tables and "relations_relation" in state.tables
    assert state.migrations == manifest["migrations"]

    # the snapshot is consistent: the writer's first n activities, none of those committed after it
    summaries = {s for (s,) in query(target, "SELECT summary FROM activities_activity")}
    n = len(summaries)
    assert summaries == {f"write {i}" for i in range(n)}
    assert 3 <= n <= writer.count - 3
    assert manifest["tables"]["activities_activity"]["rows"] == state.tables["activities_activity"].rows

    # media: exactly the archived files, their bytes as the manifest says; the snapshot's uploads included
    restored_files = {p.relative_to(restored_media).as_posix(): p for p in restored_media.rglob("*") if p.is_file()}
    archived_media = {name.removeprefix("media/"): digest for name, digest in manifest["members"].items()
                      if name.startswith("media/")}
    assert set(restored_files) == set(archived_media)
    for name, path in restored_files.items():
        assert hashlib.sha256(path.read_bytes()).hexdigest() == archived_media[name]
        assert path.read_bytes() == (media / name).read_bytes()
    assert {"documents/x1/offer.pdf", "signatures/s.png"} <= set(restored_files)
    assert {f"documents/writer/{i}.txt" for i in range(n)} <= set(restored_files)
