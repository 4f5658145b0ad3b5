"""Export or erase a person's data from the command line:

    manage.py kadans_gdpr export contact 12 --out contact-12.zip
    manage.py kadans_gdpr erase relation 7 --yes [--user admin]
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kadans.accounts.models import User
from kadans.audit.services import audit_actor
from kadans.privacy import services
from kadans.relations.models import Contact, Relation


class Command(BaseCommand):
    help = "Export (zip: JSON, readable HTML, documents) or erase a contact's or a person-relation's data."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "erase"])
        parser.add_argument("kind", choices=["contact", "relation"])
        parser.add_argument("id", type=int)
        parser.add_argument("--out", help="export: the zip file to write")
        parser.add_argument("--yes", action="store_true", help="erase: do it (it cannot be undone)")
        parser.add_argument("--user", help="the username the audit trail records (default: none)")

    def handle(self, *args, action, kind, id, out, yes, user, **options):
        by = None
        if user:
            by = User.objects.filter(username=user).first()
            if by is None:
                raise CommandError(f"no user {user!r}")
        if kind == "contact":
            contact = Contact.objects.select_related("relation").filter(pk=id).first()
            if contact is None:
                raise CommandError(f"no contact with id {id}")
            subject = services.subject_for_contact(contact)
        else:
            relation = Relation.objects.filter(pk=id).first()
            if relation is None:
                raise CommandError(f"no relation with id {id}")
            try:
                subject = services.subject_for_relation(relation)
            except ValidationError as e:
                raise CommandError(" ".join(e.messages)) from None
        with audit_actor(by):
            if action == "export":
                if not out:
                    raise CommandError("give --out FILE for the zip")
                Path(out).write_bytes(services.personal_data_export(subject=subject, user=by))
                self.stdout.write(f"written: {out}")
            else:
                if not yes:
                    raise CommandError("erasing cannot be undone: add --yes to do it")
                counts = services.personal_data_erase(subject=subject, user=by)
                self.stdout.write("erased: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
