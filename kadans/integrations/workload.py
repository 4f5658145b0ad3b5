"""Import a workload: a folder of the eight CSV files of the workload format (COLUMNS; README,
"Benchmark"), whoever wrote them (kadans.bench.workload, another system's export), all or nothing.
`manage.py kadans_import workload DIR` and the benchmark's `bench_load` load through load_workload.

Every row is read and checked first; a bad row is reported as `file:line: reason` and nothing is
written. Then everything goes in with batched inserts (COPY on PostgreSQL, see _bulk), in one
transaction. The rules an import must keep are kept row by row rather than by calling the services
500,000 times:
- a relation has its representative (rep_user_id) and the business status of its last status change
  ("lead" when it has none);
- an activity's representative is its owner; participants are other users, never the representative;
  a contact belongs to the activity's relation; the end is never before the start; a done activity has
  done_at (its end) and done_by (its owner);
- all-day activities are stored as the app stores them (activities.services.activity_period): midnights
  of their first and last day in the company time zone;
- cost lines have a positive quantity, a price that is not negative, a description or a product;
- status changes name statuses by code and point at their relation, activity and user.
Ids of relations, contacts and activities are kept from the files, shifted past any rows already in
the database; users and products are matched by username and name.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import datetime
import time
from collections.abc import Callable, Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max

from kadans.accounts.models import User
from kadans.activities.models import Activity, ActivityType, CostLine, Participation, Product
from kadans.activities.services import activity_period
from kadans.relations.models import BusinessStatus, Contact, Relation, StatusChange

# the workload's activity types, mapped onto the default types (kadans.activities.defaults)
TYPE_NAMES = {"call": "Call", "meeting": "Meeting", "email": "E-mail", "todo": "To Do"}
# the files and their columns, in the order they are read (the header line must be exactly this)
COLUMNS = {
    "users.csv": ["user_id", "username", "first_name", "last_name", "email"],
    "products.csv": ["product_id", "name", "cost_price"],
    "organisations.csv": ["org_id", "name", "rep_user_id", "city", "phone", "email"],
    "contacts.csv": ["contact_id", "org_id", "first_name", "last_name", "email", "phone"],
    "activities.csv": ["activity_id", "type", "title", "start", "end", "all_day", "status", "owner_user_id",
                       "org_id", "contact_id", "description"],
    "activity_participants.csv": ["activity_id", "user_id"],
    "cost_lines.csv": ["cost_line_id", "activity_id", "description", "product_id", "quantity", "unit_price"],
    "status_changes.csv": ["org_id", "activity_id", "user_id", "from_status", "to_status", "at"],
}
BATCH = 2000
MAX_REPORTED = 50


class LoadError(Exception):
    def __init__(self, errors: list[str], total: int):
        self.errors, self.total = errors, total
        more = f"\n… and {total - len(errors)} more" if total > len(errors) else ""
        super().__init__(f"{total} bad row(s), nothing was loaded:\n" + "\n".join(errors) + more)


@dataclasses.dataclass
class LoadResult:
    counts: dict[str, int]
    seconds: dict[str, float]


class _Errors:
    def __init__(self):
        self.items: list[str] = []
        self.total = 0

    def add(self, where: str, message: str) -> None:
        self.total += 1
        if len(self.items) < MAX_REPORTED:
            self.items.append(f"{where}: {message}")


def _rows(folder: Path, name: str, errors: _Errors) -> Iterator[tuple[str, list[str]]]:
    columns = COLUMNS[name]
    path = folder / name
    if not path.exists():
        errors.add(name, "file missing")
        return
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header != columns:
            errors.add(f"{name}:1", f"header should be {','.join(columns)}")
            return
        for row in reader:
            where = f"{name}:{reader.line_num}"
            if len(row) != len(columns):
                errors.add(where, f"expected {len(columns)} fields, got {len(row)}")
                continue
            yield where, row


def _int(value: str) -> int:
    number = int(value)
    if number <= 0:
        raise ValueError("ids are positive")
    return number


def _datetime(value: str) -> datetime.datetime:
    dt = datetime.datetime.fromisoformat(value)
    if dt.tzinfo is None:
        raise ValueError(f"{value!r} has no time zone")
    return dt


def _decimal(value: str) -> Decimal:
    number = Decimal(value)
    if not number.is_finite() or number != number.quantize(Decimal("0.01")) or abs(number) >= Decimal("1e8"):
        raise InvalidOperation(value)
    return number


def _check(where: str, errors: _Errors, parse: Callable[[], object]):
    try:
        return parse()
    except (ValueError, InvalidOperation, KeyError, TypeError) as e:
        errors.add(where, str(e) or type(e).__name__)
        return None


def _check_length(where: str, errors: _Errors, field: str, value: str, limit: int, required: bool = False) -> bool:
    if required and not value:
        errors.add(where, f"{field} is empty")
        return False
    if len(value) > limit:
        errors.add(where, f"{field} is longer than {limit} characters")
        return False
    return True


def _next_id(model) -> int:
    """Rows already in the table keep their ids; the file's ids are shifted past them."""
    return model.objects.aggregate(m=Max("id"))["m"] or 0


