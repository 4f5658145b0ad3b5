"""Load a workload folder (the CSV files of `bench_generate`, or any files in that format) into the database."""

from django.core.management.base import BaseCommand, CommandError

from kadans.bench.loader import LoadError, load_workload


class Command(BaseCommand):
    help = "Load a benchmark workload folder (users, organisations, contacts, activities, …) in one transaction."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="folder with the eight CSV files (bench_generate writes them)")
        parser.add_argument("--password", default="bench", help="password of every loaded user (default: bench)")

    def handle(self, *args, folder, password, **options):
        try:
            result = load_workload(
                folder, password=password, log=lambda m: self.stdout.write(f"  {m}"), drop_foreign_keys=True
            )
        except LoadError as e:
            raise CommandError(str(e)) from None
        counts = ", ".join(f"{v} {k}" for k, v in result.counts.items())
        self.stdout.write(f"loaded {counts}")
        self.stdout.write(
            "seconds: " + ", ".join(f"{k} {v:.2f}" for k, v in result.seconds.items())
        )
