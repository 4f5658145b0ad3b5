"""Import relations, contacts, products, activities (with participants) and cost lines from a table.

Every row is mapped (column → field), checked and written through the same services as the pages, in
one transaction with a savepoint per row, so that a row the services refuse is named too; any bad row,
or a dry run, rolls the whole transaction back: all or nothing. The report names each bad row by its
number as a spreadsheet shows it (the header is row 1).

The benchmark workload (a folder of eight CSV files) has its own bulk path: kadans.integrations.workload.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kadans.accounts.models import User
from kadans.activities.models import Activity, ActivityType, CostLine, Product
from kadans.activities.services import activity_create
from kadans.audit.services import audit_actor
from kadans.core.forms import is_id
from kadans.integrations.models import ImportJob
from kadans.relations.models import BusinessStatus, Contact, Priority, Relation
from kadans.relations.services import contact_create, relation_create

MAX_ROWS = 50_000
MAX_REPORTED = 500


@dataclasses.dataclass(frozen=True)
class Field:
    name: str
    label: str
    required: bool = False
    aliases: tuple[str, ...] = ()


KINDS: dict[str, tuple[str, list[Field]]] = {
    "relations": (gettext_lazy("Relations"), [
        Field("name", gettext_lazy("name"), True, ("company", "organisation", "naam", "bedrijf")),
        Field("kind", gettext_lazy("kind")),
        Field("vat_number", gettext_lazy("VAT number"), aliases=("vat", "btw", "btw-nummer")),
        Field("street", gettext_lazy("street and number"), aliases=("address", "straat", "adres")),
        Field("postal_code", gettext_lazy("postal code"), aliases=("zip", "postcode")),
        Field("city", gettext_lazy("city"), aliases=("gemeente", "stad", "plaats")),
        Field("country", gettext_lazy("country"), aliases=("land",)),
        Field("phone", gettext_lazy("phone"), aliases=("telefoon",)),
        Field("email", gettext_lazy("e-mail"), aliases=("e-mail", "mail")),
        Field("website", gettext_lazy("website")),
        Field("representative", gettext_lazy("representative (username)"), aliases=("vertegenwoordiger",)),
        Field("business_status", gettext_lazy("business status"), aliases=("status",)),
        Field("priority", gettext_lazy("priority"), aliases=("prioriteit",)),
        Field("notes", gettext_lazy("notes"), aliases=("notities",)),
        Field("latitude", gettext_lazy("latitude"), aliases=("lat", "breedtegraad")),
        Field("longitude", gettext_lazy("longitude"), aliases=("lon", "lng", "lengtegraad")),
    ]),
    "contacts": (gettext_lazy("Contacts"), [
        Field("relation", gettext_lazy("relation (id, VAT number or name)"), True, ("relatie", "company")),
        Field("first_name", gettext_lazy("first name"), aliases=("voornaam",)),
        Field("last_name", gettext_lazy("last name"), True, ("naam", "achternaam", "name")),
        Field("function", gettext_lazy("function"), aliases=("functie",)),
        Field("email", gettext_lazy("e-mail"), aliases=("e-mail", "mail")),
        Field("phone", gettext_lazy("phone"), aliases=("telefoon",)),
    ]),
    "products": (gettext_lazy("Products"), [
        Field("name", gettext_lazy("name"), True, ("naam",)),
        Field("code", gettext_lazy("code")),
        Field("cost_price", gettext_lazy("cost price"), aliases=("price", "prijs", "kostprijs")),
        Field("active", gettext_lazy("active"), aliases=("actief",)),
    ]),
    "activities": (gettext_lazy("Activities"), [
        Field("relation", gettext_lazy("relation (id, VAT number or name)"), True, ("relatie", "org_id")),
        Field("type", gettext_lazy("action type"), True, ("actietype",)),
        Field("start", gettext_lazy("start"), True, ("date", "datum", "due")),
        Field("end", gettext_lazy("end"), aliases=("einde",)),
        Field("all_day", gettext_lazy("all day"), aliases=("hele dag",)),
        Field("status", gettext_lazy("status")),
        Field("representative", gettext_lazy("representative (username)"), aliases=("owner", "vertegenwoordiger")),
        Field("contact", gettext_lazy("contact (e-mail or name)"), aliases=("contactpersoon",)),
        Field("summary", gettext_lazy("subject"), aliases=("title", "onderwerp")),
        Field("note", gettext_lazy("remark"), aliases=("description", "opmerking")),
        Field("participants", gettext_lazy("participants (usernames)"), aliases=("deelnemers",)),
    ]),
    "cost_lines": (gettext_lazy("Cost lines"), [
        Field("activity", gettext_lazy("activity (id)"), True, ("activity_id", "actie")),
        Field("description", gettext_lazy("description"), aliases=("omschrijving",)),
        Field("product", gettext_lazy("product (code or name)")),
        Field("quantity", gettext_lazy("quantity"), aliases=("aantal",)),
        Field("unit_price", gettext_lazy("price"), aliases=("prijs", "unit price")),
    ]),
}


class RowError(ValueError):
    pass


@dataclasses.dataclass
class ImportReport:
    kind: str
    rows: int = 0
    imported: int = 0
    errors: list[tuple[int, str]] = dataclasses.field(default_factory=list)
    error_count: int = 0
    dry_run: bool = True

    @property
    def ok(self) -> bool:
        return not self.error_count

    def add(self, row: int, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED:
            self.errors.append((row, message))

    def as_dict(self) -> dict:
        return dataclasses.asdict(self) | {"ok": self.ok}


def _norm(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", str(text).strip().lower())


def default_mapping(kind: str, header: list[str]) -> dict[str, str]:
    """field → column, for columns named like a field, its label or a usual alias (either language)."""
    columns = {_norm(c): c for c in header if c}
    mapping = {}
    for field in KINDS[kind][1]:
        for name in (field.name, str(field.label), *field.aliases):
            if _norm(name) in columns:
                mapping[field.name] = columns[_norm(name)]
                break
    return mapping


# --- parsing one value ----------------------------------------------------------------------------

def _bool(value: str) -> bool:
    v = value.strip().lower()
    if v in ("1", "true", "yes", "y", "ja", "j", "waar", "x"):
        return True
    if v in ("0", "false", "no", "n", "nee", "onwaar", ""):
        return False
    raise RowError(_("%(value)r is not yes or no") % {"value": value})


def _decimal(value: str, field: str) -> Decimal:
    v = value.strip().replace(" ", "")
    if "," in v and "." not in v:
        v = v.replace(",", ".")
    try:
        number = Decimal(v)
    except InvalidOperation:
        raise RowError(_("%(field)s: %(value)r is not a number") % {"field": field, "value": value}) from None
    if not number.is_finite() or abs(number) >= Decimal("1e8"):
        raise RowError(_("%(field)s: %(value)r is not a number") % {"field": field, "value": value})
    return number.quantize(Decimal("0.01"))


def _coordinate(value: str, field: str) -> Decimal:
    """Degrees with a point or a decimal comma, kept to six decimals; the model checks the range."""
    try:
        number = Decimal(value.strip().replace(" ", "").replace(",", "."))
    except InvalidOperation:
        raise RowError(_("%(field)s: %(value)r is not a number") % {"field": field, "value": value}) from None
    if not number.is_finite() or abs(number) > 180:
        raise RowError(_("%(field)s: %(value)r is not a number") % {"field": field, "value": value})
    return number.quantize(Decimal("0.000001"))


def _moment(value: str, field: str) -> tuple[datetime.date | datetime.datetime, bool]:
    """A date (→ all day) or a datetime (naive: in the current time zone), ISO or day/month/year."""
    v = value.strip()
    try:
        if dt := parse_datetime(v.replace("Z", "+00:00")):
            return (dt if timezone.is_aware(dt) else timezone.make_aware(dt)), False
        if d := parse_date(v):
            return d, True
        m = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?:\s+(\d{1,2}):(\d{2}))?", v)
        if m:
            day, month, year = int(m[1]), int(m[2]), int(m[3])
            if m[4] is None:
                return datetime.date(year, month, day), True
            return timezone.make_aware(datetime.datetime(year, month, day, int(m[4]), int(m[5]))), False
    except ValueError:
        pass
    raise RowError(_("%(field)s: %(value)r is not a date (YYYY-MM-DD or DD/MM/YYYY, with an optional time)")
                   % {"field": field, "value": value})


class _Lookups:
    """Names → rows, read once per import (users, statuses, types, products) or per row (relations)."""

    def __init__(self):
        self.users = {u.username.lower(): u for u in User.objects.filter(is_active=True)}
        self.statuses = {}
        for s in BusinessStatus.objects.all():
            self.statuses[s.code.lower()] = self.statuses[s.name.lower()] = s
        self.priorities = {p.name.lower(): p for p in Priority.objects.all()}
        self.types = {t.name.lower(): t for t in ActivityType.objects.all()}
        self.products = {}
        for p in Product.objects.all():
            self.products[p.name.lower()] = p
            if p.code:
                self.products[p.code.lower()] = p

    def user(self, value: str, field: str) -> User | None:
        if not value:
            return None
        try:
            return self.users[value.lower()]
        except KeyError:
            raise RowError(_("%(field)s: no active user %(value)r") % {"field": field, "value": value}) from None

    def named(self, table: dict, value: str, field: str):
        if not value:
            return None
        try:
            return table[value.lower()]
        except KeyError:
            raise RowError(_("%(field)s: %(value)r is unknown") % {"field": field, "value": value}) from None

    def relation(self, value: str) -> Relation:
        if is_id(value):
            relation = Relation.objects.filter(pk=int(value)).first()
        else:
            matches = list(Relation.objects.filter(name=value)[:2]) or list(
                Relation.objects.filter(vat_number=value)[:2])
            if len(matches) > 1:
                raise RowError(_("relation: %(value)r names more than one relation; use its id") % {"value": value})
            relation = matches[0] if matches else None
        if relation is None:
            raise RowError(_("relation: %(value)r is not a relation") % {"value": value})
        return relation


def _text(row: dict, name: str) -> str:
    return row.get(name, "") or ""


def _import_relation(row: dict, lookups: _Lookups, user: User) -> None:
    data = {k: _text(row, k) for k in (
        "name", "vat_number", "street", "postal_code", "city", "phone", "email", "website", "notes")}
    data = {k: v for k, v in data.items() if v}
    if kind := _text(row, "kind"):
        allowed = {c.value: c.value for c in Relation.Kind} | {str(c.label).lower(): c.value for c in Relation.Kind}
        if kind.lower() not in allowed:
            raise RowError(_("kind: %(value)r is not company or person") % {"value": kind})
        data["kind"] = allowed[kind.lower()]
    if country := _text(row, "country"):
        data["country"] = country.upper()
    data["representative"] = lookups.user(_text(row, "representative"), "representative")
    data["business_status"] = lookups.named(lookups.statuses, _text(row, "business_status"), "business status")
    data["priority"] = lookups.named(lookups.priorities, _text(row, "priority"), "priority")
    for name in ("latitude", "longitude"):
        if value := _text(row, name):
            data[name] = _coordinate(value, name)
    relation_create(user=user, **data)


def _import_contact(row: dict, lookups: _Lookups, user: User) -> None:
    relation = lookups.relation(_text(row, "relation"))
    data = {k: _text(row, k) for k in ("first_name", "last_name", "function", "email", "phone")}
    contact_create(relation=relation, **data)


def _import_product(row: dict, lookups: _Lookups, user: User) -> None:
    product = Product(name=_text(row, "name"), code=_text(row, "code"))
    if price := _text(row, "cost_price"):
        product.cost_price = _decimal(price, "cost price")
    if "active" in row and row["active"] != "":
        product.active = _bool(row["active"])
    product.full_clean()
    product.save()
    lookups.products[product.name.lower()] = product
    if product.code:
        lookups.products[product.code.lower()] = product


def _import_activity(row: dict, lookups: _Lookups, user: User) -> None:
    relation = lookups.relation(_text(row, "relation"))
    activity_type = lookups.named(lookups.types, _text(row, "type"), "type")
    if activity_type is None:
        raise RowError(_("type is empty"))
    start, all_day = _moment(_text(row, "start"), "start")
    end = _moment(_text(row, "end"), "end")[0] if _text(row, "end") else None
    if _text(row, "all_day"):
        all_day = _bool(_text(row, "all_day"))
    status = _text(row, "status").lower() or Activity.Status.PLANNED
    if status not in (Activity.Status.PLANNED, Activity.Status.DONE):
        raise RowError(_("status: %(value)r is not planned or done") % {"value": status})
    contact = None
    if value := _text(row, "contact"):
        contacts = Contact.objects.filter(relation=relation)
        contact = contacts.filter(email__iexact=value).first() or next(
            (c for c in contacts if str(c).lower() == value.lower()), None)
        if contact is None:
            raise RowError(_("contact: %(value)r is not a contact of this relation") % {"value": value})
    participants = [
        lookups.user(name.strip(), "participants") for name in re.split(r"[;,|]", _text(row, "participants"))
        if name.strip()
    ]
    activity_create(
        user=user, relation=relation, activity_type=activity_type, start=start, end=end, all_day=all_day,
        status=status, contact=contact, representative=lookups.user(_text(row, "representative"), "representative"),
        participants=participants, summary=_text(row, "summary"), note=_text(row, "note"),
    )


def _import_cost_line(row: dict, lookups: _Lookups, user: User) -> None:
    value = _text(row, "activity")
    activity = Activity.objects.filter(pk=int(value)).first() if is_id(value) else None
    if activity is None:
        raise RowError(_("activity: %(value)r is not an activity id") % {"value": value})
    product = lookups.named(lookups.products, _text(row, "product"), "product")
    quantity = _decimal(_text(row, "quantity"), "quantity") if _text(row, "quantity") else Decimal("1")
    if _text(row, "unit_price"):
        price = _decimal(_text(row, "unit_price"), "price")
    else:
        price = product.cost_price if product else Decimal("0")
    line = CostLine(activity=activity, description=_text(row, "description"), product=product,
                    quantity=quantity, unit_price=price)
    line.full_clean()
    line.save()


IMPORTERS: dict[str, Callable[[dict, _Lookups, User], None]] = {
    "relations": _import_relation, "contacts": _import_contact, "products": _import_product,
    "activities": _import_activity, "cost_lines": _import_cost_line,
}


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            return "; ".join(
                f"{field}: {' '.join(messages)}" if field != "__all__" else " ".join(messages)
                for field, messages in error.message_dict.items()
            )
        return " ".join(error.messages)
    return str(error)


def run_import(
    *, kind: str, header: list[str], rows: list[list[str]], mapping: dict[str, str], user: User, dry_run: bool
) -> ImportReport:
    """Check and write every row in one transaction; roll it all back on a dry run or any bad row."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    report = ImportReport(kind=kind, dry_run=dry_run)
    fields = {f.name: f for f in KINDS[kind][1]}
    unknown = sorted(set(mapping) - set(fields))
    if unknown:
        report.add(1, _("Unknown fields in the mapping: %(fields)s") % {"fields": ", ".join(unknown)})
    missing_columns = sorted({c for c in mapping.values() if c and c not in header})
    if missing_columns:
        report.add(1, _("The file has no column %(columns)s") % {"columns": ", ".join(missing_columns)})
    missing = [str(f.label) for f in fields.values() if f.required and not mapping.get(f.name)]
    if missing:
        report.add(1, _("Choose a column for: %(fields)s") % {"fields": ", ".join(missing)})
    if len(rows) > MAX_ROWS:
        report.add(1, _("At most %(max)s rows per import.") % {"max": MAX_ROWS})
    if not report.ok:
        return report
    index = {field: header.index(column) for field, column in mapping.items() if column}
    importer = IMPORTERS[kind]
    # the audit trail puts every imported row on the importing user, from a command too
    with audit_actor(user), transaction.atomic():
        lookups = _Lookups()
        for number, values in enumerate(rows, start=2):
            if not any(values):
                continue
            report.rows += 1
            row = {field: (values[i] if i < len(values) else "") for field, i in index.items()}
            try:
                if "\x00" in "".join(row.values()):
                    raise RowError(_("a value contains a NUL character"))
                for name, field in fields.items():
                    if field.required and name in row and not row[name]:
                        raise RowError(_("%(field)s is empty") % {"field": field.label})
                if email := row.get("email"):
                    try:
                        validate_email(email)
                    except ValidationError:
                        raise RowError(_("e-mail: %(value)r is not an address") % {"value": email}) from None
                with transaction.atomic():
                    importer(row, lookups, user)
                report.imported += 1
            except (RowError, ValidationError, TypeError, DatabaseError) as e:
                report.add(number, _message(e))
        if dry_run or not report.ok:
            transaction.set_rollback(True)
    if not report.ok:
        report.imported = 0
    return report


def import_job_create(*, kind: str, filename: str, content: bytes, header: list[str], user: User) -> ImportJob:
    """Keep an uploaded file for the import wizard, with the mapping guessed from its header."""
    return ImportJob.objects.create(kind=kind, filename=filename[:200], content=content,
                                    mapping=default_mapping(kind, header), created_by=user)


def import_job_run(
    *, job: ImportJob, header: list[str], rows: list[list[str]], mapping: dict[str, str], user: User, dry_run: bool
) -> ImportReport:
    """Check (dry run) or import the job's rows with `mapping` (run_import), and keep the outcome on the job."""
    result = run_import(kind=job.kind, header=header, rows=rows, mapping=mapping, user=user, dry_run=dry_run)
    job.mapping, job.report = mapping, result.as_dict()
    if not result.ok:
        job.status = ImportJob.Status.FAILED
    else:
        job.status = ImportJob.Status.CHECKED if dry_run else ImportJob.Status.DONE
    job.save(update_fields=["mapping", "report", "status"])
    return result
