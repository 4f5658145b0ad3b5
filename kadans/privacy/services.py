"""Personal data (GDPR): export everything Kadans holds about a contact or a person-relation, and erase it.

Erasing keeps the business facts the reports count (activities with their type, representative, dates,
status and cost lines; status changes) and removes the person from them:
- the contact's (or the person-relation's) own fields are anonymised;
- activities are unlinked from the contact; their texts lose the person's name, e-mail and phone (a
  person-relation's activities lose their remarks altogether: they are notes about that person);
- documents and signatures the person gave (uploaded through a link, signed) are deleted from storage,
  for a person-relation every document on its activities; their links and signature requests go too;
- sent e-mails and meeting invitations keep only that they were sent, not to whom or what;
- the audit trail, the Django admin's log, stored import files and queued background jobs lose the
  person's identifiers.
Both the export and the erasure are recorded in the audit trail, without the values they concern.
"""

from __future__ import annotations

import dataclasses
import html
import io
import json
import os
import re
import zipfile
from collections.abc import Iterable

from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Model, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks_db.models import DBTaskResult

from kadans.accounts.models import User
from kadans.activities.models import Activity, CostLine
from kadans.audit.models import AuditEntry
from kadans.audit.services import ERASED, audit_paused, audit_record
from kadans.documents.models import Document, SignatureRequest, UploadLink
from kadans.integrations.models import ImportJob
from kadans.notifications.models import Invitation, SentMail
from kadans.relations.models import Contact, Relation

ERASED_EMAIL = ""


# ---------------------------------------------------------------------------------------------- who


@dataclasses.dataclass
class Subject:
    """The person concerned: one contact, or a relation of kind person (with its contacts)."""

    relation: Relation
    contact: Contact | None = None

    @property
    def kind(self) -> str:
        return "contact" if self.contact is not None else "relation"

    @property
    def contacts(self) -> list[Contact]:
        if self.contact is not None:
            return [self.contact]
        return list(self.relation.contacts.all())

    def activities(self):
        qs = Activity.objects.filter(relation=self.relation)
        return qs.filter(contact=self.contact) if self.contact is not None else qs

    def emails(self) -> set[str]:
        found = {c.email for c in self.contacts if c.email}
        if self.contact is None and self.relation.email:
            found.add(self.relation.email)
        return {e.lower() for e in found}

    def identifiers(self) -> list[str]:
        """The strings that name the person, longest first (so "Jan Peeters" goes before "Peeters")."""
        values: set[str] = set(self.emails())
        people = [(c.first_name, c.last_name, c.phone) for c in self.contacts]
        if self.contact is None:
            people.append(("", self.relation.name, self.relation.phone))
        for first, last, phone in people:
            if first and last:
                values.update({f"{first} {last}", f"{last} {first}"})
            if last and last != ERASED:
                values.add(last)
            if phone:
                values.add(phone)
                digits = re.sub(r"\D", "", phone)
                if len(digits) >= 6:
                    values.add(digits)
        return sorted((v.strip() for v in values if len(v.strip()) >= 3), key=len, reverse=True)


def subject_for_contact(contact: Contact) -> Subject:
    return Subject(relation=contact.relation, contact=contact)


def subject_for_relation(relation: Relation) -> Subject:
    if relation.kind != Relation.Kind.PERSON:
        raise ValidationError(_("Only a relation that is a person holds personal data of its own; "
                                "export or erase its contacts one by one."))
    return Subject(relation=relation)


