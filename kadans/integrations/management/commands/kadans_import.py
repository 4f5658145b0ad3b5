"""Import a CSV or XLSX file, all or nothing:

    manage.py kadans_import relations relations.xlsx [--dry-run] [--mapping name=Bedrijf --mapping city=Gemeente]
    manage.py kadans_import workload FOLDER [--dry-run] [--password P]

Kinds: relations, contacts, products, activities, cost_lines; `workload` loads a folder of the eight CSV
files of the workload format (kadans.integrations.workload: the benchmark's, or another system's export).
Bad rows are listed and nothing is written.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kadans.accounts.models import User
from kadans.integrations.importer import KINDS, default_mapping, run_import
from kadans.integrations.tabular import TableError, read_table
from kadans.integrations.workload import LoadError, load_workload, read_and_check


class Command(BaseCommand):
    help = "Import relations, contacts, products, activities or cost lines from CSV/XLSX, or a benchmark workload."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=[*KINDS, "workload"])
        parser.add_argument("path", help="the file (or, for workload, the folder of CSV files)")
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
        parser.add_argument(
            "--mapping", action="append", default=[], metavar="FIELD=COLUMN",
            help="map a field to a column; repeat, or give a JSON object; unmapped fields are matched by name",
        )
        parser.add_argument("--user", help="the user the import is recorded as (default: the first administrator)")
        parser.add_argument("--password", help="workload: the password of the loaded users (default: none, unusable)")

    def handle(self, *args, kind, path, dry_run, mapping, user, password, **options):
        if kind == "workload":
            return self._workload(Path(path), dry_run, password)
        actor = self._user(user)
        try:
            header, rows = read_table(Path(path).read_bytes(), path)
        except OSError as e:
            raise CommandError(str(e)) from None
        except TableError as e:
            raise CommandError(str(e)) from None
        chosen = default_mapping(kind, header) | self._mapping(mapping)
        report = run_import(kind=kind, header=header, rows=rows, mapping=chosen, user=actor, dry_run=dry_run)
        if not report.ok:
            for number, message in report.errors:
                self.stderr.write(f"row {number}: {message}")
            if report.error_count > len(report.errors):
                self.stderr.write(f"… and {report.error_count - len(report.errors)} more")
            raise CommandError(f"{report.error_count} bad row(s) of {report.rows}: nothing was imported")
        verb = "would import" if dry_run else "imported"
        self.stdout.write(f"{kind}: {verb} {report.rows} row(s)")

    def _mapping(self, items: list[str]) -> dict:
        result = {}
        for item in items:
            if item.lstrip().startswith("{"):
                try:
                    value = json.loads(item)
                except ValueError as e:
                    raise CommandError(f"--mapping is not valid JSON: {e}") from None
                if not isinstance(value, dict):
                    raise CommandError("--mapping JSON must be an object of field: column")
                result.update({str(k): str(v) for k, v in value.items()})
            elif "=" in item:
                field, column = item.split("=", 1)
                result[field.strip()] = column.strip()
            else:
                raise CommandError(f"--mapping {item!r}: write FIELD=COLUMN")
        return result

    def _user(self, username: str | None) -> User:
        if username:
            found = User.objects.filter(username=username).first()
            if found is None:
                raise CommandError(f"no user {username!r}")
            return found
        found = (User.objects.filter(is_superuser=True).order_by("pk").first()
                 or User.objects.filter(role=User.Role.ADMINISTRATOR).order_by("pk").first())
        if found is None:
            raise CommandError("no administrator to record the import as: give --user")
        return found

    def _workload(self, folder: Path, dry_run: bool, password: str | None):
        if not folder.is_dir():
            raise CommandError(f"{folder} is not a folder")
        try:
            if dry_run:
                data = read_and_check(folder)
                self.stdout.write("workload: would load " + ", ".join(
                    f"{len(data[k])} {k}" for k in ("users", "products", "orgs", "contacts", "activities",
                                                    "participations", "cost_lines", "changes")))
                return
            result = load_workload(folder, password=password, log=self.stdout.write)
        except LoadError as e:
            raise CommandError(str(e)) from None
        self.stdout.write("workload: loaded " + ", ".join(f"{n} {k}" for k, n in result.counts.items()))
