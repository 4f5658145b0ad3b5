"""The benchmark run: workload → database → gunicorn → operations a–h over HTTP → JSON and Markdown;
with heavy_rep, a–c once more on a second database where rep01 has ten times the usual history.

Everything that touches the benchmark database runs in a child process whose environment points at it
(DATABASE_URL or KADANS_DATA_DIR), exactly as the server does; this process only orchestrates and talks
HTTP, so its own settings never matter.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

import django
import psycopg
from psycopg import sql

from kadans.bench.client import Session
from kadans.bench.workload import HEAVY_REP, write_workload

ROOT = Path(__file__).resolve().parent.parent.parent
OPERATIONS = {
    "a": "calendar week (events JSON)",
    "b": "my open activities, first page",
    "c": "relation page",
    "d": "create an activity (POST form)",
    "e": "complete, triggers next (POST)",
    "f": "CRM costs report, 1 year",
    "g": "conversions report, 1 year",
    "h": "load the workload (CSV → DB)",
}
TARGETS_MS = {"a": 15, "b": 20, "c": 25, "d": 15, "e": 20, "f": 500, "g": 500, "h": 20_000}
QUERY_TARGET = 10  # a–e
PASSWORD = "bench"


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def summarize(timings_s: list[float]) -> dict:
    ms = sorted(t * 1000 for t in timings_s)
    return {
        "median_ms": round(statistics.median(ms), 2),
        "p95_ms": round(ms[min(len(ms) - 1, int(len(ms) * 0.95))], 2),
        "min_ms": round(ms[0], 2),
        "n": len(ms),
    }


# --------------------------------------------------------------------------------------------------
# PostgreSQL: a throwaway cluster, started as dev.sh does (as the postgres user when root)


class PostgresCluster:
    def __init__(self, shared_buffers: str = "1GB"):
        self.dir = Path(tempfile.mkdtemp(prefix="kadans-bench-pg-"))
        self.bin = self._find_bin()
        self.port = free_port()
        self.shared_buffers = shared_buffers
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]

    @staticmethod
    def _find_bin() -> Path:
        candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: p.parent.parent.name)
        if candidates:
            return candidates[-1].parent
        found = shutil.which("initdb")
        if found:
            return Path(found).parent
        raise RuntimeError("PostgreSQL server binaries (initdb, pg_ctl) not found: apt-get install postgresql")

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_user, *args], cwd=self.dir, check=True, stdout=subprocess.DEVNULL)

    def start(self) -> str:
        data = self.dir / "data"
        self._run(str(self.bin / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8")
        # Production-like: durability left on (fsync, synchronous_commit), shared buffers that hold the S=10
        # data set, and random_page_cost for data on SSD or in memory (README, "Benchmark"): with the
        # default 4.0, meant for spinning disks, the planner reads all 200,000 activities instead of the
        # user's 5,000 through an index (60 ms instead of 20 for "my activities" at S=1).
        options = (f"-k {self.dir} -p {self.port} -c listen_addresses=127.0.0.1 "
                   f"-c shared_buffers={self.shared_buffers} -c max_connections=60 -c random_page_cost=1.1 "
                   f"-c effective_cache_size=8GB")
        self._run(str(self.bin / "pg_ctl"), "-D", str(data), "-l", str(self.dir / "server.log"), "-o", options,
                  "-w", "start")
        self._run(str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "kadans")
        return f"postgres://postgres@127.0.0.1:{self.port}/kadans"

    def stop(self) -> None:
        try:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "fast", "-w", "stop")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)

    def version(self) -> str:
        out = subprocess.run([str(self.bin / "postgres"), "--version"], capture_output=True, text=True)
        return out.stdout.strip()


# --------------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Options:
    scale: float
    db: str
    database_url: str | None
    out: Path
    data: Path | None  # workload files made elsewhere, loaded as they are; None: kadans.bench.workload writes them
    anchor: datetime.date
    requests: int
    warmup: int
    seed: int
    reuse: bool
    concurrency_clients: int
    concurrency_seconds: float
    concurrency_workers: int
    concurrency_threads: int
    command: str
    heavy_rep: bool = False
    heavy_factor: int = 10


class Benchmark:
    def __init__(self, options: Options):
        self.o = options
        self.cluster: PostgresCluster | None = None
        self.server: subprocess.Popen | None = None
        self.port = 0
        self.env: dict[str, str] = {}
        self.workdir = options.out / "work" / f"{options.db}-S{options.scale:g}"

    # ---- environment ------------------------------------------------------------------------------

    def data_dir(self, heavy: bool = False) -> Path:
        o = self.o
        if o.data is not None and not heavy:
            return o.data
        name = f"kadans-S{o.scale:g}-seed{o.seed}-{o.anchor}" + (f"-{HEAVY_REP}x{o.heavy_factor}" if heavy else "")
        folder = o.out / "data" / name
        if not (folder / "status_changes.csv").exists():  # written last: a complete set
            log(f"generating the workload at S={o.scale:g}{' (heavy ' + HEAVY_REP + ')' if heavy else ''} "
                f"into {folder}")
            write_workload(folder, scale=o.scale, seed=o.seed, anchor=o.anchor,
                           heavy_rep=HEAVY_REP if heavy else None, heavy_factor=o.heavy_factor)
        return folder

    def setup_env(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "KADANS_DATA_DIR")}
        env.update({
            "DEBUG": "0", "SECRET_KEY": "kadans-benchmark-not-a-secret-" + "x" * 30, "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_COOKIES": "0", "KADANS_DATA_DIR": str(self.workdir / "data"),
            "STATIC_ROOT": str(self.o.out / "static"), "KADANS_QUERY_COUNT_HEADER": "1", "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        })
        if self.o.db == "postgres":
            url = self.o.database_url
            if not url:
                db_file = self.workdir / "database_url"
                if self.o.reuse and db_file.exists():
                    url = db_file.read_text().strip()
                else:
                    self.cluster = PostgresCluster()
                    url = self.cluster.start()
                    log(f"throwaway PostgreSQL on {url}")
            env["DATABASE_URL"] = url
        self.env = env

    def manage(self, *args: str, capture: bool = False) -> str:
        result = subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *args], env=self.env, cwd=ROOT, check=True,
            stdout=subprocess.PIPE if capture else None, text=True,
        )
        return result.stdout if capture else ""

    def manage_json(self, *args: str) -> dict:
        return json.loads(self.manage(*args, capture=True).strip().splitlines()[-1])

    def load(self, heavy: bool = False) -> dict:
        """h: migrate an empty database, then time the loader (the command's own wall clock: reading,
        checking and inserting, without Python's start-up)."""
        if self.o.db == "sqlite":
            shutil.rmtree(self.workdir / "data", ignore_errors=True)
        self.manage("migrate", "--noinput", "-v0")
        folder = self.data_dir(heavy)
        started = time.perf_counter()
        out = self.manage("bench_load", str(folder), "--password", PASSWORD, capture=True)
        wall = time.perf_counter() - started
        print(out, file=sys.stderr)
        seconds = {}
        for line in out.splitlines():
            if line.startswith("seconds: "):
                for part in line[len("seconds: "):].split(", "):
                    key, value = part.rsplit(" ", 1)
                    seconds[key] = float(value)
        return {"seconds": seconds, "process_seconds": round(wall, 2), "output": out.strip().splitlines()[-2]}

    # ---- server -----------------------------------------------------------------------------------

    def start_server(self, workers: int = 1, threads: int = 1) -> None:
        self.port = free_port()
        args = [
            str(Path(sys.executable).parent / "gunicorn"), "kadans.wsgi", "-w", str(workers),
            "-b", f"127.0.0.1:{self.port}", "--log-level", "warning", "--timeout", "120",
        ]
        if threads > 1:
            args += ["--threads", str(threads)]
        self.server = subprocess.Popen(args, env=self.env, cwd=ROOT, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if Session("127.0.0.1", self.port, timeout=5).get("/login/").status == 200:
                    log(f"gunicorn ({workers} worker(s), {threads} thread(s)) on port {self.port}")
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer within 60 s")

    def stop_server(self) -> None:
        if self.server and self.server.poll() is None:
            os.killpg(self.server.pid, signal.SIGTERM)
            try:
                self.server.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.server.pid, signal.SIGKILL)
                self.server.wait()
        self.server = None

    def session(self, username: str = "rep01") -> Session:
        s = Session("127.0.0.1", self.port)
        s.login(username, PASSWORD)
        return s

    # ---- operations -------------------------------------------------------------------------------

    def measure(self, session: Session, key: str, request, *, expect: int, n: int | None = None) -> dict:
        """Warm up, then time n requests. `request(i)` makes the i-th request and returns its Response."""
        n = n or self.o.requests
        timings, queries, statuses, cpu = [], set(), set(), []
        for i in range(self.o.warmup + n):
            response = request(i)
            statuses.add(response.status)
            if response.status != expect:
                raise RuntimeError(f"operation {key}: HTTP {response.status}, expected {expect}: "
                                   f"{response.text[:300]}")
            if i >= self.o.warmup:
                timings.append(response.seconds)
                queries.add(response.queries)
                if "x-kadans-cpu-ms" in response.headers:
                    cpu.append(float(response.headers["x-kadans-cpu-ms"]))
        result = summarize(timings)
        result["queries"] = sorted(q for q in queries if q is not None)
        if cpu:
            result["server_cpu_median_ms"] = round(statistics.median(cpu), 2)
        result["load_average"] = round(os.getloadavg()[0], 2)
        return result

    def get_urls(self, targets: dict) -> dict[str, list[str]]:
        """The GET operations' URLs (the first that answers 200 is measured)."""
        o = self.o
        monday = o.anchor - datetime.timedelta(days=o.anchor.weekday())
        next_monday = monday + datetime.timedelta(days=7)

        # a: the calendar's events feed, as FullCalendar asks for it (ISO datetimes with an offset);
        # also accepted: plain dates
        a_urls = [
            "/calendar/events/?" + urllib.parse.urlencode({
                "start": f"{monday}T00:00:00+01:00", "end": f"{next_monday}T00:00:00+01:00"}),
            f"/calendar/events/?start={monday}&end={next_monday}",
        ]
        year = o.anchor.year
        get_ops = {
            "a": a_urls,
            "b": ["/activities/"],
            "c": [f"/relations/{targets['relation_c']}/"],
            "f": [f"/reports/costs/?start={year}-01-01&end={year}-12-31&group=representative,month"],
            "g": [f"/reports/conversions/?start={year}-01-01&end={year}-12-31"],
        }
        return get_ops

    def operations(self, targets: dict) -> dict:
        o = self.o
        s = self.session()
        results: dict[str, dict] = {}
        get_ops = self.get_urls(targets)
        for key in ("a", "b", "c"):
            results[key] = self._get_op(s, key, get_ops[key])

        # d: the action form, as the browser posts it (a planned all-day to-do on one of my relations)
        relations = targets["relations_d"]
        start_date = (o.anchor + datetime.timedelta(days=3)).isoformat()

        def create(i):
            return s.post("/activities/new/", {
                "csrfmiddlewaretoken": s.csrf, "next": "", "relation": relations[i % len(relations)],
                "type": targets["type_d"], "representative": targets["user_id"], "status": "planned",
                "start_date": start_date, "all_day": "on", "summary": f"bench-d-{i}", "note": "",
                "costs-TOTAL_FORMS": "0", "costs-INITIAL_FORMS": "0", "costs-MIN_NUM_FORMS": "0",
                "costs-MAX_NUM_FORMS": "1000",
            })

        results["d"] = self._post_op("d", "/activities/new/", create)

        # e: complete a planned call of mine; "Call" triggers "Create quote"
        e_ids = targets["complete_e"]
        needed = o.warmup + o.requests
        if len(e_ids) < needed:
            raise RuntimeError(f"operation e needs {needed} planned calls of rep01, found {len(e_ids)}")

        def complete(i):
            return s.post(f"/activities/{e_ids[i]}/complete/", {"csrfmiddlewaretoken": s.csrf, "next": ""})

        results["e"] = self._post_op("e", "/activities/<id>/complete/", complete)
        results["e"]["ids"] = e_ids[:needed]

        for key in ("f", "g"):
            results[key] = self._get_op(s, key, get_ops[key])
        return results

    def _get_op(self, s: Session, key: str, urls: list[str]) -> dict:
        tried = []
        for url in urls:
            response = s.get(url)
            tried.append(f"{url} → {response.status}")
            if response.status == 200:
                log(f"{key}: GET {url}")
                result = self.measure(s, key, lambda i, url=url: s.get(url), expect=200)
                result.update(available=True, method="GET", url=url, bytes=len(response.body))
                return result
        log(f"{key}: not available yet ({'; '.join(tried)})")
        return {"available": False, "method": "GET", "url": urls[0], "tried": tried}

    def _post_op(self, key: str, url: str, request) -> dict:
        log(f"{key}: POST {url}")
        result = self.measure(None, key, request, expect=302)
        result.update(available=True, method="POST", url=url)
        return result

    # ---- concurrency ------------------------------------------------------------------------------

    def concurrency(self, targets: dict) -> dict:
        """20 clients for a bounded time, each its own session (a different representative where there
        are enough), mixing create, complete (a call: triggers "Create quote") and reschedule (+1 day)."""
        o = self.o
        usernames = sorted(targets["clients"])
        run_id = datetime.datetime.now().strftime("%H%M%S")
        prefix = f"conc-{run_id}-"
        lock = threading.Lock()
        record = {"create_prefix": prefix, "creates_ok": [], "completes_ok": [], "reschedules_ok": [],
                  "e_ids": targets.get("e_ids", [])}
        stats = {op: {"ok": 0, "errors": 0, "timings": []} for op in ("create", "complete", "reschedule")}
        errors: list[str] = []
        # each client gets its own slice of its representative's activities, so no two clients complete or
        # move the same one: every success must then show in the database
        per_user_clients: dict[str, list[int]] = {}
        for c in range(o.concurrency_clients):
            per_user_clients.setdefault(usernames[c % len(usernames)], []).append(c)

        def slice_for(username: str, c: int, items: list) -> list:
            peers = per_user_clients[username]
            return items[peers.index(c)::len(peers)]

        sessions = []
        for c in range(o.concurrency_clients):
            username = usernames[c % len(usernames)]
            sessions.append((c, username, self.session(username)))
        start_date = (o.anchor + datetime.timedelta(days=5)).isoformat()
        deadline = time.monotonic() + o.concurrency_seconds
        barrier = threading.Barrier(len(sessions))

        def client(c: int, username: str, s: Session) -> None:
            mine = targets["clients"][username]
            completes = slice_for(username, c, mine["complete"])
            moves = slice_for(username, c, mine["reschedule"])
            relations = mine["relations"] or targets["relations_d"]
            i = 0
            barrier.wait()
            while time.monotonic() < deadline:
                op = ("create", "complete", "reschedule")[i % 3]
                try:
                    if op == "create":
                        summary = f"{prefix}{c}-{i}"
                        r = s.post("/activities/new/", {
                            "csrfmiddlewaretoken": s.csrf, "relation": relations[i % len(relations)],
                            "type": targets["type_d"], "status": "planned", "start_date": start_date,
                            "all_day": "on", "summary": summary, "costs-TOTAL_FORMS": "0",
                            "costs-INITIAL_FORMS": "0", "costs-MIN_NUM_FORMS": "0", "costs-MAX_NUM_FORMS": "1000",
                        })
                        item = summary
                    elif op == "complete":
                        if not completes:
                            i += 1
                            continue
                        pk = completes.pop(0)
                        r = s.post(f"/activities/{pk}/complete/", {"csrfmiddlewaretoken": s.csrf})
                        item = pk
                    else:
                        if not moves:
                            i += 1
                            continue
                        move = moves.pop(0)
                        r = s.post(f"/activities/{move['id']}/reschedule/", {
                            "csrfmiddlewaretoken": s.csrf, "by": "1d"})
                        item = move
                    ok = r.status == 302
                except OSError as e:
                    ok, r = False, None
                    with lock:
                        errors.append(f"{op}: {e}")
                with lock:
                    stats[op]["ok" if ok else "errors"] += 1
                    if ok:
                        stats[op]["timings"].append(r.seconds)
                        key = {"create": "creates_ok", "complete": "completes_ok", "reschedule": "reschedules_ok"}
                        record[key[op]].append(item)
                    elif r is not None:
                        errors.append(f"{op}: HTTP {r.status} {r.text[:200]!r}")
                i += 1

        threads = [threading.Thread(target=client, args=args) for args in sessions]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
        record_file = self.workdir / "concurrency-run.json"
        record_file.write_text(json.dumps(record))
        verify = self.manage_json("bench_db", "verify", "--file", str(record_file))
        total_ok = sum(v["ok"] for v in stats.values())
        return {
            "clients": o.concurrency_clients, "seconds": round(elapsed, 1),
            "server": f"gunicorn -w {o.concurrency_workers} --threads {o.concurrency_threads}",
            "requests_ok": total_ok, "errors": sum(v["errors"] for v in stats.values()),
            "throughput_rps": round(total_ok / elapsed, 1),
            "by_operation": {
                op: {"ok": v["ok"], "errors": v["errors"],
                     **({k: summarize(v["timings"])[k] for k in ("median_ms", "p95_ms")} if v["timings"] else {})}
                for op, v in stats.items()
            },
            "error_samples": errors[:10], "verify": verify,
        }

    # ---- a heavy representative -------------------------------------------------------------------

    def heavy(self) -> dict:
        """a–c (with the floor of a and b) on a second database loaded with the workload in which rep01
        has heavy_factor times the usual history (kadans.bench.workload, heavy_rep): how the operations
        of one user grow with that user's volume. The database is removed afterwards."""
        o = self.o
        saved = self.env, self.workdir
        self.workdir = self.workdir.with_name(self.workdir.name + "-heavy")
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.env = dict(self.env, KADANS_DATA_DIR=str(self.workdir / "data"))
        second = None
        try:
            if o.db == "postgres":
                second = self._second_database(saved[0]["DATABASE_URL"])
                self.env["DATABASE_URL"] = second
            result: dict = {"user": HEAVY_REP, "factor": o.heavy_factor, "load": self.load(heavy=True)}
            self.manage_json("bench_db", "settle")
            targets = self.manage_json("bench_db", "targets", "--need", "0")
            result["targets"] = {k: targets[k] for k in ("relation_c", "relation_c_activities", "user_id",
                                                         "user_activities")}
            self.start_server()
            try:
                s = self.session()
                urls = self.get_urls(targets)
                ops = {key: self._get_op(s, key, urls[key]) for key in ("a", "b", "c")}
            finally:
                self.stop_server()
            monday = o.anchor - datetime.timedelta(days=o.anchor.weekday())
            floor = self.manage_json("bench_db", "floor", "--week", monday.isoformat(), "--n", str(o.requests))
            for key in ("a", "b"):
                ops[key]["floor"] = floor[key]
            result["operations"] = ops
            return result
        finally:
            self.stop_server()
            if o.db == "sqlite":
                shutil.rmtree(self.workdir / "data", ignore_errors=True)
            elif second is not None:
                self._drop_database(saved[0]["DATABASE_URL"], second)
            self.env, self.workdir = saved

    @staticmethod
    def _second_database(url: str) -> str:
        """An empty database beside url's, on the same server (its role must be allowed to create one)."""
        parts = urllib.parse.urlsplit(url)
        name = parts.path.lstrip("/") + "_heavy"
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return urllib.parse.urlunsplit(parts._replace(path="/" + name))

    @staticmethod
    def _drop_database(url: str, second: str) -> None:
        name = urllib.parse.urlsplit(second).path.lstrip("/")
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))

    # ---- the whole run ----------------------------------------------------------------------------

    def run(self) -> dict:
        o = self.o
        result: dict = {"meta": self.meta()}
        result["meta"]["load_average_start"] = [round(x, 2) for x in os.getloadavg()]
        try:
            self.setup_env()
            loaded_marker = self.workdir / "loaded"
            # a cluster started by this run is empty, whatever an earlier run left in the work folder
            if o.reuse and loaded_marker.exists() and self.cluster is None:
                log("reusing the loaded database (--reuse): h not measured again")
                self.manage("migrate", "--noinput", "-v0")  # tables of apps added since it was loaded
                result["load"] = json.loads(loaded_marker.read_text())
                result["load"]["reused"] = True
            else:
                loaded_marker.unlink(missing_ok=True)
                result["load"] = self.load()
                loaded_marker.write_text(json.dumps(result["load"]))
                if self.cluster is not None and o.reuse:
                    (self.workdir / "database_url").write_text(self.env["DATABASE_URL"])
                    self.cluster = None  # keep it for the next --reuse run
            result["settle"] = self.manage_json("bench_db", "settle")
            self.manage("collectstatic", "--noinput", "-v0")
            targets = self.manage_json("bench_db", "targets", "--need", str(o.warmup + o.requests))
            result["targets"] = {k: targets[k] for k in ("relation_c", "relation_c_activities", "user_id",
                                                         "user_activities")}
            result["meta"]["database"] = targets["database"]
            self.start_server()
            try:
                ops = self.operations(targets)
            finally:
                self.stop_server()
            monday = o.anchor - datetime.timedelta(days=o.anchor.weekday())
            floor = self.manage_json("bench_db", "floor", "--week", monday.isoformat(), "--n", str(o.requests))
            for key in ("a", "b"):
                ops[key]["floor"] = floor[key]
            targets["e_ids"] = ops["e"].pop("ids")
            ops["h"] = {"available": True, "median_ms": round(result["load"]["seconds"].get("total", 0) * 1000),
                        "p95_ms": None, "queries": [], "n": 1, "method": "command", "url": "manage.py bench_load"}
            result["operations"] = ops
            result["meta"]["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
            if o.concurrency_clients:
                self.start_server(o.concurrency_workers, o.concurrency_threads)
                try:
                    log(f"concurrency: {o.concurrency_clients} clients for {o.concurrency_seconds:g} s")
                    result["concurrency"] = self.concurrency(targets)
                finally:
                    self.stop_server()
            if o.heavy_rep:
                log(f"heavy representative: {HEAVY_REP} with {o.heavy_factor}x the usual history, a second database")
                result["heavy_rep"] = self.heavy()
        finally:
            self.stop_server()
            if self.cluster is not None:
                self.cluster.stop()
        return result

    def meta(self) -> dict:
        try:
            rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                 text=True).stdout.strip()
            dirty = bool(subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True,
                                        text=True).stdout.strip())
        except OSError:
            rev, dirty = "", False
        return {
            "scale": self.o.scale, "db": self.o.db, "anchor": self.o.anchor.isoformat(), "seed": self.o.seed,
            "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "git": rev + ("+dirty" if dirty else ""), "command": self.o.command,
            "python": platform.python_version(), "django": django.get_version(),
            "machine": f"{os.cpu_count()} cores, {platform.machine()}", "requests": self.o.requests,
            "warmup": self.o.warmup, "server": "gunicorn -w 1 (sync), DEBUG=0",
            "workload": str(self.o.data) if self.o.data else "kadans.bench.workload",
        }