def _documents(subject: Subject) -> list[Document]:
    """What the person gave: for a contact, the signatures, certificates and link uploads of the links
    sent to them; for a person-relation, every document on its activities."""
    if subject.contact is None:
        return list(Document.objects.filter(activity__relation=subject.relation).order_by("pk"))
    emails = subject.emails()
    if not emails:
        return []
    email_q = Q()
    for email in emails:
        email_q |= Q(email__iexact=email)
    requests = SignatureRequest.objects.filter(email_q, activity__relation=subject.relation)
    ids = set()
    for request in requests:
        ids.update(pk for pk in (request.signature_id, request.certificate_id) if pk)
    upload_activities = UploadLink.objects.filter(email_q, activity__relation=subject.relation).values("activity_id")
    ids.update(Document.objects.filter(activity_id__in=upload_activities, source=Document.Source.LINK)
               .values_list("pk", flat=True))
    return list(Document.objects.filter(pk__in=ids).order_by("pk"))


def _link_q(subject: Subject) -> Q:
    if subject.contact is None:
        return Q(activity__relation=subject.relation)
    q = Q(pk__in=[])
    for email in subject.emails():
        q |= Q(email__iexact=email)
    return q & Q(activity__relation=subject.relation)


def _mails(subject: Subject):
    qs = SentMail.objects.filter(relation=subject.relation)
    if subject.contact is None:
        return qs
    q = Q(activity__contact=subject.contact)
    for email in subject.emails():
        q |= Q(to__icontains=email)
    return qs.filter(q)


# ------------------------------------------------------------------------------------------- export


def _fields(obj: Model, names: Iterable[str]) -> dict:
    return {name: getattr(obj, name) for name in names}


CONTACT_FIELDS = ("id", "first_name", "last_name", "function", "email", "phone")
RELATION_FIELDS = ("id", "kind", "name", "vat_number", "street", "postal_code", "city", "country", "phone",
                   "email", "website", "notes", "created_at")


def personal_data(subject: Subject) -> dict:
    """Everything Kadans holds about the person, as plain data (the JSON of the export)."""
    activities = list(subject.activities().select_related("type", "representative", "contact")
                      .prefetch_related("cost_lines").order_by("start", "pk"))
    data: dict = {
        "exported_at": timezone.now(),
        "subject": {"kind": subject.kind, "id": subject.contact.pk if subject.contact else subject.relation.pk},
        "relation": _fields(subject.relation, RELATION_FIELDS if subject.contact is None else ("id", "name")),
        "contacts": [_fields(c, CONTACT_FIELDS) for c in subject.contacts],
        "activities": [
            {
                "id": a.pk, "type": a.type.name, "status": a.status, "start": a.start, "end": a.end,
                "all_day": a.all_day, "contact": str(a.contact) if a.contact else None,
                "representative": str(a.representative), "summary": a.summary, "note": a.note,
                "done_at": a.done_at, "cancelled_at": a.cancelled_at, "cancel_reason": a.cancel_reason,
                "cost_lines": [
                    {"description": line.description, "quantity": line.quantity, "unit_price": line.unit_price}
                    for line in a.cost_lines.all()
                ],
            }
            for a in activities
        ],
        "sent_emails": [
            _fields(m, ("id", "kind", "sender", "to", "subject", "body", "sent_at"))
            for m in _mails(subject).order_by("sent_at", "pk")
        ],
        "meeting_invitations": [
            _fields(i, ("activity_id", "attendee", "sequence", "sent_start", "sent_end", "sent_summary"))
            for i in Invitation.objects.filter(activity__relation=subject.relation,
                                               attendee__in=list(subject.emails()) or [""])
        ],
        "upload_links": [
            _fields(link, ("activity_id", "email", "expires_at", "used_at", "created_at"))
            for link in UploadLink.objects.filter(_link_q(subject))
        ],
        "signature_requests": [
            _fields(r, ("activity_id", "email", "signer_name", "ip_address", "user_agent", "used_at", "created_at"))
            for r in SignatureRequest.objects.filter(_link_q(subject))
        ],
        "documents": [
            {**_fields(d, ("id", "activity_id", "name", "content_type", "size", "sha256", "source", "created_at")),
             "file_in_archive": f"documents/{d.pk}-{os.path.basename(d.file.name)}"}
            for d in _documents(subject)
        ],
        "audit_trail": [
            {"timestamp": e.timestamp, "model": e.content_type.model, "object_id": e.object_id,
             "action": e.get_action_display(), "changes": e.changes, "by": str(e.actor) if e.actor else None}
            for e in _subject_entries(subject).select_related("content_type", "actor").order_by("timestamp", "pk")
        ],
    }
    return data


