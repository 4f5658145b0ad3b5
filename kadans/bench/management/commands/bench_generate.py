"""Write the benchmark workload (kadans.bench.workload) as CSV files:

    manage.py bench_generate --scale S --out DIR [--seed 42] [--anchor 2026-11-22] [--heavy-rep [USERNAME]]
"""

import datetime
import time

from django.core.management.base import BaseCommand, CommandError

from kadans.bench.workload import DEFAULT_ANCHOR, HEAVY_FACTOR, HEAVY_REP, volumes, write_workload


class Command(BaseCommand):
    help = "Write the benchmark workload at a scale (200,000·S activities) as CSV files; deterministic."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, required=True, help="scale S (fractions such as 0.01 work)")
        parser.add_argument("--out", required=True, help="the folder to write the eight CSV files into")
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--anchor", type=datetime.date.fromisoformat, default=DEFAULT_ANCHOR,
                            help="the data's 'now', YYYY-MM-DD (UTC midnight; default %(default)s)")
        parser.add_argument("--heavy-rep", nargs="?", const=HEAVY_REP, metavar="USERNAME",
                            help=f"give this representative (default {HEAVY_REP}) --heavy-rep-factor times the "
                                 "usual number of activities")
        parser.add_argument("--heavy-rep-factor", type=int, default=HEAVY_FACTOR, metavar="N")

    def handle(self, *args, scale, out, seed, anchor, heavy_rep, heavy_rep_factor, **options):
        try:
            v = volumes(scale)
            started = time.perf_counter()
            counts = write_workload(out, scale=scale, seed=seed, anchor=anchor, heavy_rep=heavy_rep,
                                    heavy_factor=heavy_rep_factor)
        except ValueError as e:
            raise CommandError(str(e)) from None
        heavy = f" heavy={heavy_rep}x{heavy_rep_factor}" if heavy_rep else ""
        self.stdout.write(
            f"scale={scale:g} seed={seed} anchor={anchor}{heavy} users={v.users} organisations={v.organisations} "
            f"in {time.perf_counter() - started:.1f}s -> {out}")
        self.stdout.write(", ".join(f"{n} {k}" for k, n in counts.items()))