def read_and_check(folder: Path) -> dict:
    """Read the eight files and check every row; raise LoadError listing bad rows (file:line)."""
    errors = _Errors()
    statuses = {s.code: s.pk for s in BusinessStatus.objects.all()}
    types = {t.name: t.pk for t in ActivityType.objects.filter(name__in=TYPE_NAMES.values())}
    type_ids = {}
    for code, name in TYPE_NAMES.items():
        if name in types:
            type_ids[code] = types[name]
        else:
            errors.add("database", f"activity type {name!r} is missing (run migrate: the default types)")
    if "lead" not in statuses:
        errors.add("database", "business status 'lead' is missing (run migrate: the default statuses)")

    users = {}  # file id -> (username, first, last, email)
    usernames = set()
    for where, (uid, username, first, last, email) in _rows(folder, "users.csv", errors):
        user_id = _check(where, errors, lambda: _int(uid))  # noqa: B023
        if user_id is None:
            continue
        if user_id in users or username in usernames:
            errors.add(where, f"user {user_id} / {username!r} appears twice")
            continue
        if not _check_length(where, errors, "username", username, 150, required=True):
            continue
        users[user_id] = (username, first[:150], last[:150], email)
        usernames.add(username)
    taken = set(User.objects.filter(username__in=usernames).values_list("username", flat=True))
    for username in sorted(taken):
        errors.add("users.csv", f"user {username!r} already exists in the database")

    products = {}
    for where, (pid, name, price) in _rows(folder, "products.csv", errors):
        product_id = _check(where, errors, lambda: _int(pid))  # noqa: B023
        cost = _check(where, errors, lambda: _decimal(price))  # noqa: B023
        if product_id is None or cost is None:
            continue
        if product_id in products:
            errors.add(where, f"product {product_id} appears twice")
        elif cost < 0:
            errors.add(where, "cost price is negative")
        elif _check_length(where, errors, "name", name, 200, required=True):
            products[product_id] = (name, cost)

    orgs = {}  # file id -> (name, rep, city, phone, email)
    for where, (oid, name, rep, city, phone, email) in _rows(folder, "organisations.csv", errors):
        org_id = _check(where, errors, lambda: _int(oid))  # noqa: B023
        rep_id = _check(where, errors, lambda: _int(rep))  # noqa: B023
        if org_id is None or rep_id is None:
            continue
        if org_id in orgs:
            errors.add(where, f"organisation {org_id} appears twice")
        elif rep_id not in users:
            errors.add(where, f"representative {rep_id} is not in users.csv")
        elif email and "@" not in email:
            errors.add(where, f"e-mail {email!r} is not an address")
        elif (
            _check_length(where, errors, "name", name, 200, required=True)
            and _check_length(where, errors, "city", city, 100)
            and _check_length(where, errors, "phone", phone, 50)
        ):
            orgs[org_id] = (name, rep_id, city, phone, email)

    contacts = {}  # file id -> (org, first, last, email, phone)
    for where, (cid, oid, first, last, email, phone) in _rows(folder, "contacts.csv", errors):
        contact_id = _check(where, errors, lambda: _int(cid))  # noqa: B023
        org_id = _check(where, errors, lambda: _int(oid))  # noqa: B023
        if contact_id is None or org_id is None:
            continue
        if contact_id in contacts:
            errors.add(where, f"contact {contact_id} appears twice")
        elif org_id not in orgs:
            errors.add(where, f"organisation {org_id} is not in organisations.csv")
        elif (
            _check_length(where, errors, "last_name", last, 100, required=True)
            and _check_length(where, errors, "first_name", first, 100)
            and _check_length(where, errors, "phone", phone, 50)
        ):
            contacts[contact_id] = (org_id, first, last, email, phone)

    activities = []  # (id, type_id, summary, start, end, all_day, done, owner, org, contact, note)
    owner_of: dict[int, int] = {}
    org_of: dict[int, int] = {}
    for where, (aid, kind, title, start, end, all_day, status, owner, oid, cid, note) in _rows(
        folder, "activities.csv", errors
    ):
        try:
            activity_id, owner_id, org_id = _int(aid), _int(owner), _int(oid)
            contact_id = _int(cid) if cid else None
            start_dt, end_dt = _datetime(start), _datetime(end)
        except ValueError as e:
            errors.add(where, str(e))
            continue
        if activity_id in owner_of:
            errors.add(where, f"activity {activity_id} appears twice")
        elif kind not in TYPE_NAMES:
            errors.add(where, f"type {kind!r} is not one of {', '.join(TYPE_NAMES)}")
        elif status not in ("done", "planned"):
            errors.add(where, f"status {status!r} is not done or planned")
        elif all_day not in ("0", "1"):
            errors.add(where, f"all_day {all_day!r} is not 0 or 1")
        elif owner_id not in users:
            errors.add(where, f"owner {owner_id} is not in users.csv")
        elif org_id not in orgs:
            errors.add(where, f"organisation {org_id} is not in organisations.csv")
        elif contact_id is not None and contacts.get(contact_id, (None,))[0] != org_id:
            errors.add(where, f"contact {contact_id} does not belong to organisation {org_id}")
        elif end_dt < start_dt:
            errors.add(where, "the end is before the start")
        elif _check_length(where, errors, "title", title, 200):
            owner_of[activity_id] = owner_id
            org_of[activity_id] = org_id
            activities.append((
                activity_id, type_ids.get(kind), title, start_dt, end_dt, all_day == "1", status == "done",
                owner_id, org_id, contact_id, note,
            ))

    participations = []
    seen_pairs = set()
    for where, (aid, uid) in _rows(folder, "activity_participants.csv", errors):
        pair = _check(where, errors, lambda: (_int(aid), _int(uid)))  # noqa: B023
        if pair is None:
            continue
        if pair[0] not in owner_of:
            errors.add(where, f"activity {pair[0]} is not in activities.csv")
        elif pair[1] not in users:
            errors.add(where, f"user {pair[1]} is not in users.csv")
        elif owner_of[pair[0]] == pair[1]:
            errors.add(where, f"user {pair[1]} is the activity's representative, not a participant")
        elif pair in seen_pairs:
            errors.add(where, f"user {pair[1]} takes part in activity {pair[0]} twice")
        else:
            seen_pairs.add(pair)
            participations.append(pair)

    cost_lines = []
    for where, (lid, aid, description, pid, quantity, price) in _rows(folder, "cost_lines.csv", errors):
        try:
            _int(lid)  # a cost line id must be a number, though lines get ids of their own
            activity_id = _int(aid)
            product_id = _int(pid) if pid else None
            qty, unit_price = _decimal(quantity), _decimal(price)
        except (ValueError, InvalidOperation) as e:
            errors.add(where, f"not a number: {e}")
            continue
        if activity_id not in owner_of:
            errors.add(where, f"activity {activity_id} is not in activities.csv")
        elif product_id is not None and product_id not in products:
            errors.add(where, f"product {product_id} is not in products.csv")
        elif qty <= 0:
            errors.add(where, "the quantity is not positive")
        elif unit_price < 0:
            errors.add(where, "the price is negative")
        elif not description and product_id is None:
            errors.add(where, "give a description or a product")
        elif _check_length(where, errors, "description", description, 200):
            cost_lines.append((activity_id, description, product_id, qty, unit_price))

    changes = []
    last_status: dict[int, tuple[datetime.datetime, str]] = {}
    for where, (oid, aid, uid, old, new, at) in _rows(folder, "status_changes.csv", errors):
        try:
            org_id, user_id = _int(oid), _int(uid)
            activity_id = _int(aid) if aid else None
            at_dt = _datetime(at)
        except ValueError as e:
            errors.add(where, str(e))
            continue
        if org_id not in orgs:
            errors.add(where, f"organisation {org_id} is not in organisations.csv")
        elif activity_id is not None and org_of.get(activity_id) != org_id:
            errors.add(where, f"activity {activity_id} is not an activity of organisation {org_id}")
        elif user_id not in users:
            errors.add(where, f"user {user_id} is not in users.csv")
        elif (old and old not in statuses) or new not in statuses:
            errors.add(where, f"status {old!r} or {new!r} is not a business status code")
        else:
            changes.append((org_id, activity_id, user_id, old or None, new, at_dt))
            if org_id not in last_status or at_dt >= last_status[org_id][0]:
                last_status[org_id] = (at_dt, new)

    if errors.total:
        raise LoadError(errors.items, errors.total)
    return {
        "statuses": statuses, "users": users, "products": products, "orgs": orgs, "contacts": contacts,
        "activities": activities, "participations": participations, "cost_lines": cost_lines,
        "changes": changes, "last_status": last_status,
    }