def _subject_entries(subject: Subject):
    contact_type = ContentType.objects.get_for_model(Contact)
    q = Q(content_type=contact_type, object_id__in=[c.pk for c in subject.contacts])
    if subject.contact is None:
        q |= Q(content_type=ContentType.objects.get_for_model(Relation), object_id=subject.relation.pk)
    return AuditEntry.objects.filter(q)


def _summary_html(data: dict) -> str:
    """The readable copy: one HTML page with a table per part of the JSON."""
    e = html.escape
    title, exported, none = _("Personal data"), _("Exported at"), _("None.")
    parts = [f"<!doctype html><meta charset=utf-8><title>{e(title)}</title>", f"<h1>{e(title)}</h1>",
             f"<p>{e(exported)}: {e(str(data['exported_at']))}</p>"]
    titles = {
        "relation": _("Relation"), "contacts": _("Contacts"), "activities": _("Activities"),
        "sent_emails": _("Sent e-mails"), "meeting_invitations": _("Meeting invitations"),
        "upload_links": _("Upload links"), "signature_requests": _("Signature requests"),
        "documents": _("Documents"), "audit_trail": _("Audit trail"),
    }
    for key, title in titles.items():
        rows = data[key] if isinstance(data[key], list) else [data[key]]
        parts.append(f"<h2>{e(str(title))}</h2>")
        if not rows:
            parts.append(f"<p>{e(none)}</p>")
            continue
        columns = list(rows[0])
        parts.append("<table border=1><tr>" + "".join(f"<th>{e(c)}</th>" for c in columns) + "</tr>")
        for row in rows:
            cells = (json.dumps(row[c], cls=DjangoJSONEncoder, ensure_ascii=False)
                     if isinstance(row[c], (list, dict)) else "" if row[c] is None else str(row[c])
                     for c in columns)
            parts.append("<tr>" + "".join(f"<td>{e(cell)}</td>" for cell in cells) + "</tr>")
        parts.append("</table>")
    return "\n".join(parts) + "\n"


def personal_data_export(*, subject: Subject, user: User | None) -> bytes:
    """A zip with `personal-data.json`, `personal-data.html` (the same, readable) and the person's
    documents; the export itself is recorded in the audit trail (that it happened, not what it held)."""
    data = personal_data(subject)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("personal-data.json",
                         json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2) + "\n")
        archive.writestr("personal-data.html", _summary_html(data))
        for document in _documents(subject):
            try:
                with document.file.open("rb") as f:
                    archive.writestr(f"documents/{document.pk}-{os.path.basename(document.file.name)}", f.read())
            except FileNotFoundError:
                pass  # listed in the JSON; the file itself is gone from storage
    audit_record(instance=subject.contact or subject.relation, changes={}, actor=user,
                 action=AuditEntry.Action.ACCESS, additional_data={"privacy": "exported"})
    return buffer.getvalue()


# -------------------------------------------------------------------------------------------- erase


def _pattern(identifiers: list[str]) -> re.Pattern | None:
    """Any identifier as a whole word: "Peeters" is erased, "Peetersen" is someone else."""
    if not identifiers:
        return None
    return re.compile("|".join(rf"(?<!\w){re.escape(i)}(?!\w)" for i in identifiers), re.IGNORECASE)


def _scrub(text: str, pattern: re.Pattern | None) -> str:
    return pattern.sub(ERASED, text) if pattern is not None and text else text