# --------------------------------------------------------------------------------------------------
# Reporting


def _met(key: str, op: dict, scale: float) -> str:
    if not op.get("available"):
        return "—"
    target = TARGETS_MS[key]
    if key == "h" and scale != 1:
        return "— (target at S=1)"
    if key in ("f", "g") and scale < 10:
        target_note = " (target at S=10)"
    else:
        target_note = ""
    ok = op["median_ms"] <= target
    if key in "abcde" and op.get("queries") and max(op["queries"]) > QUERY_TARGET:
        ok = False
    return ("yes" if ok else "**no**") + target_note


def markdown(result: dict) -> str:
    meta = result["meta"]
    lines = [
        f"#### {meta['db']} · S={meta['scale']:g} · {meta['date']} · git {meta['git']}",
        "",
        f"`{meta['command']}`  ",
        f"{meta['machine']}, Python {meta['python']}, Django {meta['django']}, {meta['server']}"
        + (f", {meta['database']}" if meta.get("database") else "")
        + f"; {meta['requests']} timed requests after {meta['warmup']} warm-ups"
        + (f"; load average {meta['load_average_start'][0]} before, {meta['load_average_end'][0]} after the "
           "timed operations (other work on the machine)" if meta.get("load_average_end") else ""),
        "",
        "| op | what | median ms | p95 ms | server CPU ms | SQL queries | bare SQL median (p95) ms | target ms | met |",
        "|---|---|--:|--:|--:|--:|--:|--:|---|",
    ]
    for key, label in OPERATIONS.items():
        op = result["operations"].get(key, {})
        if not op.get("available"):
            lines.append(f"| {key} | {label} | not available yet | | | | | {TARGETS_MS[key]} | — |")
            continue
        queries = "–".join(str(q) for q in (op["queries"][0], op["queries"][-1])) if op.get("queries") else ""
        if op.get("queries") and op["queries"][0] == op["queries"][-1]:
            queries = str(op["queries"][0])
        floor = op.get("floor")
        floor_text = f"{floor['median_ms']:.2f} ({floor['p95_ms']:.2f})" if floor else ""
        p95 = f"{op['p95_ms']:.1f}" if op.get("p95_ms") is not None else ""
        median = f"{op['median_ms']:.1f}" if key != "h" else f"{op['median_ms'] / 1000:.1f} s"
        target = str(TARGETS_MS[key]) if key != "h" else "20 s"
        cpu = f"{op['server_cpu_median_ms']:.1f}" if op.get("server_cpu_median_ms") is not None else ""
        lines.append(f"| {key} | {label} | {median} | {p95} | {cpu} | {queries} | {floor_text} | {target} | "
                     f"{_met(key, op, meta['scale'])} |")
    lines += _heavy_markdown(result)
    conc = result.get("concurrency")
    if conc:
        v = conc["verify"]
        by = conc["by_operation"]
        lines += [
            "",
            f"Concurrency: {conc['clients']} clients, {conc['seconds']} s, {conc['server']}: "
            f"**{conc['throughput_rps']} requests/s**, {conc['requests_ok']} ok, {conc['errors']} errors "
            f"(create {by['create']['ok']}/{by['create'].get('median_ms', '–')} ms median, "
            f"complete {by['complete']['ok']}/{by['complete'].get('median_ms', '–')} ms, "
            f"reschedule {by['reschedule']['ok']}/{by['reschedule'].get('median_ms', '–')} ms). "
            f"Check afterwards: {'**all consistent**' if v['ok'] else '**INCONSISTENT**'} — "
            f"creates missing {v['creates_missing']}, duplicated {v['creates_duplicated']}; completions not done "
            f"{v['completes_not_done']}, without next {v['completes_without_next']}, with several next "
            f"{v['completes_with_several_next']}; reschedules wrong {v['reschedules_wrong']}; "
            f"operation e: {v['e_next_exactly_one']}/{v['e_completed']} completions with exactly one next.",
        ]
    return "\n".join(lines) + "\n"


