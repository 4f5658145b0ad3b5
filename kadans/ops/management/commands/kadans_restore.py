from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kadans.ops.databases import DATABASE_ERRORS
from kadans.ops.services import BackupError, backup_restore


class Command(BaseCommand):
    help = ("Replace the database and the media files with those of an archive made by kadans_backup. The "
            "archive's checksums are verified first; an archive from a newer Kadans is refused. Stop the web "
            "server, the worker and the scheduler before restoring.")

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument("--yes", action="store_true",
                            help="overwrite a database that holds tables, and the media files")

    def handle(self, *args, archive: Path, yes: bool, **options):
        if not archive.is_file():
            raise CommandError(f"{archive} does not exist.")
        try:
            result = backup_restore(archive=archive, overwrite=yes)
        except BackupError as e:
            raise CommandError(str(e)) from e
        except DATABASE_ERRORS as e:
            raise CommandError(f"The database cannot be reached or read: {e}") from e
        manifest = result.manifest
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(
            f"Restored {archive} (Kadans {manifest['kadans_version']}, made {manifest['created_at']}): "
            f"{len(manifest['tables'])} tables, {rows} rows, {manifest['media_files']} media files; "
            f"every table matches the manifest."
        )
        if result.unapplied_migrations:
            self.stdout.write(f"The backup is from an older Kadans: run 'manage.py migrate' now "
                              f"({len(result.unapplied_migrations)} migration(s) to apply).")
