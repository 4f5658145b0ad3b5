"""Lead intake from a website form: who gets the lead, the rate limit, and the lead itself."""

from __future__ import annotations

import dataclasses
import datetime
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kadans.accounts.models import User
from kadans.activities.models import Activity
from kadans.activities.plans import plan_apply
from kadans.integrations.models import IntakeHit, LeadRotation, WebForm
from kadans.relations.models import BusinessStatus, Contact, Relation
from kadans.relations.services import contact_create, relation_create

RATE_WINDOW = datetime.timedelta(hours=1)


@dataclasses.dataclass
class LeadData:
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    phone: str = ""
    company: str = ""
    vat_number: str = ""
    city: str = ""
    message: str = ""


@dataclasses.dataclass
class LeadResult:
    relation: Relation
    created: bool
    activities: list[Activity]


def normalize_vat(value: str) -> str:
    return re.sub(r"[^0-9A-Za-z]", "", value).upper()


def intake_allowed(*, web_form: WebForm, ip: str, now: datetime.datetime | None = None) -> bool:
    """Count this submission in its (form, address, hour) window; False past the form's limit."""
    now = now or timezone.now()
    window = now.replace(minute=0, second=0, microsecond=0)
    with transaction.atomic():
        IntakeHit.objects.bulk_create(
            [IntakeHit(web_form=web_form, ip=ip, window=window)], ignore_conflicts=True
        )
        # an UPDATE with F(): two submissions at once both count
        IntakeHit.objects.filter(web_form=web_form, ip=ip, window=window).update(count=F("count") + 1)
        count = IntakeHit.objects.get(web_form=web_form, ip=ip, window=window).count
    return count <= web_form.rate_limit


def lead_representative(*, web_form: WebForm, at: datetime.datetime) -> User:
    """The fixed representative, else the active team member who has waited longest for a lead (never
    had one first, then by user id); the fixed one when the team has nobody."""
    if web_form.team_id is None:
        return web_form.representative
    members = list(User.objects.filter(team_id=web_form.team_id, is_active=True).values_list("pk", flat=True))
    if not members:
        if web_form.representative is None:
            raise ValidationError(_("Nobody is available to take this lead."))
        return web_form.representative
    LeadRotation.objects.bulk_create([LeadRotation(user_id=pk) for pk in members], ignore_conflicts=True)
    # Lock every member's row (in a fixed order, so two leads at once queue instead of deadlocking): the
    # second lead then reads the first one's update and goes to the next person.
    rows = list(LeadRotation.objects.select_for_update().filter(user_id__in=members).order_by("user_id"))
    chosen = min(rows, key=lambda r: (r.last_assigned_at is not None, r.last_assigned_at or at, r.user_id))
    chosen.last_assigned_at = at
    chosen.save(update_fields=["last_assigned_at"])
    return User.objects.get(pk=chosen.user_id)


def _existing_relation(data: LeadData) -> Relation | None:
    """A relation that already has this VAT number or e-mail address (its own or a contact's)."""
    if vat := normalize_vat(data.vat_number):
        for relation in Relation.objects.exclude(vat_number="").filter(vat_number__icontains=vat[-3:]):
            if normalize_vat(relation.vat_number) == vat:
                return relation
    if email := data.email.strip():
        relation = Relation.objects.filter(email__iexact=email).order_by("pk").first()
        if relation is None:
            contact = Contact.objects.filter(email__iexact=email).select_related("relation").order_by("pk").first()
            relation = contact.relation if contact else None
        return relation
    return None


@transaction.atomic
def lead_intake(*, web_form: WebForm, data: LeadData) -> LeadResult:
    """Take in a lead: a known VAT number or e-mail address attaches it to that relation (adding the contact
    when new), otherwise a new relation in the form's status (lead) with its contact, given to a
    representative (fixed or round-robin); then the form's plan is applied, with the message as the note."""
    if not (data.company.strip() or data.last_name.strip() or data.email.strip()):
        raise ValidationError(_("Give at least a company, a name or an e-mail address."))
    now = timezone.now()
    relation = _existing_relation(data)
    created = relation is None
    if created:
        representative = lead_representative(web_form=web_form, at=now)
        person = f"{data.first_name} {data.last_name}".strip()
        relation = relation_create(
            user=representative,
            kind=Relation.Kind.COMPANY if data.company.strip() else Relation.Kind.PERSON,
            name=(data.company.strip() or person or data.email.strip())[:200],
            vat_number=data.vat_number.strip(), city=data.city.strip(), phone=data.phone.strip(),
            email=data.email.strip(), representative=representative, notes=data.message.strip(),
            business_status=web_form.business_status
            or BusinessStatus.objects.filter(code="lead").first(),
        )
    acting = relation.representative or web_form.representative or lead_representative(web_form=web_form, at=now)
    known_contact = data.email.strip() and Contact.objects.filter(
        Q(relation=relation) & Q(email__iexact=data.email.strip())
    ).exists()
    if (data.last_name.strip() or data.email.strip()) and not known_contact:
        contact_create(
            relation=relation, first_name=data.first_name.strip()[:100],
            last_name=(data.last_name.strip() or data.email.strip())[:100],
            email=data.email.strip(), phone=data.phone.strip()[:50],
        )
    activities = []
    if web_form.plan_id is not None:
        activities = plan_apply(
            plan=web_form.plan, relations=[relation], plan_date=timezone.localdate(timezone=acting.tzinfo),
            user=acting, asked_user=acting, note=data.message.strip(),
        )
    return LeadResult(relation=relation, created=created, activities=activities)
