"""A person with data in every place Kadans keeps it, and a search of everything Kadans stores."""

import io
from decimal import Decimal
from pathlib import Path

from django.contrib.admin.models import CHANGE
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from kadans.activities.services import CostLineData, activity_set_cost_lines
from kadans.documents.models import Document, SignatureRequest, UploadLink
from kadans.documents.services import document_store
from kadans.integrations.models import ImportJob
from kadans.notifications.models import Invitation, SentMail
from kadans.relations.models import Contact
from kadans.relations.services import contact_update
from tests.factories import ActivityTypeFactory, ContactFactory, make_activity

NAME = "Hendrik Vanderlinden"
EMAIL = "hendrik.vanderlinden@example.org"
PHONE = "+32 470 98 76 54"
SECRETS = ["Vanderlinden", EMAIL, PHONE, "32470987654"]


def person_everywhere(relation, user, *, first="Hendrik", last="Vanderlinden", email=EMAIL, phone=PHONE):
    """A contact with an edited record, an activity about them with a cost line, sent e-mail, an
    invitation, a link upload, a signature, an import file and an admin log line."""
    contact = ContactFactory(relation=relation, first_name=first, last_name=last, email=email, phone="")
    contact_update(contact=contact, phone=phone, function="Aankoper")
    full = f"{first} {last}"
    activity = make_activity(user=user, relation=relation, activity_type=ActivityTypeFactory(), contact=contact,
                             summary=f"Call {full}", note=f"{email} asked for a quote; call {phone}")
    activity_set_cost_lines(activity=activity, lines=[
        CostLineData(description=f"Lunch with {last}", quantity=Decimal("2"), unit_price=Decimal("18.50"))])
    now = timezone.now()
    SentMail.objects.create(relation=relation, activity=activity, sender="rep@example.com",
                            to=f"{full} <{email}>", subject=f"Offerte voor {full}",
                            body=f"Beste {first},\nhier is de offerte.", sent_by=user, sent_at=now)
    Invitation.objects.create(activity=activity, attendee=email, sent_start=now, sent_end=now,
                              sent_summary=f"Meeting {full}")
    UploadLink.objects.create(activity=activity, token_hash="a" * 64, email=email, expires_at=now, created_by=user)
    upload = document_store(activity=activity, name=f"id-{last}.txt", content_type="text/plain",
                            data=f"ID card of {full}".encode(), source=Document.Source.LINK)
    quote = document_store(activity=activity, name="quote.txt", content_type="text/plain", data=b"Quote 42",
                           source=Document.Source.USER, user=user)
    signature = document_store(activity=activity, name="signature-1.png", content_type="image/png",
                               data=b"\x89PNG signature", source=Document.Source.SIGNATURE)
    certificate = document_store(activity=activity, name="signature-certificate-1.txt", content_type="text/plain",
                                 data=f'{{"signer_name": "{full}", "signer_email": "{email}"}}'.encode(),
                                 source=Document.Source.CERTIFICATE)
    SignatureRequest.objects.create(
        activity=activity, token_hash="b" * 64, email=email, expires_at=now, used_at=now, created_by=user,
        document=quote, document_sha256=quote.sha256, signer_name=full, ip_address="192.0.2.7",
        user_agent="Firefox", signature=signature, certificate=certificate,
    )
    ImportJob.objects.create(kind="contacts", filename="contacts.csv", created_by=user,
                             content=f"first_name,last_name,email\n{first},{last},{email}\n".encode(),
                             report={"rows": 1})
    AdminLogEntry.objects.create(user=user, content_type=ContentType.objects.get_for_model(Contact),
                                 object_id=str(contact.pk), object_repr=full, action_flag=CHANGE,
                                 change_message=f"Changed phone of {full}.")
    return {"contact": contact, "activity": activity, "upload": upload, "quote": quote,
            "signature": signature, "certificate": certificate}


def everything_stored(media_root: Path) -> str:
    """The database as dumpdata gives it, every table's raw rows, and the media folder (names and
    contents): what a search for the person must not find after erasure."""
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    parts = [out.getvalue()]
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')
            for row in cursor.fetchall():
                parts.append(repr([bytes(v).decode("utf-8", "replace") if isinstance(v, (bytes, memoryview))
                                   else v for v in row]))
    for path in sorted(media_root.rglob("*")):
        parts.append(str(path))
        if path.is_file():
            parts.append(path.read_bytes().decode("utf-8", "replace"))
    return "\n".join(parts)


def found(text: str, secrets=SECRETS) -> list[str]:
    lowered = text.lower()
    return [s for s in secrets if s.lower() in lowered]