def _json_forms(identifiers: list[str]) -> list[str]:
    """An identifier as it may be stored inside JSON text (non-ASCII escaped)."""
    return sorted({json.dumps(i)[1:-1] for i in identifiers} | set(identifiers), key=len, reverse=True)


def _scrub_json(value, pattern: re.Pattern | None):
    if pattern is None or value is None:
        return value
    if isinstance(value, str):
        return _scrub(value, pattern)
    if isinstance(value, list):
        return [_scrub_json(v, pattern) for v in value]
    if isinstance(value, dict):
        return {_scrub(k, pattern) if isinstance(k, str) else k: _scrub_json(v, pattern) for k, v in value.items()}
    return value


def _scrub_rows(rows: QuerySet, text_fields: list[str], json_fields: list[str], identifiers: list[str],
                pattern: re.Pattern | None) -> int:
    """Cut the identifiers out of `rows`' text fields and JSON fields (the JSON read as its stored
    text to find the rows, then scrubbed value by value). The database finds the candidates; the
    whole-word pattern decides."""
    if pattern is None:
        return 0
    model = rows.model
    q = Q(pk__in=[])
    for identifier in _json_forms(identifiers):
        for field in text_fields:
            q |= Q(**{f"{field}__icontains": identifier})
        for field in json_fields:
            q |= Q(**{f"_{field}_text__icontains": identifier})
    rows = rows.annotate(**{f"_{f}_text": _as_text(f) for f in json_fields}).filter(q)
    count = 0
    for row in rows:
        values = {f: _scrub(getattr(row, f), pattern) for f in text_fields}
        values.update({f: _scrub_json(getattr(row, f), pattern) for f in json_fields})
        changed = {f: v for f, v in values.items() if v != getattr(row, f)}
        if changed:
            model._base_manager.filter(pk=row.pk).update(**changed)
            count += 1
    return count


def _as_text(field: str):
    return Cast(field, TextField())


def _delete_file(document: Document) -> None:
    name = document.file.name
    if not name:
        return
    default_storage.delete(name)
    try:
        folder = os.path.dirname(default_storage.path(name))
    except NotImplementedError:  # a storage without local paths (Django's Storage.path contract): no folder
        return
    # the random folder of this one file; the file's own name may have named the person
    if os.path.isdir(folder) and not os.listdir(folder):
        os.rmdir(folder)


def _erase_documents(subject: Subject) -> int:
    documents = _documents(subject)
    ids = [d.pk for d in documents]
    # requests point at their documents (PROTECT): the person's requests and links go first
    SignatureRequest.objects.filter(_link_q(subject)).delete()
    UploadLink.objects.filter(_link_q(subject)).delete()
    SignatureRequest.objects.filter(Q(signature_id__in=ids) | Q(certificate_id__in=ids)).update(
        signature=None, certificate=None)
    kept = set(SignatureRequest.objects.filter(document_id__in=ids).values_list("document_id", flat=True))
    erased = 0
    for document in documents:
        if document.pk in kept:
            continue  # a document someone else was asked to sign: not this person's
        _delete_file(document)
        document.delete()
        erased += 1
    return erased


