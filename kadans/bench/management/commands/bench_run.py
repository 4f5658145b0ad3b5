"""The benchmark (issue 4): load the workload at a scale into SQLite or PostgreSQL, serve the app under
gunicorn with DEBUG off, time operations a–h over HTTP as rep01, run the concurrency check (with
--heavy-rep, a–c again where rep01 has ten times the history), and write
bench-results/bench-<db>-S<scale>.json and .md. Not a test: run it by hand (see README, "Benchmark")."""

import datetime
import json
import shlex
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from kadans.bench.runner import ROOT, Benchmark, Options, write_results


class Command(BaseCommand):
    help = "Benchmark operations a–h at a scale on SQLite or PostgreSQL, over real HTTP (see README)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="workload scale S (200,000·S activities)")
        parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
        parser.add_argument("--database-url", help="postgres: an empty database to use instead of a throwaway "
                                                   "cluster (it is migrated and loaded)")
        parser.add_argument("--out", default=str(ROOT / "bench-results"))
        parser.add_argument("--data", metavar="DIR",
                            help="load these workload files (made elsewhere, in the same format) instead of "
                                 "generating them with bench_generate")
        parser.add_argument("--anchor", default="2026-11-22", help="the workload's 'now' (bench_generate --anchor)")
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--requests", type=int, default=50, help="timed requests per operation")
        parser.add_argument("--warmup", type=int, default=5)
        parser.add_argument("--reuse", action="store_true",
                            help="keep the loaded database between runs (h is then not measured again)")
        parser.add_argument("--clients", type=int, default=20, help="concurrency clients (0: skip)")
        parser.add_argument("--seconds", type=float, default=20, help="concurrency run length")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers for the concurrency run")
        parser.add_argument("--threads", type=int, default=4, help="threads per worker for the concurrency run")
        parser.add_argument("--heavy-rep", action="store_true",
                            help="then a–c again on a second database where rep01 has --heavy-rep-factor times "
                                 "the usual history (bench_generate --heavy-rep)")
        parser.add_argument("--heavy-rep-factor", type=int, default=10, metavar="N")
        parser.add_argument("--markdown", metavar="RESULT.json", help="only write the Markdown table of a result")

    def handle(self, *args, **o):
        if o["markdown"]:
            result = json.loads(Path(o["markdown"]).read_text())
            _json_path, md_path = write_results(result, Path(o["markdown"]).parent)
            self.stdout.write(md_path.read_text())
            return
        options = Options(
            scale=o["scale"], db=o["db"], database_url=o["database_url"], out=Path(o["out"]),
            data=Path(o["data"]) if o["data"] else None, anchor=datetime.date.fromisoformat(o["anchor"]),
            requests=o["requests"], warmup=o["warmup"], seed=o["seed"], reuse=o["reuse"],
            concurrency_clients=o["clients"], concurrency_seconds=o["seconds"],
            concurrency_workers=o["workers"], concurrency_threads=o["threads"],
            command="python manage.py " + " ".join(shlex.quote(a) for a in sys.argv[1:]),
            heavy_rep=o["heavy_rep"], heavy_factor=o["heavy_rep_factor"],
        )
        result = Benchmark(options).run()
        json_path, md_path = write_results(result, options.out)
        self.stdout.write(md_path.read_text())
        self.stdout.write(f"written: {json_path}, {md_path}")