def _bulk(model, names: list[str], rows: Iterator[tuple], *, triggered: bool = False) -> int:
    """Insert rows (tuples of the fields `names`, by attname) with executemany in batches, or COPY on
    PostgreSQL; every other field takes the model's default, auto_now fields take now. `triggered`: the
    table has triggers that run for each row inserted (participations, see Participation).

    This is what bulk_create does, without building a model instance per row: at 500,000 rows that
    instance and its per-field preparation cost three quarters of the time.
    """
    meta = model._meta
    template = model()
    now = datetime.datetime.now(datetime.UTC)
    fields = {f.attname: f for f in meta.concrete_fields}
    unknown = set(names) - set(fields)
    if unknown:
        raise TypeError(f"{model.__name__} has no field {', '.join(sorted(unknown))}")
    rest = [f for f in meta.concrete_fields if f.attname not in names and not (f.primary_key and f.attname == "id")]
    defaults = []
    for f in rest:
        value = now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else getattr(
            template, f.attname)
        defaults.append(f.get_db_prep_save(value, connection))
    defaults = tuple(defaults)
    # datetimes and decimals need the backend's adaptation; ints, strings, booleans and None go as they are
    adapt = [
        (i, fields[name]) for i, name in enumerate(names)
        if fields[name].get_internal_type() in ("DateTimeField", "DecimalField")
    ]
    columns = [fields[n].column for n in names] + [f.column for f in rest]
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        connection.ops.quote_name(meta.db_table),
        ", ".join(connection.ops.quote_name(c) for c in columns),
        ", ".join(["%s"] * len(columns)),
    )

    def prepared():
        for row in rows:
            if adapt:
                row = list(row)
                for i, field in adapt:
                    if row[i] is not None:
                        row[i] = field.get_db_prep_save(row[i], connection)
            yield (*row, *defaults)

    if connection.vendor == "postgresql":
        # COPY streams the rows in one statement: ten times faster than INSERTs on PostgreSQL
        copy_sql = "COPY {} ({}) FROM STDIN".format(
            connection.ops.quote_name(meta.db_table), ", ".join(connection.ops.quote_name(c) for c in columns)
        )
        count = 0
        with connection.cursor() as cursor, cursor.cursor.copy(copy_sql) as copy:
            for row in prepared():
                copy.write_row(row)
                count += 1
        return count
    # With triggers, several rows per statement: SQLite opens a statement journal for each statement
    # that fires one, which with executemany means one per row (2.3 s more per 100,000 participations,
    # against 0.6 s this way). Without triggers one row per statement is faster.
    per_statement = max(1, connection.features.max_query_params // len(columns)) if triggered else 1
    many_sql = "{} VALUES {}".format(
        sql[: sql.index(" VALUES ")], ", ".join(["({})".format(", ".join(["%s"] * len(columns)))] * per_statement)
    )

    def insert(cursor, batch: list[tuple]) -> None:
        whole = len(batch) - len(batch) % per_statement if per_statement > 1 else 0
        if whole:
            cursor.executemany(many_sql, [
                [value for row in batch[i:i + per_statement] for value in row]
                for i in range(0, whole, per_statement)
            ])
        if whole < len(batch):
            cursor.executemany(sql, batch[whole:])

    count = 0
    batch = []
    with connection.cursor() as cursor:
        for row in prepared():
            batch.append(row)
            if len(batch) >= BATCH:
                insert(cursor, batch)
                count += len(batch)
                batch = []
        if batch:
            insert(cursor, batch)
            count += len(batch)
    return count


LOADED_TABLES = (Relation, Contact, Activity, Participation, CostLine, StatusChange)


def load_workload(
    folder: Path | str, *, password: str | None = "bench", log=None,
    around_insert: Callable[[], contextlib.AbstractContextManager] | None = None,
) -> LoadResult:
    """Check, then load the workload in `folder` in one transaction. Raises LoadError on any bad row.

    password: every loaded user's (None: an unusable one). around_insert: a context manager entered
    inside the load's transaction around the inserts (the benchmark's loader drops and adds back the
    foreign keys with it, kadans.bench.loader)."""
    folder = Path(folder)
    log = log or (lambda message: None)
    started = time.perf_counter()
    log_ = log
    log = lambda message: log_(f"{time.perf_counter() - started:6.1f}s {message}")  # noqa: E731
    seconds = {}
    t0 = time.perf_counter()
    data = read_and_check(folder)
    seconds["read_and_check"] = time.perf_counter() - t0
    counts = {}
    t1 = time.perf_counter()
    if connection.vendor == "sqlite":
        # a page cache that holds the indexes being filled: SQLite's default 2 MB makes every insert
        # re-read index pages (for this connection only)
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")
    around = around_insert() if around_insert else contextlib.nullcontext()
    with transaction.atomic(), around:
        counts.update(_insert(data, password=password, log=log))
    seconds["insert"] = time.perf_counter() - t1
    if connection.vendor == "postgresql":
        # fresh statistics for the planner and the visibility map for index-only scans, as autovacuum
        # would make them a minute later anyway (VACUUM only outside a transaction: not in tests)
        t2 = time.perf_counter()
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        with connection.cursor() as cursor:
            for model in LOADED_TABLES:
                cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")
        seconds["analyze"] = time.perf_counter() - t2
    seconds["total"] = time.perf_counter() - t0
    return LoadResult(counts=counts, seconds=seconds)


def _insert(data: dict, *, password: str, log) -> dict[str, int]:
    statuses = data["statuses"]
    counts = {}
    # One hash for everyone: PBKDF2 takes ~0.3 s per call, and the salt lives inside the hash anyway.
    hashed = make_password(password)
    User.objects.bulk_create([
        User(username=username, first_name=first, last_name=last, email=email, password=hashed,
             role=User.Role.REPRESENTATIVE)
        for username, first, last, email in data["users"].values()
    ])
    by_name = dict(User.objects.filter(username__in=[u[0] for u in data["users"].values()]).values_list(
        "username", "pk"))
    user_id = {file_id: by_name[u[0]] for file_id, u in data["users"].items()}
    counts["users"] = len(user_id)

    existing = dict(Product.objects.values_list("name", "pk"))
    Product.objects.bulk_create([
        Product(name=name, cost_price=cost) for name, cost in data["products"].values() if name not in existing
    ])
    by_name = dict(Product.objects.values_list("name", "pk"))
    product_id = {file_id: by_name[p[0]] for file_id, p in data["products"].items()}
    counts["products"] = len(product_id)

    rel_shift, contact_shift, act_shift = _next_id(Relation), _next_id(Contact), _next_id(Activity)
    lead = statuses["lead"]
    last_status = data["last_status"]
    counts["relations"] = _bulk(
        Relation, ["id", "name", "representative_id", "city", "phone", "email", "country", "business_status_id"], (
            (oid + rel_shift, name, user_id[rep], city, phone, email, "",
             statuses[last_status[oid][1]] if oid in last_status else lead)
            for oid, (name, rep, city, phone, email) in data["orgs"].items()
        ))
    log(f"relations: {counts['relations']}")
    counts["contacts"] = _bulk(
        Contact, ["id", "relation_id", "first_name", "last_name", "email", "phone"], (
            (cid + contact_shift, oid + rel_shift, first, last, email, phone)
            for cid, (oid, first, last, email, phone) in data["contacts"].items()
        ))
    log(f"contacts: {counts['contacts']}")

    def activities():
        planned, done = str(Activity.Status.PLANNED), str(Activity.Status.DONE)
        for aid, type_id, summary, start, end, all_day, is_done, owner, oid, cid, note in data["activities"]:
            if all_day:
                # the CSV gives 00:00-23:59 UTC of the day; the app stores company-time-zone midnights
                start, end = activity_period(all_day=True, start=start.date(), end=end.date())
            rep = user_id[owner]
            yield (
                aid + act_shift, oid + rel_shift, cid + contact_shift if cid else None, type_id, rep,
                done if is_done else planned, start, end, all_day, summary, note, end if is_done else None,
                rep if is_done else None, rep,
            )

    counts["activities"] = _bulk(Activity, [
        "id", "relation_id", "contact_id", "type_id", "representative_id", "status", "start", "end", "all_day",
        "summary", "note", "done_at", "done_by_id", "created_by_id",
    ], activities())
    log(f"activities: {counts['activities']}")
    # their copies of the activity's status, start and end are filled by the database's triggers
    counts["participations"] = _bulk(Participation, ["activity_id", "user_id"], (
        (aid + act_shift, user_id[uid]) for aid, uid in data["participations"]
    ), triggered=True)
    log(f"participations: {counts['participations']}")
    counts["cost_lines"] = _bulk(CostLine, ["activity_id", "description", "product_id", "quantity", "unit_price"], (
        (aid + act_shift, description, product_id[pid] if pid else None, qty, price)
        for aid, description, pid, qty, price in data["cost_lines"]
    ))
    log(f"cost lines: {counts['cost_lines']}")
    status_field = str(StatusChange.Field.STATUS)
    counts["status_changes"] = _bulk(StatusChange, [
        "relation_id", "field", "from_status_id", "to_status_id", "activity_id", "user_id", "at",
    ], (
        (oid + rel_shift, status_field, statuses[old] if old else None, statuses[new],
         aid + act_shift if aid else None, user_id[uid], at)
        for oid, aid, uid, old, new, at in data["changes"]
    ))
    log(f"status changes: {counts['status_changes']}")
    # explicit ids on PostgreSQL leave the sequences behind: move them past the loaded rows
    sql = connection.ops.sequence_reset_sql(no_style(), [User, Product, Relation, Contact, Activity,
                                                         Participation, CostLine, StatusChange])
    if sql:
        with connection.cursor() as cursor:
            for statement in sql:
                cursor.execute(statement)
    return counts