@transaction.atomic
def personal_data_erase(*, subject: Subject, user: User | None) -> dict:
    """Erase the person: see the module's docstring for what goes and what stays. Returns counts."""
    identifiers = subject.identifiers()
    pattern = _pattern(identifiers)
    emails = list(subject.emails())
    counts: dict[str, int] = {}
    with audit_paused():
        counts["documents"] = _erase_documents(subject)
        activities = Activity.objects.filter(relation=subject.relation)
        if subject.contact is None:
            counts["activities"] = activities.update(note="", summary="", cancel_reason="", contact=None)
        else:
            counts["activities"] = subject.activities().update(contact=None)
        _scrub_rows(activities, ["summary", "note", "cancel_reason"], [], identifiers, pattern)
        _scrub_rows(CostLine.objects.filter(activity__relation=subject.relation), ["description"], [],
                    identifiers, pattern)
        mails = _mails(subject)
        counts["sent_emails"] = mails.update(to=ERASED, subject=ERASED, body="")
        _scrub_rows(SentMail.objects.filter(relation=subject.relation), ["to", "subject", "body"], [],
                    identifiers, pattern)
        invitations = Invitation.objects.filter(activity__relation=subject.relation)
        if subject.contact is not None:
            invitations = invitations.filter(attendee__in=emails)
        counts["invitations"] = invitations.update(attendee=ERASED_EMAIL, sent_summary="")
        _scrub_rows(Invitation.objects.filter(activity__relation=subject.relation), ["sent_summary"], [],
                    identifiers, pattern)
        for contact in subject.contacts:
            Contact.objects.filter(pk=contact.pk).update(
                first_name="", last_name=ERASED, function="", email="", phone="")
        counts["contacts"] = len(subject.contacts)
        if subject.contact is None:
            Relation.objects.filter(pk=subject.relation.pk).update(
                name=ERASED, vat_number="", street="", postal_code="", city="", phone="", email="",
                website="", notes="", updated_at=timezone.now())
        else:
            _scrub_rows(Relation.objects.filter(pk=subject.relation.pk), ["notes"], [], identifiers, pattern)
        # what recorded the person elsewhere: the trail, the admin's log, import files, queued jobs
        entries = _subject_entries(subject)
        for entry in entries.only("pk", "changes"):
            AuditEntry.objects.filter(pk=entry.pk).update(
                object_repr=ERASED, changes_text="", serialized_data=None, additional_data=None,
                changes={field: ([ERASED, ERASED] if isinstance(values, list) else ERASED)
                         for field, values in (entry.changes or {}).items()},
            )
        counts["audit_entries"] = _scrub_rows(
            AuditEntry.objects.filter(relation_id=subject.relation.pk), ["object_repr", "changes_text"],
            ["changes", "serialized_data", "additional_data"], identifiers, pattern)
        counts["audit_entries"] += _scrub_rows(
            AuditEntry.objects.filter(relation_id__isnull=True), ["object_repr", "changes_text"],
            ["changes", "serialized_data", "additional_data"], identifiers, pattern)
        _scrub_rows(AdminLogEntry.objects.all(), ["object_repr", "change_message"], [], identifiers, pattern)
        _scrub_rows(DBTaskResult.objects.all(), ["traceback"], ["args_kwargs", "return_value"], identifiers,
                    pattern)
        counts["imports"] = _scrub_imports(identifiers)
    target = subject.contact or subject.relation
    target.refresh_from_db()
    erased_fields = (("first_name", "last_name", "function", "email", "phone") if subject.contact is not None
                     else ("name", "vat_number", "street", "postal_code", "city", "phone", "email", "website",
                           "notes"))
    audit_record(instance=target, actor=user, changes={f: (ERASED, "") for f in erased_fields},
                 additional_data={"privacy": "erased", "counts": counts})
    return counts


def _scrub_imports(identifiers: list[str]) -> int:
    """Uploaded import files are kept with their report: the person's identifiers are cut out of both."""
    count = 0
    patterns = [re.compile(rb"(?<!\w)" + re.escape(i.encode()) + rb"(?!\w)", re.IGNORECASE) for i in identifiers]
    text_pattern = _pattern(identifiers)
    for job in ImportJob.objects.only("pk", "content", "report", "filename").iterator():
        content = bytes(job.content)
        scrubbed = content
        for p in patterns:
            scrubbed = p.sub(ERASED.encode(), scrubbed)
        report = _scrub_json(job.report, text_pattern)
        filename = _scrub(job.filename, text_pattern)
        if scrubbed != content or report != job.report or filename != job.filename:
            ImportJob.objects.filter(pk=job.pk).update(content=scrubbed, report=report, filename=filename)
            count += 1
    return count
