from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kadans.ops.databases import DATABASE_ERRORS
from kadans.ops.services import BackupError, backup_create


class Command(BaseCommand):
    help = ("Write one archive (tar.gz) of the database and the media files, with a manifest: Kadans version, "
            "applied migrations, rows per table, checksums. Safe while Kadans runs: SQLite is copied with its "
            "online backup API, PostgreSQL with pg_dump. Restore it with manage.py kadans_restore.")

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, help="the archive to write (default: "
                            "$KADANS_DATA_DIR/backups/kadans-<UTC time>.tar.gz)")

    def handle(self, *args, out: Path | None = None, **options):
        try:
            result = backup_create(out=out)
        except BackupError as e:
            raise CommandError(str(e)) from e
        except DATABASE_ERRORS as e:
            raise CommandError(f"The database cannot be reached or read: {e}") from e
        manifest = result.manifest
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(
            f"{result.path}: {manifest['database']['vendor']} database, {len(manifest['tables'])} tables, "
            f"{rows} rows, {manifest['media_files']} media files, {result.path.stat().st_size} bytes"
        )