def _queries(op: dict) -> str:
    found = sorted(set(op.get("queries") or []))
    return "–".join(str(q) for q in (found[0], found[-1])) if len(found) > 1 else "".join(map(str, found))


def _heavy_markdown(result: dict) -> list[str]:
    heavy = result.get("heavy_rep")
    if not heavy:
        return []
    usual, mine = result.get("targets", {}), heavy["targets"]
    lines = [
        "",
        f"Heavy representative: {heavy['user']} with {heavy['factor']}× the usual history "
        f"({mine.get('user_activities', '?')} activities as representative instead of "
        f"{usual.get('user_activities', '?')}; relation c {mine['relation_c_activities']} activities instead of "
        f"{usual.get('relation_c_activities', '?')}), on a second database loaded with "
        f"`bench_generate --heavy-rep` (load {heavy['load']['seconds'].get('total', 0):.1f} s):",
        "",
        "| op | what | median ms | heavy median ms | heavy p95 ms | server CPU ms (usual / heavy) "
        "| SQL queries (usual / heavy) | response kB (usual / heavy) | bare SQL median ms (rows) "
        "| heavy bare SQL median ms (rows) |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for key in ("a", "b", "c"):
        op, big = result["operations"].get(key, {}), heavy["operations"].get(key, {})
        if not big.get("available"):
            lines.append(f"| {key} | {OPERATIONS[key]} | | not available | | | | | | |")
            continue
        floor, big_floor = op.get("floor"), big.get("floor")
        usual_median = f"{op['median_ms']:.1f}" if op.get("available") else ""
        floor_text = f"{floor['median_ms']:.2f} ({floor['rows']})" if floor else ""
        big_floor_text = f"{big_floor['median_ms']:.2f} ({big_floor['rows']})" if big_floor else ""
        cpu = " / ".join(f"{x['server_cpu_median_ms']:.1f}" if x.get("server_cpu_median_ms") is not None else "–"
                         for x in (op, big))
        size = " / ".join(f"{x['bytes'] / 1000:.0f}" if x.get("bytes") is not None else "–" for x in (op, big))
        lines.append(f"| {key} | {OPERATIONS[key]} | {usual_median} | {big['median_ms']:.1f} | {big['p95_ms']:.1f} | "
                     f"{cpu} | {_queries(op)} / {_queries(big)} | {size} | {floor_text} | {big_floor_text} |")
    return lines


def write_results(result: dict, out: Path) -> tuple[Path, Path]:
    meta = result["meta"]
    out.mkdir(parents=True, exist_ok=True)
    stem = f"bench-{meta['db']}-S{meta['scale']:g}"
    json_path, md_path = out / f"{stem}.json", out / f"{stem}.md"
    json_path.write_text(json.dumps(result, indent=2, default=str))
    md_path.write_text(markdown(result))
    return json_path, md_path
